"""The window's and the kiosk's composer pass the same normaliser as the CLI."""

from __future__ import annotations

from pathlib import Path

from chatapp import admin_pin
from chatapp.config import load_settings
from chatapp.kiosk_config import KioskConfig
from chatapp.ui import MainWindow
from chatapp.ui.kiosk_window import KioskWindow

TIMEOUT_MS = 60_000
# A zero-width space and a soft hyphen hide the words; an escape sequence rides along.
DISGUISED = "I have che\u200bst pa\u00adin right now\x1b]0;PWNED\x07"


def without_model(qtbot, window):
    """The rules answer at once, on the UI thread: no model needed for an emergency."""
    kiosk = isinstance(window, KioskWindow)
    qtbot.addWidget(window, before_close_func=(lambda w: w.allow_close()) if kiosk else None)
    window.show()
    with qtbot.waitSignal(window.controller.load_failed, timeout=TIMEOUT_MS):
        window.start()
    return window


def test_the_window_finds_a_disguised_emergency_and_saves_clean_text(qtbot, tmp_path: Path):
    win = without_model(qtbot, MainWindow(
        load_settings(tmp_path, str(tmp_path / "missing.gguf"), "cpu", country="GB")))
    win.composer.setPlainText(DISGUISED)
    win.send()
    assert win.banner.isVisible()
    assert "heart attack" in win.banner.title.text().lower()
    question = win.store.messages(win.conversation_id)[0].content
    assert question == "I have chest pain right now"
    assert win.messages.items()[0].text == question  # shown as saved
    win.close()


def test_the_kiosk_composer_takes_the_same_path(qtbot, _isolated_data_dir: Path):
    admin_pin.set_pin(_isolated_data_dir, "4071")
    kiosk = without_model(qtbot, KioskWindow(
        load_settings(_isolated_data_dir, str(_isolated_data_dir / "missing.gguf"), "cpu"),
        KioskConfig()))
    kiosk.welcome.ask_button.click()
    kiosk.composer.setPlainText(DISGUISED)
    kiosk.send()
    assert kiosk.banner.isVisible() and kiosk.banner.front_desk.isVisible()
    assert kiosk.store.messages(kiosk.conversation_id)[0].content == (
        "I have chest pain right now")
    kiosk.allow_close()
    kiosk.close()
