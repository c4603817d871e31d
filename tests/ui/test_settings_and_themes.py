from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from chatapp.config import load_settings
from chatapp.ui import MainWindow
from chatapp.ui.settings_dialog import Preferences, SettingsDialog, check_model
from chatapp.ui.theme import THEMES, load_theme, resolve_theme

TIMEOUT_MS = 60_000


@pytest.fixture
def window(qtbot, tiny_model_dir, tmp_path):
    win = MainWindow(load_settings(tmp_path, str(tiny_model_dir), "cpu"))
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def test_a_model_path_is_checked_before_it_is_saved(qtbot, tmp_path):
    dialog = SettingsDialog(Preferences(), tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.model_edit.setText(str(tmp_path / "nothing-here.gguf"))
    dialog.accept()
    assert dialog.isVisible() and dialog.result() == 0  # not accepted
    assert dialog.error.isVisible() and "nothing-here.gguf" in dialog.error.text()
    dialog.model_edit.setText("")  # the built-in model
    dialog.accept()
    assert not dialog.isVisible()
    assert dialog.preferences().model == "default"


def test_check_model_explains_in_plain_words(tmp_path):
    assert check_model("default") == ""
    (tmp_path / "empty").mkdir()
    problem = check_model(str(tmp_path / "empty"))
    assert problem and str(tmp_path / "empty") in problem


def test_gpu_is_offered_only_when_there_is_one(qtbot, tmp_path):
    cpu_only = SettingsDialog(Preferences(), tmp_path, ["cpu"])
    with_gpu = SettingsDialog(Preferences(device="cuda"), tmp_path, ["cpu", "cuda"])
    for dialog in (cpu_only, with_gpu):
        qtbot.addWidget(dialog)
    keys = [cpu_only.device.itemData(i) for i in range(cpu_only.device.count())]
    assert keys == ["auto", "cpu"]
    assert with_gpu.device.currentData() == "cuda"


def test_the_data_folder_is_shown_read_only(qtbot, tmp_path):
    dialog = SettingsDialog(Preferences(), tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.folder.isReadOnly() and dialog.folder.text() == str(tmp_path)


def test_saved_preferences_apply_now_and_next_time(qtbot, window, tiny_model_dir, tmp_path):
    def choose(dialog):
        dialog.length.setCurrentIndex(dialog.length.findData("short"))
        dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
        return True

    window.run_dialog = choose
    window.open_settings()
    assert window.preferences.answer_length == "short"
    assert window.theme.name == "dark"
    window_colour = QApplication.instance().palette().color(QPalette.ColorRole.Window)
    assert window_colour.name() == load_theme("dark").window
    window.close()
    again = MainWindow(load_settings(tmp_path, str(tiny_model_dir), "cpu"))
    qtbot.addWidget(again)
    assert again.preferences.answer_length == "short" and again.theme.name == "dark"
    again.close()


def test_high_contrast_is_kept_with_the_profile(qtbot, window):
    window.apply_preferences(replace(window.preferences, theme="high_contrast"))
    assert window.theme.name == "high_contrast"
    assert window.store.profile(window.profile.id).high_contrast
    other = window.store.create_profile("Other")
    window.switch_profile(other.id)
    assert window.theme.name in ("light", "dark")


def test_changing_the_model_reloads_it(qtbot, window, tiny_model_dir, tmp_path):
    with qtbot.waitSignal(window.controller.ready, timeout=TIMEOUT_MS):
        window.start()
    old = window.controller
    window.apply_preferences(replace(window.preferences, model=str(tmp_path / "none.gguf")))
    assert window.controller is not old and not window.turns.model_ready
    with qtbot.waitSignal(window.controller.load_failed, timeout=TIMEOUT_MS):
        pass
    assert "none.gguf" in window.notice.text()


@pytest.mark.parametrize("name", THEMES[1:])
def test_every_theme_loads_and_text_is_readable(name):
    theme = load_theme(name)

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def contrast(a: str, b: str) -> float:
        hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
        return (hi + 0.05) / (lo + 0.05)

    needed = 7.0 if name == "high_contrast" else 4.5  # WCAG AAA / AA for body text
    for text, background in ((theme.text, theme.window), (theme.text, theme.surface),
                             (theme.user_text, theme.user_bubble),
                             (theme.answer_text, theme.answer_bubble),
                             (theme.accent_text, theme.accent),
                             (theme.muted, theme.surface),
                             (theme.caution_text, theme.caution_bg)):
        assert contrast(text, background) >= needed, (name, text, background)


def test_system_theme_follows_the_desktop(monkeypatch):
    import chatapp.ui.theme as theme_module

    monkeypatch.setattr(theme_module, "system_prefers_dark", lambda: True)
    assert resolve_theme("system", False).name == "dark"
    monkeypatch.setattr(theme_module, "system_prefers_dark", lambda: False)
    assert resolve_theme("system", False).name == "light"
    assert resolve_theme("dark", True).name == "high_contrast"
