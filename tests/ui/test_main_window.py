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
    assert win.send_button.isEnabled()  # the safety rules need no model
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
    (conversation,) = window.store.conversations(window.profile.id)
    saved = window.store.messages(conversation.id)
    assert [(m.role, m.status) for m in saved] == [("user", "complete"), ("assistant", "complete")]
    assert saved[1].content == result.answer
    assert window.conversation_list.count() == 1
    assert window.conversation_list.item(0).text() == "What is asthma?"


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
    answer = window.store.messages(window.conversation_id)[1]
    assert answer.status == "cancelled"


def test_model_that_cannot_load_leaves_a_readable_window(qtbot, tmp_path):
    win = MainWindow(load_settings(tmp_path, str(tmp_path / "missing.gguf"), "cpu"))
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.controller.load_failed, timeout=TIMEOUT_MS):
        win.start()
    assert win.notice.isVisible()
    assert "missing.gguf" in win.notice.text()
    assert "could not start" in win.status_label.text()
    # A question the model would answer is refused politely and kept...
    win.input.setPlainText("What is asthma?")
    win.send()
    assert "not ready" in win.notice.text() and win.input.toPlainText() == "What is asthma?"
    # ...but an emergency is still answered at once, by the rules, and saved.
    win.input.setPlainText("I can't breathe")
    win.send()
    assert win.banner.isVisible()
    assert "trouble breathing" in win.banner.title.text().lower()
    assert win.banner.message.text() in win.transcript.toPlainText()
    saved = win.store.messages(win.conversation_id)
    assert [m.content for m in saved][0] == "I can't breathe"
    assert saved[1].status == "complete" and saved[1].model == "CareChat safety rules"
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


# --- conversations in the sidebar ----------------------------------------------------


def seed(store, profile_id, title, messages):
    conv = store.create_conversation(profile_id, title)
    for role, content, status in messages:
        store.add_message(conv.id, role, content, status=status)
    return conv.id


def test_past_conversations_are_listed_and_readable(qtbot, window):
    store, pid = window.store, window.profile.id
    older = seed(store, pid, "Asthma", [("user", "What is asthma?", "complete"),
                                       ("assistant", "Asthma narrows the airways.", "complete")])
    newer = seed(store, pid, "Sleep", [("user", "How much sleep?", "complete"),
                                      ("assistant", "Most adults need", "interrupted")])
    window._refresh_conversations()
    titles = [window.conversation_list.item(i).text()
              for i in range(window.conversation_list.count())]
    assert titles == ["Sleep", "Asthma"]
    window.conversation_list.setCurrentRow(1)
    assert window.conversation_id == older
    assert "Asthma narrows the airways." in window.transcript.toPlainText()
    window.conversation_list.setCurrentRow(0)
    assert window.conversation_id == newer
    text = window.transcript.toPlainText()
    assert "Most adults need" in text and "Cut off" in text


def test_new_conversation_then_send_creates_it(qtbot, window):
    seed(window.store, window.profile.id, "Old", [("user", "Old question", "complete")])
    window._refresh_conversations()
    window.conversation_list.setCurrentRow(0)
    qtbot.mouseClick(window.new_button, Qt.MouseButton.LeftButton)
    assert window.conversation_id is None
    assert window.transcript.toPlainText() == ""
    window.input.setPlainText("A brand new question")
    with qtbot.waitSignal(window.controller.finished, timeout=TIMEOUT_MS):
        window.send()
    assert window.conversation_list.count() == 2
    assert window.conversation_list.currentItem().text() == "A brand new question"


def test_rename_conversation(qtbot, window, monkeypatch):
    conv = seed(window.store, window.profile.id, "Old name", [])
    window._refresh_conversations()
    window.open_conversation(conv)
    monkeypatch.setattr(window, "ask_text", lambda *a: "  My inhaler  ")
    qtbot.mouseClick(window.rename_button, Qt.MouseButton.LeftButton)
    assert window.store.conversation(conv).title == "My inhaler"
    assert window.conversation_list.item(0).text() == "My inhaler"


def test_delete_asks_first(qtbot, window, monkeypatch):
    conv = seed(window.store, window.profile.id, "Keep me?", [("user", "Q", "complete")])
    window._refresh_conversations()
    window.open_conversation(conv)
    asked = []
    monkeypatch.setattr(window, "confirm", lambda title, text: asked.append(text) or False)
    qtbot.mouseClick(window.delete_button, Qt.MouseButton.LeftButton)
    assert "Keep me?" in asked[0]
    assert window.store.conversations(window.profile.id)  # declined: still there
    monkeypatch.setattr(window, "confirm", lambda title, text: True)
    qtbot.mouseClick(window.delete_button, Qt.MouseButton.LeftButton)
    assert window.store.conversations(window.profile.id) == []
    assert window.conversation_list.count() == 0
    assert window.conversation_id is None


