"""Every visible string goes through Qt's translation, and Chinese covers them all."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from chatapp.config import load_settings
from chatapp.resources import resource_path
from chatapp.ui import MainWindow
from chatapp.ui.settings_dialog import SettingsDialog

TS = resource_path("i18n", "carechat_zh_CN.ts")
UI = Path(__file__).resolve().parents[2] / "chatapp" / "ui"
# Names, keys and technical words a Chinese reader sees as they are.
KEPT = {"CareChat", "Ctrl", "Shift", "Esc", "Tab", "SmolLM", "Instruct", "GGUF", "CPU", "CUDA",
        "MPS", "Hugging", "Face", "gguf", "English", "PDF", "pdf", "PIN",
        "API", "http", "https"}  # a server's API key and address stay as written
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def visible_strings(top: QWidget) -> list[str]:
    found = [top.windowTitle()]
    for w in [top, *top.findChildren(QWidget)]:
        if not w.isVisibleTo(top) and w is not top:
            continue
        found += [w.toolTip(), w.accessibleName()]
        if isinstance(w, (QLabel, QAbstractButton)):
            found.append(w.text())
        if isinstance(w, (QLineEdit, QPlainTextEdit)):
            found.append(w.placeholderText())
        if isinstance(w, QComboBox):
            found += [w.itemText(i) for i in range(w.count())]
    return [s for s in found if s]


def untranslated(strings: list[str]) -> list[str]:
    def words(s: str) -> set[str]:
        return set(ENGLISH_WORD.findall(re.sub(r"\{[^}]*\}", "", s)))  # not placeholders

    return [s for s in strings if words(s) - KEPT]


def test_the_main_window_has_no_english_left_in_chinese(qtbot, tiny_model_dir, tmp_path):
    win = MainWindow(load_settings(tmp_path, str(tiny_model_dir), "cpu", language="zh"))
    qtbot.addWidget(win)
    win.show()
    strings = visible_strings(win)
    labels = win.delegate.labels
    strings += [*labels.speakers.values(), *labels.statuses.values(), labels.writing,
                labels.sources, *labels.badges.values()]
    assert len(strings) > 40
    assert untranslated(strings) == []
    assert win.send_button.text() == "发送"
    assert win.profile.name == "我"
    win.close()


def test_the_english_window_is_in_english(qtbot, tiny_model_dir, tmp_path):
    win = MainWindow(load_settings(tmp_path, str(tiny_model_dir), "cpu", language="en"))
    qtbot.addWidget(win)
    assert win.send_button.text() == "Send"
    assert untranslated(visible_strings(win))  # the check above would catch English
    win.close()


def test_the_settings_dialog_has_no_english_left_in_chinese(qtbot, tiny_model_dir, tmp_path):
    win = MainWindow(load_settings(tmp_path, str(tiny_model_dir), "cpu", language="zh"))
    qtbot.addWidget(win)
    dialog = SettingsDialog(win.preferences, tmp_path, ["cpu", "cuda"], parent=win)
    qtbot.addWidget(dialog)
    dialog.show()
    assert untranslated(visible_strings(dialog)) == []
    win.close()


def test_switching_language_retranslates_the_open_window(qtbot, tiny_model_dir, tmp_path):
    from dataclasses import replace

    win = MainWindow(load_settings(tmp_path, str(tiny_model_dir), "cpu"))
    qtbot.addWidget(win)
    win.show()
    assert win.send_button.text() == "Send"
    win.apply_preferences(replace(win.preferences, language="zh"))
    qtbot.waitUntil(lambda: win.send_button.text() == "发送")
    assert win.sidebar.new_button.text() == "新对话"
    assert win.store.profile(win.profile.id).language == "zh"  # kept with the profile
    win.apply_preferences(replace(win.preferences, language="en"))
    qtbot.waitUntil(lambda: win.send_button.text() == "Send")
    win.close()


def ts_messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(path).getroot()
    return {(ctx.findtext("name"), m.findtext("source")): m.find("translation")
            for ctx in root.iter("context") for m in ctx.iter("message")}


def test_every_string_in_the_catalogue_is_translated() -> None:
    messages = ts_messages(TS)
    assert len(messages) > 100
    unfinished = [key for key, t in messages.items()
                  if t.get("type") in ("unfinished", "obsolete", "vanished") or not t.text]
    assert unfinished == []


def test_the_catalogue_matches_the_code_and_the_compiled_file(tmp_path) -> None:
    tools = Path(sys.executable).parent
    lupdate, lrelease = tools / "pyside6-lupdate", tools / "pyside6-lrelease"
    if not lupdate.exists():
        pytest.skip("pyside6-lupdate is not installed")
    fresh = tmp_path / "fresh.ts"
    shutil.copy(TS, fresh)
    subprocess.run([str(lupdate), *map(str, sorted(UI.glob("*.py"))), "-ts", str(fresh)],
                   check=True, capture_output=True)
    current = {key for key, t in ts_messages(fresh).items()
               if t.get("type") not in ("obsolete", "vanished")}
    assert current == set(ts_messages(TS)), "run `make translations` and translate the new strings"
    qm = tmp_path / "fresh.qm"
    subprocess.run([str(lrelease), str(TS), "-qm", str(qm)], check=True, capture_output=True)
    assert qm.read_bytes() == resource_path("i18n", "carechat_zh_CN.qm").read_bytes(), \
        "run `make translations`"


def test_the_kiosk_has_no_english_left_in_chinese(qtbot, tiny_model_dir, tmp_path):
    from chatapp import admin_pin
    from chatapp.kiosk_config import KioskConfig
    from chatapp.ui import KioskWindow
    from chatapp.ui.pin_dialog import AdminDialog, PinDialog

    win = KioskWindow(load_settings(tmp_path, str(tiny_model_dir), "cpu"),
                      KioskConfig(language="zh"), printer=lambda *_a, **_o: None)
    qtbot.addWidget(win, before_close_func=lambda w: w.allow_close())
    win.show()
    strings = visible_strings(win)  # the welcome screen
    win.begin_visit()  # the chat, with the on-screen keyboard
    strings += visible_strings(win)
    for dialog in (PinDialog(admin_pin.PinGate(tmp_path), win), AdminDialog(win)):
        qtbot.addWidget(dialog)
        dialog.show()
        strings += visible_strings(dialog)
    assert win.welcome.title.text() == "欢迎使用 CareChat"
    assert untranslated(strings) == []
