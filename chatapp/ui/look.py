"""How the window looks (theme, text size) and the saved preferences behind it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from model import DEFAULT_SPEC, ModelError
from model.installed import InstalledModels

from ..config import Settings
from ..server_settings import ServerChoice, ServerSettingsError, server_config
from ..storage import StorageError, Store
from .settings_dialog import Preferences
from .theme import palette_for, resolve_theme, style_sheet
from .window_state import WindowState, guarded

BASE_POINT_SIZE = 12.0
TEXT_SCALES = (1.0, 1.1, 1.25, 1.5, 1.75, 2.0)  # 100-200%, kept per profile
PREFERENCES_KEY = "preferences"


def load_preferences(store: Store, settings: Settings) -> Preferences:
    """The saved preferences; the model and device given on the command line or in
    the environment win for this run."""
    try:
        saved = store.setting(PREFERENCES_KEY, {}) or {}
    except StorageError:
        saved = {}
    known = {k: v for k, v in saved.items() if k in Preferences.__dataclass_fields__}
    preferences = replace(Preferences(), **known)
    for name in ("model", "device"):
        if name in settings.explicit:
            preferences = replace(preferences, **{name: getattr(settings, name)})
    if settings.model != DEFAULT_SPEC:
        # Chosen with `carechat models use` (or here, which records it there too):
        # the installed models' registry is where the choice is kept.
        preferences = replace(preferences, model=settings.model)
    return preferences


def with_server(settings: Settings, preferences: Preferences,
                notice: Callable[[str], None] | None = None) -> Settings:
    """``settings`` with the server the window's preferences chose, unless one was
    given on the command line or in the environment (those win for this run)."""
    if "server" in settings.explicit:
        return settings
    choice = ServerChoice(preferences.server_url, preferences.server_model, "",
                          preferences.server_fallback)
    try:
        server = server_config(choice, settings.data_dir)
    except ServerSettingsError as exc:  # e.g. an unreadable key file: said, not fatal
        if notice is not None:
            notice(str(exc))
        server = None
    return replace(settings, server=server, server_fallback=choice.fallback)


class Look(QObject):
    """The theme and text size, from the profile and the preferences; saving preferences.

    The theme and text size go to the whole application (``style_application``);
    the window fits its own widgets to them (``MainWindow.apply_look``).

    Attributes:
        theme: the ``theme.Theme`` in use.

    Signals:
        changed(): the theme or the text size changed: the window applies its look.
        language_chosen(str): the preferences chose another language.
        model_chosen(): the preferences chose another model or device (already in
            ``state.settings``): it must load again.
        notice(str): something to tell the patient (a storage failure).
    """

    changed = Signal()
    language_chosen = Signal(str)
    model_chosen = Signal()
    notice = Signal(str)

    def __init__(self, state: WindowState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.theme = resolve_theme(state.preferences.theme, state.profile.high_contrast)

    def style_application(self, extra_style: Callable[[float], str]) -> QFont:
        """Apply the theme and text size to the whole application; the font, sized.

        ``extra_style(points)``: style rules a kind of window adds to the theme's.
        """
        profile = self.state.profile
        self.theme = resolve_theme(self.state.preferences.theme, profile.high_contrast)
        app = QApplication.instance()
        app.setStyle("Fusion")  # the one style that follows our palette on every platform
        app.setPalette(palette_for(self.theme))
        points = BASE_POINT_SIZE * profile.font_scale
        # The size goes through the style sheet: once one is set, Qt no longer
        # passes a changed application font on to widgets reliably.
        app.setStyleSheet(style_sheet(self.theme, points) + extra_style(points))
        font = QFont(app.font())
        font.setPointSizeF(points)
        app.setFont(font)
        return font

    # --- text size ----------------------------------------------------------------
    def text_scale(self) -> float:
        return self.state.profile.font_scale

    def set_text_scale(self, scale: float) -> None:
        """Keep ``scale`` (within 100-200%) with the profile, and show it."""
        scale = min(max(scale, TEXT_SCALES[0]), TEXT_SCALES[-1])
        if guarded(lambda: self.state.update_profile(font_scale=scale), self.notice.emit):
            self.changed.emit()

    def larger_text(self) -> None:
        bigger = [s for s in TEXT_SCALES if s > self.text_scale() + 1e-6]
        self.set_text_scale(bigger[0] if bigger else TEXT_SCALES[-1])

    def smaller_text(self) -> None:
        smaller = [s for s in TEXT_SCALES if s < self.text_scale() - 1e-6]
        self.set_text_scale(smaller[-1] if smaller else TEXT_SCALES[0])

    def reset_text(self) -> None:
        self.set_text_scale(1.0)

    # --- preferences -------------------------------------------------------------------
    def shown_preferences(self) -> Preferences:
        """The preferences as the settings dialog shows them: with the language shown,
        and high contrast when the profile has it."""
        state = self.state
        return replace(state.preferences, language=state.language,
                       theme="high_contrast" if state.profile.high_contrast
                       else state.preferences.theme)

    def apply_preferences(self, chosen: Preferences, key_changed: bool = False) -> None:
        """Save ``chosen`` and use it now. High contrast and the language are kept with
        the profile; the rest for everyone on this computer. ``key_changed``: the
        server's API key file was changed, so the server is connected again."""
        state = self.state
        old = state.preferences
        high_contrast = chosen.theme == "high_contrast"
        state.preferences = replace(chosen, theme=chosen.theme if not high_contrast
                                    else old.theme)
        stored = {k: getattr(state.preferences, k)
                  for k in ("model", "device", "answer_length", "theme", "server_url",
                            "server_model", "server_fallback", "speech_rate",
                            "lock_minutes")}
        guarded(lambda: state.store.set_setting(PREFERENCES_KEY, stored), self.notice.emit)
        guarded(lambda: state.update_profile(high_contrast=high_contrast,
                                             language=chosen.language), self.notice.emit)
        self.changed.emit()
        if chosen.language != state.language:
            self.language_chosen.emit(chosen.language)
        if chosen.model != state.settings.model and "model" not in state.settings.explicit:
            try:
                InstalledModels(state.settings.models_dir).use(
                    "" if chosen.model == DEFAULT_SPEC else chosen.model)
            except ModelError as exc:  # the choice holds for this run all the same
                self.notice.emit(str(exc))
        settings = with_server(replace(state.settings, model=chosen.model,
                                       device=chosen.device), chosen, self.notice.emit)
        if key_changed or settings != state.settings:
            state.settings = settings
            self.model_chosen.emit()