def test_answer_cut_off_by_a_crash_shows_as_interrupted(qtbot, tiny_model_dir, tmp_path):
    from chatapp.storage import StoreLocation, open_store

    store = open_store(StoreLocation.in_data_dir(tmp_path))
    profile = store.profile_or_create("Me")
    store.set_setting("current_profile", profile.id)
    conv = store.create_conversation(profile.id)
    store.add_message(conv.id, "user", "What is asthma?")
    store.add_message(conv.id, "assistant", "Asthma is a", status="streaming")
    store.close()  # as if the app had been killed here

    win = MainWindow(load_settings(tmp_path, str(tiny_model_dir), "cpu"))
    qtbot.addWidget(win)
    win.open_conversation(conv.id)
    assert win.store.messages(conv.id)[1].status == "interrupted"
    assert "Cut off" in win.transcript.toPlainText()
    win.close()


def test_damaged_database_is_reported_in_the_window(qtbot, tiny_model_dir, tmp_path):
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "carechat.db").write_text("not a database")
    win = MainWindow(load_settings(tmp_path, str(tiny_model_dir), "cpu"))
    qtbot.addWidget(win)
    win.show()
    assert win.notice.isVisible()
    assert "moved, not deleted" in win.notice.text()
    assert "carechat.db.damaged-" in win.notice.text()
    win.close()


def test_unwritable_data_dir_still_opens_and_says_nothing_is_saved(
    qtbot, tiny_model_dir, tmp_path
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    win = MainWindow(load_settings(blocker / "data", str(tiny_model_dir), "cpu"))
    qtbot.addWidget(win)
    win.show()
    assert "nothing you type is saved" in win.notice.text()
    with qtbot.waitSignal(win.controller.ready, timeout=TIMEOUT_MS):
        win.start()
    win.input.setPlainText("What is asthma?")
    with qtbot.waitSignal(win.controller.finished, timeout=TIMEOUT_MS) as done:
        win.send()
    assert done.args[0].answer in win.transcript.toPlainText()
    win.close()


def test_full_disk_during_a_turn_is_shown_and_the_answer_still_comes(qtbot, window):
    window.input.setPlainText("First question")
    with qtbot.waitSignal(window.controller.finished, timeout=TIMEOUT_MS):
        window.send()
    # From now on every write fails as on a full disk (the worker has its own
    # connection, so the limit goes on the file through a trigger).
    window.store.db.execute(
        "CREATE TRIGGER disk_full BEFORE INSERT ON messages "
        "BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END")
    window.input.setPlainText("Second question")
    with qtbot.waitSignal(window.controller.finished, timeout=TIMEOUT_MS) as done:
        window.send()
    assert done.args[0].answer in window.transcript.toPlainText()
    assert window.notice.isVisible()
    assert "could not read or save" in window.notice.text() or "disk" in window.notice.text()


# --- safety ------------------------------------------------------------------------


def test_emergency_shows_the_banner_and_skips_the_model(qtbot, tiny_model_dir, tmp_path):
    win = MainWindow(load_settings(tmp_path, str(tiny_model_dir), "cpu", country="GB"))
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.controller.ready, timeout=TIMEOUT_MS):
        win.start()
    assert not win.banner.isVisible()
    win.input.setPlainText("my chest is crushing and my arm is numb")
    with qtbot.waitSignal(win.controller.finished, timeout=TIMEOUT_MS) as done:
        win.send()
    result = done.args[0]
    assert result.emergency and result.tokens == 0
    assert win.banner.isVisible()
    assert "Call 999" in win.banner.numbers.text()
    assert "heart attack" in win.banner.title.text().lower()
    assert not win.banner.front_desk.isVisible()  # that line is for kiosks
    assert "999" in win.transcript.toPlainText()
    saved = win.store.messages(win.conversation_id)
    assert saved[1].content == result.answer
    qtbot.mouseClick(win.banner.close_button, Qt.MouseButton.LeftButton)
    assert not win.banner.isVisible()
    win.close()


def test_kiosk_banner_says_tell_the_front_desk(qtbot):
    from chatapp.safety import triage
    from chatapp.ui.emergency_banner import EmergencyBanner

    banner = EmergencyBanner(kiosk=True)
    qtbot.addWidget(banner)
    t = triage("I can't breathe", "en", "US")
    banner.show_emergency(t.title, t.message, t.numbers)
    assert banner.front_desk.isVisible()
    assert banner.front_desk.text() == "Tell the front desk now."
