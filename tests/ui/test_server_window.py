"""The window and the kiosk answered by llama.cpp's server (tests/llama_server.py);
the server's faults as the patient sees them; the server's settings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from llama_server import API_KEY, MODEL_NAME
from PySide6.QtCore import Qt, QTimer

from chatapp import admin_pin
from chatapp.config import load_settings
from chatapp.kiosk_config import KioskConfig
from chatapp.server_settings import KEY_FILE, ServerChoice, save_key
from chatapp.turn import turn_texts
from chatapp.ui import KioskWindow, MainWindow
from chatapp.ui.settings_dialog import Preferences, SettingsDialog

TIMEOUT_MS = 120_000  # a ceiling for waiting on a signal, not a measured time
QUESTION = "What is high blood pressure?"


def server_window(qtbot, data_dir: Path, url: str, kiosk: KioskConfig | None = None):
    save_key(data_dir, API_KEY)
    settings = load_settings(data_dir, "default", "cpu", server=ServerChoice(url))
    if kiosk is None:
        win = MainWindow(settings)
        qtbot.addWidget(win)
    else:
        admin_pin.set_pin(data_dir, "4071")
        win = KioskWindow(settings, kiosk)
        qtbot.addWidget(win, before_close_func=lambda w: w.allow_close())
    win.show()
    return win


def send(qtbot, win, question: str = QUESTION):
    win.composer.setPlainText(question)
    with qtbot.waitSignal(win.controller.finished, timeout=TIMEOUT_MS) as done:
        qtbot.mouseClick(win.send_button, Qt.MouseButton.LeftButton)
    return done.args[0]


@pytest.fixture
def window(qtbot, fault_proxy, tmp_path):
    win = server_window(qtbot, tmp_path, fault_proxy.url)
    with qtbot.waitSignal(win.controller.ready, timeout=TIMEOUT_MS):
        win.start()
    yield win
    win.close()


pytestmark = pytest.mark.server


def test_the_window_answers_through_the_server_and_says_so(qtbot, window, fault_proxy):
    assert "answers are written by your clinic's server" in window.status_label.text()
    assert MODEL_NAME in window.status_label.text()
    # The window no longer claims that nothing leaves the computer.
    assert "nothing you type leaves it" not in window.subtitle.text()
    assert "your clinic's server" in window.subtitle.text()
    result = send(qtbot, window)
    assert fault_proxy.requests >= 1
    assert result.generation.model == MODEL_NAME and result.sources
    item = window.messages.item(1)
    assert (item.text, item.status) == (result.answer, "complete")
    (conversation,) = window.store.conversations(window.profile.id)
    _, saved = window.store.messages(conversation.id)
    assert saved.content == result.answer


@pytest.mark.parametrize("fault, status, words", [
    ("drop", 0, "stopped in the middle of the answer"),
    ("garbled", 0, "could not read"),
    ("slow", 0, "did not answer in time"),
    ("status", 500, "internal error (500)"),
    ("status", 429, "busy"),
])
def test_each_fault_is_told_and_nothing_is_lost(qtbot, fault_proxy, tmp_path, fault, status,
                                               words):
    win = server_window(qtbot, tmp_path, fault_proxy.url)
    # A shorter wait between pieces (still well above llama.cpp's time to its first
    # piece here), so "slow" is a timeout within the test.
    win.turns.state.settings = replace(
        win.settings, server=replace(win.settings.server, token_timeout_s=8.0))
    win.turns.restart()
    with qtbot.waitSignal(win.controller.ready, timeout=TIMEOUT_MS):
        win.start()
    fault_proxy.fault, fault_proxy.status, fault_proxy.after = fault, status, 4
    fault_proxy.delay_s = 16.0
    result = send(qtbot, win)
    assert words in win.notice.text()
    shown = win.messages.item(1).text
    assert turn_texts("en").server_library in shown and shown == result.answer
    if fault in ("drop", "garbled", "slow"):  # some text came first: kept, marked
        assert turn_texts("en").server_cut in shown
    (conversation,) = win.store.conversations(win.profile.id)
    question, answer = win.store.messages(conversation.id)
    assert (question.content, answer.content) == (QUESTION, result.answer)
    # The next question works as before once the server is well again.
    fault_proxy.fault = ""
    assert send(qtbot, win, "What is asthma?").stop_reason != "server_fault"
    win.close()


def test_the_window_keeps_working_while_the_server_is_silent_and_stop_ends_it(
        qtbot, window, fault_proxy):
    fault_proxy.fault = "silent"
    window.composer.setPlainText(QUESTION)
    qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: fault_proxy.requests == 1, timeout=TIMEOUT_MS)
    # The UI thread still runs its event loop: a timer fires, the text can be typed.
    ticked = QTimer(window)
    ticked.setSingleShot(True)
    with qtbot.waitSignal(ticked.timeout, timeout=TIMEOUT_MS):
        ticked.start(50)
    qtbot.keyClicks(window.composer, "next")
    assert window.composer.toPlainText() == "next"
    with qtbot.waitSignal(window.controller.finished, timeout=TIMEOUT_MS) as done:
        qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)  # now "Stop"
    assert done.args[0].stopped
    (conversation,) = window.store.conversations(window.profile.id)
    question, _answer = window.store.messages(conversation.id)
    assert question.content == QUESTION


@pytest.mark.parametrize("problem, words", [
    ("down", "could not reach the clinic's server"),
    ("model", "does not serve a model called 'qwen-7b'"),
    ("key", "refused CareChat's API key"),
])
def test_a_server_that_cannot_answer_at_start_is_told_and_emergencies_still_answered(
        qtbot, request, tmp_path, problem, words):
    url = "http://127.0.0.1:9" if problem == "down" else request.getfixturevalue(
        "fault_proxy").url
    win = server_window(qtbot, tmp_path, url)
    if problem == "model":
        server = replace(win.settings.server, model="qwen-7b")
    else:
        server = replace(win.settings.server, api_key="wrong" if problem == "key" else API_KEY)
    win.turns.state.settings = replace(win.settings, server=server)
    win.turns.restart()
    with qtbot.waitSignal(win.controller.load_failed, timeout=TIMEOUT_MS):
        win.start()
    assert words in win.notice.text()
    assert "could not start" in win.status_label.text()
    win.composer.setPlainText("I have crushing chest pain right now")
    win.send()  # the safety rules answer at once, without the model
    assert win.banner.isVisible()
    win.close()


def test_the_kiosk_answers_through_the_server_and_says_so(qtbot, fault_proxy, tmp_path):
    win = server_window(qtbot, tmp_path, fault_proxy.url, kiosk=KioskConfig())
    with qtbot.waitSignal(win.controller.ready, timeout=TIMEOUT_MS):
        win.start()
    assert "answers are written by your clinic's server" in win.status_label.text()
    assert win.status_label.isVisible()
    qtbot.mouseClick(win.welcome.ask_button, Qt.MouseButton.LeftButton)
    result = send(qtbot, win)
    assert result.generation.model == MODEL_NAME and result.sources
    win.allow_close()
    win.close()


# --- the settings -------------------------------------------------------------------


def test_the_settings_dialog_keeps_the_server_and_checks_its_address(qtbot, tmp_path):
    dialog = SettingsDialog(Preferences(), tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.server_url.setText("192.168.1.20:8000")  # no scheme
    dialog.accept()
    assert dialog.result() == 0 and "http://192.168.1.20:8000" in dialog.error.text()
    dialog.server_url.setText("http://ai.example.com:8000")
    assert dialog.server_warning.isVisible()  # plain http across the internet
    dialog.server_url.setText("http://192.168.1.20:8000")
    assert not dialog.server_warning.isVisible()
    dialog.server_model.setText("qwen2.5-1.5b-instruct")
    dialog.server_fallback.setChecked(True)
    dialog.server_key.setText("s3cret")
    dialog.accept()
    assert dialog.result() == 1
    chosen = dialog.preferences()
    assert (chosen.server_url, chosen.server_model, chosen.server_fallback) == (
        "http://192.168.1.20:8000", "qwen2.5-1.5b-instruct", True)
    assert dialog.server_key_change() == "s3cret"


def test_saving_a_server_in_settings_reconnects_and_keeps_the_key_out_of_the_db(
        qtbot, fault_proxy, tiny_model_dir, tmp_path):
    win = MainWindow(load_settings(tmp_path, str(tiny_model_dir), "cpu"))
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.controller.ready, timeout=TIMEOUT_MS):
        win.start()

    def choose(dialog):
        dialog.server_url.setText(fault_proxy.url)
        dialog.server_key.setText(API_KEY)
        return True

    win.run_dialog = choose
    win.open_settings()  # a new model thread connects to the server
    qtbot.waitUntil(lambda: win.turns.model_ready and win.turns.on_server, timeout=TIMEOUT_MS)
    assert win.settings.server.url == fault_proxy.url
    assert "clinic's server" in win.status_label.text()
    key_file = tmp_path / KEY_FILE
    assert key_file.read_text().strip() == API_KEY
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    win.close()
    for path in tmp_path.rglob("*"):
        if path.is_file() and path != key_file:
            assert API_KEY.encode() not in path.read_bytes(), path
    # The next start connects again, from the saved preferences.
    again = MainWindow(load_settings(tmp_path, str(tiny_model_dir), "cpu"))
    qtbot.addWidget(again)
    assert again.settings.server.url == fault_proxy.url
    assert again.settings.server.api_key == API_KEY
    again.close()
