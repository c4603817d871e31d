from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QWidget

from chatapp.config import load_settings
from chatapp.ui import MainWindow, TokenBuffer
from chatapp.ui.main_window import MIN_TARGET_PX

TIMEOUT_MS = 60_000


@pytest.fixture
def window(qtbot, tiny_model_dir: Path, tmp_path: Path):
    win = MainWindow(load_settings(tmp_path, str(tiny_model_dir), "cpu"))
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.controller.ready, timeout=TIMEOUT_MS):
        win.start()
    yield win
    win.close()


def test_window_is_usable_while_the_model_loads(qtbot, tiny_model_dir, tmp_path):
    win = MainWindow(load_settings(tmp_path, str(tiny_model_dir), "cpu"))
    qtbot.addWidget(win)
    win.show()
    assert win.progress.isVisible()
    assert not win.send_button.isEnabled()
    with qtbot.waitSignal(win.controller.ready, timeout=TIMEOUT_MS):
        win.start()
    assert win.send_button.isEnabled()
    assert not win.progress.isVisible()
    assert tiny_model_dir.name in win.status_label.text()
    win.close()


def test_send_streams_the_answer_into_the_transcript(qtbot, window):
    window.input.setPlainText("What is asthma?")
    with qtbot.waitSignal(window.controller.finished, timeout=TIMEOUT_MS) as done:
        qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)
    result = done.args[0]
    text = window.transcript.toPlainText()
    assert "You\nWhat is asthma?" in text
    assert result.answer in text
    assert "tokens/s" in text
    assert window.input.toPlainText() == ""
    assert window.send_button.isEnabled()
    assert not window.stop_button.isEnabled()
    assert [t.role for t in window.history] == ["user", "assistant"]


def test_enter_sends_and_shift_enter_breaks_the_line(qtbot, window):
    window.input.setFocus()
    qtbot.keyClicks(window.input, "first line")
    qtbot.keyClick(window.input, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(window.input, "second line")
    assert window.input.toPlainText() == "first line\nsecond line"
    with qtbot.waitSignal(window.controller.finished, timeout=TIMEOUT_MS):
        qtbot.keyClick(window.input, Qt.Key.Key_Return)
    assert "first line\nsecond line" in window.transcript.toPlainText()


def test_empty_question_shows_a_message(qtbot, window):
    window.input.setPlainText("   ")
    qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)
    assert window.notice.isVisible()
    assert "type a question" in window.notice.text()
    assert window.transcript.toPlainText() == ""


def test_stop_button_stops_the_answer(qtbot, window):
    window.controller.worker.token.connect(
        lambda _piece: window.controller.stop(), Qt.ConnectionType.DirectConnection
    )
    window.input.setPlainText("Tell me everything about blood pressure.")
    with qtbot.waitSignal(window.controller.finished, timeout=TIMEOUT_MS) as done:
        qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)
    assert done.args[0].stopped
    assert "(Stopped)" in window.transcript.toPlainText()
    assert window.history == []  # a cut-off answer is not fed back to the model


def test_model_that_cannot_load_leaves_a_readable_window(qtbot, tmp_path):
    win = MainWindow(load_settings(tmp_path, str(tmp_path / "missing.gguf"), "cpu"))
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.controller.load_failed, timeout=TIMEOUT_MS):
        win.start()
    assert win.notice.isVisible()
    assert "missing.gguf" in win.notice.text()
    assert "could not start" in win.status_label.text()
    assert not win.send_button.isEnabled()
    win.close()


def test_closing_during_an_answer_shuts_down_cleanly(qtbot, window):
    window.input.setPlainText("Tell me everything about blood pressure.")
    with qtbot.waitSignal(window.controller.token, timeout=TIMEOUT_MS):
        qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)
    window.close()
    assert window.controller.thread.isFinished()


def test_every_control_has_a_name_and_a_big_enough_target(window):
    for widget in window.findChildren(QWidget):
        if widget.isVisible() and widget.focusPolicy() != Qt.FocusPolicy.NoFocus and (
            isinstance(widget, QAbstractButton) or widget in (window.input, window.transcript)
        ):
            assert widget.accessibleName(), widget
            assert widget.toolTip(), widget
    for button in (window.send_button, window.stop_button):
        assert button.height() >= MIN_TARGET_PX and button.width() >= MIN_TARGET_PX


def test_token_buffer_merges_a_burst_into_one_update(qtbot):
    buffer = TokenBuffer(interval_ms=20)
    received: list[str] = []
    buffer.flushed.connect(received.append)
    with qtbot.waitSignal(buffer.flushed, timeout=2000):
        for piece in ["High", " blood", " pressure"]:
            buffer.push(piece)
    assert received == ["High blood pressure"]
    buffer.flush()  # nothing pending: no empty update
    assert received == ["High blood pressure"]
