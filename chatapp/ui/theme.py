"""Light, dark and high-contrast themes: colours from ``resources/themes``, one style sheet.

"system" follows the desktop's light or dark setting, and changes with it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette

from ..resources import resource_path

THEMES = ("system", "light", "dark", "high_contrast")


@dataclass(frozen=True)
class Theme:
    name: str
    window: str
    surface: str
    text: str
    muted: str
    border: str
    accent: str
    accent_text: str
    user_bubble: str
    user_text: str
    answer_bubble: str
    answer_text: str
    notice_bubble: str
    danger: str
    caution_bg: str
    caution_text: str
    caution_border: str
    good: str


@cache
def load_theme(name: str) -> Theme:
    if name not in THEMES[1:]:
        raise ValueError(f"Unknown theme {name!r}; choose one of {', '.join(THEMES)}.")
    with resource_path("themes", f"{name}.toml").open("rb") as handle:
        data = tomllib.load(handle)
    missing = {f.name for f in fields(Theme)} - set(data)
    if missing:
        raise ValueError(f"themes/{name}.toml lacks {', '.join(sorted(missing))}")
    return Theme(**{f.name: data[f.name] for f in fields(Theme)})


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints is not None and hints.colorScheme() == Qt.ColorScheme.Dark


def resolve_theme(choice: str, high_contrast: bool) -> Theme:
    """The theme to show: high contrast wins; "system" follows the desktop."""
    if high_contrast or choice == "high_contrast":
        return load_theme("high_contrast")
    if choice == "system" or choice not in THEMES:
        return load_theme("dark" if system_prefers_dark() else "light")
    return load_theme(choice)


def palette_for(theme: Theme) -> QPalette:
    palette = QPalette()
    role = QPalette.ColorRole
    for roles, colour in (
        ((role.Window,), theme.window),
        ((role.Base, role.AlternateBase, role.ToolTipBase), theme.surface),
        ((role.WindowText, role.Text, role.ButtonText, role.ToolTipText), theme.text),
        ((role.Button,), theme.surface),
        ((role.Highlight,), theme.accent),
        ((role.HighlightedText,), theme.accent_text),
        ((role.Link,), theme.accent),
        ((role.PlaceholderText,), theme.muted),
    ):
        for r in roles:
            palette.setColor(r, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for r in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(disabled, r, QColor(theme.muted))
    return palette


def style_sheet(theme: Theme, points: float = 12.0) -> str:
    # A thick, clearly coloured focus ring: keyboard users must always see where they are.
    t = theme
    return f"""
QWidget {{ color: {t.text}; font-size: {points:.1f}pt; }}
QMainWindow, QDialog {{ background: {t.window}; }}
QPushButton, QToolButton {{
    background: {t.surface}; color: {t.text}; border: 2px solid {t.border};
    border-radius: 8px; padding: 6px 14px; min-height: 40px;
}}
QPushButton:hover {{ border-color: {t.accent}; }}
QPushButton:focus, QToolButton:focus {{ border: 3px solid {t.accent}; }}
QPushButton:disabled {{ color: {t.muted}; border-style: dashed; }}
QPushButton#primary {{ background: {t.accent}; color: {t.accent_text}; border-color: {t.accent};
    font-weight: bold; }}
QPushButton#primary:focus {{ border: 3px solid {t.text}; }}
QPlainTextEdit, QLineEdit, QListView, QListWidget, QComboBox, QTextBrowser, QSpinBox {{
    background: {t.surface}; color: {t.text}; border: 2px solid {t.border}; border-radius: 8px;
    padding: 4px; selection-background-color: {t.accent}; selection-color: {t.accent_text};
}}
QPlainTextEdit:focus, QLineEdit:focus, QListView:focus, QListWidget:focus, QComboBox:focus,
QTextBrowser:focus {{ border: 3px solid {t.accent}; }}
QListWidget::item {{ padding: 8px 6px; border-radius: 6px; }}
QListWidget::item:selected {{ background: {t.accent}; color: {t.accent_text}; }}
QLabel#caution {{ background: {t.caution_bg}; color: {t.caution_text};
    border: 1px solid {t.caution_border}; border-radius: 8px; padding: 8px; }}
QLabel#notice {{ color: {t.danger}; font-weight: bold; }}
QLabel#notice[tone="info"] {{ color: {t.text}; font-weight: normal; }}
QLabel#muted, QLabel#counter {{ color: {t.muted}; }}
QLabel#counterOver {{ color: {t.danger}; font-weight: bold; }}
QLabel#heading {{ font-weight: bold; }}
QLabel#emergencyTitle {{ font-size: {points * 1.7:.1f}pt; font-weight: bold; }}
QLabel#emergencyNumbers {{ font-size: {points * 2.2:.1f}pt; font-weight: bold; }}
QLabel#emergencyMessage {{ font-size: {points * 1.15:.1f}pt; }}
QLabel#emergencyFrontDesk {{ font-size: {points * 1.4:.1f}pt; font-weight: bold; }}
QFrame#sidebar {{ background: {t.surface}; border-right: 1px solid {t.border}; }}
QStatusBar {{ color: {t.muted}; }}
"""


def scaled_font(font: QFont, scale: float, bold: bool = False) -> QFont:
    """A copy of ``font``, ``scale`` times the size (and bold when asked)."""
    scaled = QFont(font)
    scaled.setPointSizeF(font.pointSizeF() * scale)
    if bold:
        scaled.setBold(True)
    return scaled
