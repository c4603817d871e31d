from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from chatapp.config import load_settings
from chatapp.turn import MAX_QUESTION_CHARS
from chatapp.ui import MainWindow, TokenBuffer
from chatapp.ui.main_window import MIN_TARGET_PX

TIMEOUT_MS = 60_000


def make_window(qtbot, data_dir: Path, model: str, **options) -> MainWindow:
    win = MainWindow(load_settings(data_dir, model, "cpu", **options))
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def window(qtbot, tiny_model_dir: Path, tmp_path: Path):
    win = make_window(qtbot, tmp_path, str(tiny_model_dir))
    with qtbot.waitSignal(win.controller.ready, timeout=TIMEOUT_MS):
        win.start()
    yield win
    win.close()


def transcript(win: MainWindow) -> list[tuple[str, str, str]]:
    return [(i.speaker, i.text, i.status) for i in win.messages.items()]


def transcript_text(win: MainWindow) -> str:
    return "\n".join(text for _, text, _ in transcript(win))


def ask(qtbot, win: MainWindow, question: str):
    win.composer.setPlainText(question)
    with qtbot.waitSignal(win.controller.finished, timeout=TIMEOUT_MS) as done:
        qtbot.mouseClick(win.send_button, Qt.MouseButton.LeftButton)
    return done.args[0]


def hold_the_answer(win: MainWindow) -> threading.Event:
    """Make the worker wait after its first token until the returned event is set."""
    gate = threading.Event()
    win.controller.worker.token.connect(lambda _piece: gate.wait(TIMEOUT_MS / 1000),
                                        Qt.ConnectionType.DirectConnection)
    return gate


# --- asking and streaming ----------------------------------------------------------


def test_window_is_usable_while_the_model_loads(qtbot, tiny_model_dir, tmp_path):
    win = make_window(qtbot, tmp_path, str(tiny_model_dir))
    assert win.progress.isVisible()
    assert win.send_button.isEnabled()  # the safety rules need no model
    assert win.sidebar.conversations.isEnabled()  # history is readable meanwhile
    with qtbot.waitSignal(win.controller.ready, timeout=TIMEOUT_MS):
        win.start()
    assert not win.progress.isVisible()
    assert tiny_model_dir.name in win.status_label.text()
    win.close()


def test_send_streams_the_answer_into_the_message_list(qtbot, window):
    result = ask(qtbot, window, "What is asthma?")
    assert transcript(window) == [("user", "What is asthma?", "complete"),
                                  ("assistant", result.answer, "complete")]
    assert "tokens/s" in window.messages.item(1).meta
    assert window.composer.toPlainText() == ""
    assert window.send_button.text() == "Send"
    (conversation,) = window.store.conversations(window.profile.id)
    saved = window.store.messages(conversation.id)
    assert [(m.role, m.status) for m in saved] == [("user", "complete"), ("assistant", "complete")]
    assert saved[1].content == result.answer
    assert window.sidebar.conversations.item(0).text() == "What is asthma?"


def test_the_list_model_passes_qts_model_checks(qtbot, qtmodeltester, window):
    ask(qtbot, window, "What is asthma?")
    qtmodeltester.check(window.messages)


def test_tokens_edit_one_row_in_place(qtbot, window):
    inserted, changed = [], []
    window.messages.rowsInserted.connect(lambda *a: inserted.append(a[1]))
    window.messages.dataChanged.connect(lambda top, bottom: changed.append(top.row()))
    ask(qtbot, window, "What is asthma?")
    assert inserted == [0, 1]  # the question and the answer: no row per token
    assert changed and set(changed) == {1}


def test_enter_sends_and_shift_enter_breaks_the_line(qtbot, window):
    window.composer.setFocus()
    qtbot.keyClicks(window.composer, "first line")
    qtbot.keyClick(window.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(window.composer, "second line")
    assert window.composer.toPlainText() == "first line\nsecond line"
    with qtbot.waitSignal(window.controller.finished, timeout=TIMEOUT_MS):
        qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    assert transcript(window)[0][1] == "first line\nsecond line"


def test_empty_question_shows_a_message(qtbot, window):
    window.composer.setPlainText("   ")
    qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)
    assert window.notice.isVisible()
    assert "type a question" in window.notice.text()
    assert transcript(window) == []


def test_counter_shows_the_length_and_the_limit(qtbot, window):
    window.composer.setPlainText("Hello")
    assert window.counter.text() == f"5 / {MAX_QUESTION_CHARS:,} characters"
    window.composer.setPlainText("a" * (MAX_QUESTION_CHARS + 1))
    assert window.counter.objectName() == "counterOver"
    window.send()
    assert "limit" in window.notice.text() and transcript(window) == []


def test_a_huge_paste_is_refused_whole_with_a_message(qtbot, window):
    window.composer.setPlainText("My question: ")
    window.composer.moveCursor(QTextCursor.MoveOperation.End)
    huge = QMimeData()
    huge.setText("x" * (MAX_QUESTION_CHARS + 10))
    window.composer.insertFromMimeData(huge)
    assert window.composer.toPlainText() == "My question: "  # nothing cut, nothing added
    assert window.notice.isVisible() and "Nothing was cut off" in window.notice.text()
    small = QMimeData()
    small.setText("what is asthma?")
    window.composer.insertFromMimeData(small)
    assert window.composer.toPlainText() == "My question: what is asthma?"


def test_stop_mid_answer_keeps_the_partial_answer_as_stopped(qtbot, window):
    window.controller.worker.token.connect(
        lambda _piece: window.controller.stop(), Qt.ConnectionType.DirectConnection
    )
    result = ask(qtbot, window, "Tell me everything about blood pressure.")
    assert result.stopped
    assert transcript(window)[-1][2] == "cancelled"
    answer = window.store.messages(window.conversation_id)[1]
    assert answer.status == "cancelled"


def test_send_button_becomes_stop_while_answering_and_esc_stops(qtbot, window):
    gate = hold_the_answer(window)
    window.composer.setPlainText("Tell me about sleep.")
    with qtbot.waitSignal(window.controller.token, timeout=TIMEOUT_MS):
        window.send()
    assert window.send_button.text() == "Stop"
    assert window.send_button.accessibleName() == "Stop the answer"
    with qtbot.waitSignal(window.controller.finished, timeout=TIMEOUT_MS) as done:
        qtbot.keyClick(window, Qt.Key.Key_Escape)
        gate.set()
    assert done.args[0].stopped
    assert window.send_button.text() == "Send"


def test_switching_conversations_during_an_answer(qtbot, window):
    older = ask(qtbot, window, "First conversation question")
    first = window.conversation_id
    window.new_conversation()
    gate = hold_the_answer(window)
    window.composer.setPlainText("Second conversation question")
    with qtbot.waitSignal(window.controller.token, timeout=TIMEOUT_MS):
        window.send()
    second = window.conversation_id
    window.open_conversation(first)  # the patient reads the other conversation meanwhile
    assert transcript(window)[1][1] == older.answer
    with qtbot.waitSignal(window.controller.finished, timeout=TIMEOUT_MS) as done:
        gate.set()
    # The answer landed in the conversation that asked, not in the one on screen.
    assert [m.content for m in window.store.messages(first)] == [
        "First conversation question", older.answer]
    saved = window.store.messages(second)
    assert saved[0].content == "Second conversation question"
    assert saved[1].content == done.args[0].answer and saved[1].status == "complete"
    assert len(transcript(window)) == 2
    window.open_conversation(second)
    assert transcript(window)[-1][1] == done.args[0].answer


def test_reopening_the_asking_conversation_mid_answer_shows_it_growing(qtbot, window):
    gate = hold_the_answer(window)
    window.composer.setPlainText("Tell me about sleep.")
    with qtbot.waitSignal(window.controller.token, timeout=TIMEOUT_MS):
        window.send()
    asking = window.conversation_id
    window.new_conversation()
    window.open_conversation(asking)
    assert transcript(window)[0] == ("user", "Tell me about sleep.", "complete")
    assert transcript(window)[1][2] == "streaming"
    with qtbot.waitSignal(window.controller.finished, timeout=TIMEOUT_MS) as done:
        gate.set()
    assert transcript(window) == [("user", "Tell me about sleep.", "complete"),
                                  ("assistant", done.args[0].answer, "complete")]


def test_regenerate_asks_the_last_question_again(qtbot, window):
    ask(qtbot, window, "What is asthma?")
    assert window.regenerate_button.isEnabled()
    with qtbot.waitSignal(window.controller.finished, timeout=TIMEOUT_MS):
        qtbot.mouseClick(window.regenerate_button, Qt.MouseButton.LeftButton)
    assert [t[1] for t in transcript(window)][::2] == ["What is asthma?"] * 2
    assert len(window.store.messages(window.conversation_id)) == 4


def test_copy_answer_puts_the_answer_on_the_clipboard(qtbot, window, monkeypatch):
    result = ask(qtbot, window, "What is asthma?")
    window.messages.update(1, text="Asthma narrows the airways.")  # the tiny model babbles
    qtbot.mouseClick(window.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "Asthma narrows the airways."
    assert result is not None


def test_screen_readers_are_told_when_an_answer_completes(qtbot, window):
    window.composer.setPlainText("What is asthma?")
    with qtbot.waitSignal(window.announced, timeout=TIMEOUT_MS) as told:
        window.send()
    assert told.args[0].startswith("CareChat answered")


def test_a_conversation_longer_than_the_context_says_so_once(qtbot, window):
    conv = window.store.create_conversation(window.profile.id, "Long").id
    for i in range(200):
        window.store.add_message(conv, "user", f"Question {i} about blood pressure and salt")
        window.store.add_message(conv, "assistant", f"Answer {i} about water and sleep")
    window.conversations.refresh()
    window.open_conversation(conv)
    first = ask(qtbot, window, "And one more question?")
    assert first.history_left_out > 0
    notes = [t for t in transcript(window) if t[0] == "notice"]
    assert len(notes) == 1 and "left out" in notes[0][1]
    ask(qtbot, window, "And another?")
    assert len([t for t in transcript(window) if t[0] == "notice"]) == 1
    assert len(window.store.messages(conv)) == 404  # nothing left out of the history


def test_closing_during_an_answer_saves_it_as_stopped(qtbot, window):
    gate = hold_the_answer(window)
    window.composer.setPlainText("Tell me everything about blood pressure.")
    with qtbot.waitSignal(window.controller.token, timeout=TIMEOUT_MS):
        window.send()
    conversation = window.conversation_id
    store_location = window.store.location
    threading.Timer(0.05, gate.set).start()  # the worker is released while we close
    window.close()
    assert window.controller.thread.isFinished()
    from chatapp.storage import open_store

    store = open_store(store_location)
    assert [m.status for m in store.messages(conversation)] == ["complete", "cancelled"]
    store.close()


def test_model_that_cannot_load_leaves_a_readable_window(qtbot, tmp_path):
    win = make_window(qtbot, tmp_path, str(tmp_path / "missing.gguf"))
    with qtbot.waitSignal(win.controller.load_failed, timeout=TIMEOUT_MS):
        win.start()
    assert win.notice.isVisible()
    assert "missing.gguf" in win.notice.text() and "Settings" in win.notice.text()
    assert "could not start" in win.status_label.text()
    # A question the model would answer is refused politely and kept...
    win.composer.setPlainText("What is asthma?")
    win.send()
    assert "could not start" in win.notice.text()
    assert win.composer.toPlainText() == "What is asthma?"
    # ...but an emergency is still answered at once, by the rules, and saved.
    win.composer.setPlainText("I can't breathe")
    win.send()
    assert win.banner.isVisible()
    assert "trouble breathing" in win.banner.title.text().lower()
    assert transcript(win)[-1][1] == win.banner.message.text()
    saved = win.store.messages(win.conversation_id)
    assert [m.content for m in saved][0] == "I can't breathe"
    assert saved[1].status == "complete" and saved[1].model == "CareChat safety rules"
    win.close()


def test_an_emergency_no_rule_knows_gets_the_banner_without_the_model(qtbot, tmp_path):
    # Issue 15: the learned screen needs no chat model either.
    win = make_window(qtbot, tmp_path, str(tmp_path / "missing.gguf"))
    with qtbot.waitSignal(win.controller.load_failed, timeout=TIMEOUT_MS):
        win.start()
    win.composer.setPlainText("my little boy put one of those flat round remote control "
                              "batteries in his mouth and now I cant find it")
    win.send()
    assert win.banner.isVisible()
    assert "poisoning" in win.banner.title.text().lower()
    assert transcript(win)[-1][1] == win.banner.message.text()
    win.close()


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


# --- accessibility and keyboard -------------------------------------------------------


def interactive(win: QWidget) -> list[QWidget]:
    return [w for w in win.findChildren(QWidget)
            if w.isVisible() and w.focusPolicy() != Qt.FocusPolicy.NoFocus
            and w.metaObject().className() not in ("QScrollBar", "QSplitterHandle")
            and not w.objectName().startswith("qt_")]


def test_every_control_has_a_name_a_tooltip_and_a_big_enough_target(window):
    controls = interactive(window)
    assert len(controls) >= 10
    for widget in controls:
        assert widget.accessibleName(), widget
        assert widget.toolTip(), widget
        if isinstance(widget, QAbstractButton):
            assert widget.height() >= MIN_TARGET_PX and widget.width() >= MIN_TARGET_PX, widget


def test_answer_buttons_keep_their_words_and_wrap_when_narrow(qtbot, tmp_path):
    win = make_window(qtbot, tmp_path, str(tmp_path / "none.gguf"))
    panel = win.ask
    buttons = [panel.simpler_button, panel.check_button, panel.regenerate_button,
               panel.copy_button, panel.handout_button]

    def rows() -> int:
        qtbot.waitUntil(lambda: all(b.width() == b.sizeHint().width() for b in buttons))
        return len({b.y() for b in buttons})

    win.resize(1600, 760)
    assert rows() == 1
    win.resize(900, 760)  # the default 1080 already is too narrow for one row
    assert rows() >= 2
    for button in buttons:  # never squeezed below its words
        assert button.width() >= button.fontMetrics().horizontalAdvance(button.text()), button
        assert button.geometry().right() <= panel.width()
    win.close()


def test_shortcuts(qtbot, window):
    ask(qtbot, window, "What is asthma?")
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.sidebar.search.hasFocus() or QApplication.focusWidget() is window.sidebar.search
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.conversation_id is None and transcript(window) == []
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.text_scale() == 1.1
    qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert window.text_scale() == 1.25
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.text_scale() == 1.1
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.text_scale() == 1.0
    opened = []
    window.run_dialog = lambda dialog: opened.append(dialog) or False
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    assert len(opened) == 1


def test_text_size_is_kept_per_profile_within_100_to_200_percent(qtbot, window):
    for _ in range(10):
        window.larger_text()
    assert window.text_scale() == 2.0
    assert window.store.profile(window.profile.id).font_scale == 2.0
    assert QApplication.instance().font().pointSizeF() == pytest.approx(24.0)
    other = window.store.create_profile("Grandma")
    window.switch_profile(other.id)
    assert window.text_scale() == 1.0
    window.switch_profile(window.store.profile_named("Me").id)
    assert window.text_scale() == 2.0
    for _ in range(10):
        window.smaller_text()
    assert window.text_scale() == 1.0


def test_a_whole_turn_by_keyboard_alone(qtbot, window):
    window.composer.setFocus()
    qtbot.keyClicks(window.composer, "What is asthma?")
    qtbot.keyClick(window.composer, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.send_button
    with qtbot.waitSignal(window.controller.finished, timeout=TIMEOUT_MS):
        qtbot.keyClick(window.send_button, Qt.Key.Key_Space)
    assert transcript(window)[0][1] == "What is asthma?"
    # Tab moves on through the answer's buttons to the conversation and the sidebar.
    order = []
    widget = window.send_button
    for _ in range(12):
        widget = widget.nextInFocusChain()
        while not (widget.isVisible() and widget.isEnabled()
                   and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
            widget = widget.nextInFocusChain()
        order.append(widget)
        if widget is window.composer:
            break
    assert order.index(window.transcript) < order.index(window.sidebar.search)
    assert window.sidebar.conversations in order


# --- conversations in the sidebar ----------------------------------------------------


def seed(store, profile_id, title, messages):
    conv = store.create_conversation(profile_id, title)
    for role, content, status in messages:
        store.add_message(conv.id, role, content, status=status)
    return conv.id


def sidebar_titles(win: MainWindow) -> list[str]:
    c = win.sidebar.conversations
    return [c.item(i).text() for i in range(c.count())]


def test_past_conversations_are_listed_and_readable(qtbot, window):
    store, pid = window.store, window.profile.id
    older = seed(store, pid, "Asthma", [("user", "What is asthma?", "complete"),
                                       ("assistant", "Asthma narrows the airways.", "complete")])
    newer = seed(store, pid, "Sleep", [("user", "How much sleep?", "complete"),
                                      ("assistant", "Most adults need", "interrupted")])
    window.conversations.refresh()
    assert sidebar_titles(window) == ["Sleep", "Asthma"]
    window.sidebar.conversations.setCurrentRow(1)
    assert window.conversation_id == older
    assert "Asthma narrows the airways." in transcript_text(window)
    window.sidebar.conversations.setCurrentRow(0)
    assert window.conversation_id == newer
    assert transcript(window)[-1] == ("assistant", "Most adults need", "interrupted")
    assert "Cut off" in window.delegate.labels.statuses["interrupted"]


def test_search_finds_words_in_past_conversations(qtbot, window):
    store, pid = window.store, window.profile.id
    seed(store, pid, "Asthma", [("user", "What is asthma?", "complete"),
                                ("assistant", "An inhaler opens the airways.", "complete")])
    seed(store, pid, "Sleep", [("user", "How much sleep?", "complete")])
    window.conversations.refresh()
    with qtbot.waitSignal(window.sidebar.search_changed, timeout=2000):
        window.sidebar.search.setText("inhaler")
    assert len(sidebar_titles(window)) == 1
    assert sidebar_titles(window)[0].startswith("Asthma\n")
    assert "inhaler" in sidebar_titles(window)[0]
    window.sidebar.conversations.setCurrentRow(0)
    assert "An inhaler opens the airways." in transcript_text(window)
    assert window.transcript.currentIndex().row() == 1  # the matching message is shown
    with qtbot.waitSignal(window.sidebar.search_changed, timeout=2000):
        window.sidebar.search.setText("zebra")
    assert sidebar_titles(window) == [] and window.sidebar.empty.isVisible()
    with qtbot.waitSignal(window.sidebar.search_changed, timeout=2000):
        window.sidebar.search.clear()
    assert len(sidebar_titles(window)) == 2


def test_new_conversation_then_send_creates_it(qtbot, window):
    seed(window.store, window.profile.id, "Old", [("user", "Old question", "complete")])
    window.conversations.refresh()
    window.sidebar.conversations.setCurrentRow(0)
    qtbot.mouseClick(window.sidebar.new_button, Qt.MouseButton.LeftButton)
    assert window.conversation_id is None
    assert transcript(window) == []
    ask(qtbot, window, "A brand new question")
    assert window.sidebar.conversations.count() == 2
    assert window.sidebar.conversations.currentItem().text() == "A brand new question"


def test_rename_conversation(qtbot, window, monkeypatch):
    conv = seed(window.store, window.profile.id, "Old name", [])
    window.conversations.refresh()
    window.open_conversation(conv)
    monkeypatch.setattr(window, "ask_text", lambda *a: "  My inhaler  ")
    qtbot.mouseClick(window.sidebar.rename_button, Qt.MouseButton.LeftButton)
    assert window.store.conversation(conv).title == "My inhaler"
    assert sidebar_titles(window) == ["My inhaler"]


def test_delete_asks_first(qtbot, window, monkeypatch):
    conv = seed(window.store, window.profile.id, "Keep me?", [("user", "Q", "complete")])
    window.conversations.refresh()
    window.open_conversation(conv)
    asked = []
    monkeypatch.setattr(window, "confirm", lambda title, text: asked.append(text) or False)
    qtbot.mouseClick(window.sidebar.delete_button, Qt.MouseButton.LeftButton)
    assert "Keep me?" in asked[0]
    assert window.store.conversations(window.profile.id)  # declined: still there
    monkeypatch.setattr(window, "confirm", lambda title, text: True)
    qtbot.mouseClick(window.sidebar.delete_button, Qt.MouseButton.LeftButton)
    assert window.store.conversations(window.profile.id) == []
    assert window.sidebar.conversations.count() == 0
    assert window.conversation_id is None


def unreadable_conversations(window, monkeypatch) -> None:
    """From now on the store cannot read a conversation (a damaged or locked file)."""
    from chatapp.storage import StorageError

    def fail(_conversation_id):
        raise StorageError("CareChat could not read your conversations.", "Try again.")

    monkeypatch.setattr(window.store, "conversation", fail)


def test_rename_that_cannot_read_the_conversation_shows_a_notice(qtbot, window, monkeypatch):
    conv = seed(window.store, window.profile.id, "Old name", [])
    window.conversations.refresh()
    window.open_conversation(conv)
    unreadable_conversations(window, monkeypatch)
    asked = []
    monkeypatch.setattr(window, "ask_text", lambda *a: asked.append(a) or "New name")
    qtbot.mouseClick(window.sidebar.rename_button, Qt.MouseButton.LeftButton)
    assert asked == []  # nothing to rename from: not asked
    assert window.notice.isVisible() and "could not read" in window.notice.text()
    assert [c.title for c in window.store.conversations(window.profile.id)] == ["Old name"]


def test_delete_that_cannot_read_the_conversation_shows_a_notice(qtbot, window, monkeypatch):
    conv = seed(window.store, window.profile.id, "Keep me", [("user", "Q", "complete")])
    window.conversations.refresh()
    window.open_conversation(conv)
    unreadable_conversations(window, monkeypatch)
    asked = []
    monkeypatch.setattr(window, "confirm", lambda title, text: asked.append(text) or True)
    qtbot.mouseClick(window.sidebar.delete_button, Qt.MouseButton.LeftButton)
    assert asked == []  # never asked to delete what cannot be read
    assert window.notice.isVisible() and "could not read" in window.notice.text()
    assert window.conversation_id == conv
    assert [c.id for c in window.store.conversations(window.profile.id)] == [conv]


def test_profiles_can_be_added_and_switched(qtbot, window, monkeypatch):
    ask(qtbot, window, "Mine")
    monkeypatch.setattr(window, "ask_text", lambda *a: "Grandma")
    window.conversations.choose_profile(-1)
    assert window.profile.name == "Grandma"
    assert sidebar_titles(window) == []
    names = [window.sidebar.profiles.itemText(i) for i in range(window.sidebar.profiles.count())]
    assert names == ["Grandma", "Me", "Add a profile…"]
    window.switch_profile(window.store.profile_named("Me").id)
    assert sidebar_titles(window) == ["Mine"]


def test_answer_cut_off_by_a_crash_shows_as_interrupted(qtbot, tiny_model_dir, tmp_path):
    from chatapp.storage import StoreLocation, open_store

    store = open_store(StoreLocation.in_data_dir(tmp_path))
    profile = store.profile_or_create("Me")
    store.set_setting("current_profile", profile.id)
    conv = store.create_conversation(profile.id)
    store.add_message(conv.id, "user", "What is asthma?")
    store.add_message(conv.id, "assistant", "Asthma is a", status="streaming")
    store.close()  # as if the app had been killed here

    win = make_window(qtbot, tmp_path, str(tiny_model_dir))
    win.open_conversation(conv.id)
    assert win.store.messages(conv.id)[1].status == "interrupted"
    assert transcript(win)[1] == ("assistant", "Asthma is a", "interrupted")
    win.close()


def test_damaged_database_is_reported_in_the_window(qtbot, tiny_model_dir, tmp_path):
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "carechat.db").write_text("not a database")
    win = make_window(qtbot, tmp_path, str(tiny_model_dir))
    assert win.notice.isVisible()
    assert "moved, not deleted" in win.notice.text()
    assert "carechat.db.damaged-" in win.notice.text()
    win.close()


def test_unwritable_data_dir_still_opens_and_says_nothing_is_saved(
    qtbot, tiny_model_dir, tmp_path
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    win = make_window(qtbot, blocker / "data", str(tiny_model_dir))
    assert "nothing you type is saved" in win.notice.text()
    with qtbot.waitSignal(win.controller.ready, timeout=TIMEOUT_MS):
        win.start()
    result = ask(qtbot, win, "What is asthma?")
    assert transcript(win)[-1][1] == result.answer
    win.close()


def test_full_disk_during_a_turn_is_shown_and_the_answer_still_comes(qtbot, window):
    ask(qtbot, window, "First question")
    # From now on every write fails as on a full disk (the worker has its own
    # connection, so the limit goes on the file through a trigger).
    window.store.db.execute(
        "CREATE TRIGGER disk_full BEFORE INSERT ON messages "
        "BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END")
    result = ask(qtbot, window, "Second question")
    answers = [text for speaker, text, _ in transcript(window) if speaker == "assistant"]
    assert answers[-1] == result.answer
    assert window.notice.isVisible()
    assert "could not read or save" in window.notice.text() or "disk" in window.notice.text()


# --- safety ------------------------------------------------------------------------


def test_emergency_shows_the_banner_and_skips_the_model(qtbot, tiny_model_dir, tmp_path):
    win = make_window(qtbot, tmp_path, str(tiny_model_dir), country="GB")
    with qtbot.waitSignal(win.controller.ready, timeout=TIMEOUT_MS):
        win.start()
    assert not win.banner.isVisible()
    result = ask(qtbot, win, "my chest is crushing and my arm is numb")
    assert result.emergency and result.generation.tokens == 0
    assert win.banner.isVisible()
    assert "Call 999" in win.banner.numbers.text()
    assert "heart attack" in win.banner.title.text().lower()
    assert not win.banner.front_desk.isVisible()  # that line is for kiosks
    assert "999" in transcript_text(win)
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


# --- sources and reading level on an answer ----------------------------------------


def click_anchor(win: MainWindow, row: int, href: str) -> None:
    """Click the link ``href`` inside row ``row``'s bubble."""
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QStyleOptionViewItem

    index = win.messages.index(row)
    option = QStyleOptionViewItem()
    option.rect = win.transcript.visualRect(index)
    option.font = win.transcript.font()
    doc = win.delegate._document(option, index)
    bubble = win.delegate._bubble(option, index, doc)
    layout = doc.documentLayout()
    for y in range(0, int(bubble.height()), 3):  # find a point on the link's words
        for x in range(0, int(bubble.width()), 4):
            if layout.anchorAt(QPointF(x, y)) == href:
                point = bubble.topLeft() + QPointF(x, y)
                event = QMouseEvent(QEvent.Type.MouseButtonRelease, point, point,
                                    Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton,
                                    Qt.KeyboardModifier.NoModifier)
                win.delegate.editorEvent(event, win.messages, option, index)
                return
    raise AssertionError(f"no link {href} in row {row}")


def english_scores(fk_grade: float, grade: int) -> dict:
    """A saved readability record, as literacy.Readability.to_dict() writes it."""
    from chatapp.literacy import Readability

    return Readability("en", 3, 30, 10.0, grade=grade, fk_grade=fk_grade).to_dict()


@pytest.mark.parametrize(("fk_grade", "grade", "words"), [
    (4.6, 5, "Easy to read: grade 5"), (7.8, 8, "Fairly easy to read: grade 8"),
    (9.6, 10, "Harder to read: grade 10"), (17.2, 17, "Hard to read: grade 17")])
def test_the_badge_never_calls_a_hard_answer_easy(window, fk_grade, grade, words):
    from chatapp.ui.message_model import ChatItem

    window.messages.append(ChatItem("assistant", "Text.", model="SmolLM2",
                                    readability=english_scores(fk_grade, grade)))
    lines = [line for line, _ in window.delegate._footer(window.messages.index(0))]
    assert words in lines


def test_the_badge_shows_the_grade_the_reading_level_is_judged_by(window):
    """Flesch-Kincaid 6.5 is saved as grade 7 (rounded half up), over the basic level's
    grade 6: the badge says grade 7 and "fairly easy", as chatapp.literacy does."""
    from chatapp.literacy import Readability, badge, easiest_level
    from chatapp.ui.message_model import ChatItem

    scores = Readability("en", 3, 30, 10.0, grade=7, fk_grade=6.5)
    assert easiest_level(scores).value == "standard"
    assert badge(scores) == "Fairly easy to read: grade 7"
    window.messages.append(ChatItem("assistant", "Text.", model="SmolLM2",
                                    readability={**scores.to_dict(), "level": "basic"}))
    footer = window.delegate._footer(window.messages.index(0))
    assert ("Fairly easy to read: grade 7", window.theme.good) in footer
    assert not any("grade 6" in line for line, _ in footer)


def test_a_chinese_answer_gets_its_chinese_badge(window):
    # The window showed no badge at all on Chinese answers (issue 5: every answer).
    from chatapp.literacy import score_text
    from chatapp.ui.message_model import ChatItem

    easy = score_text("多喝水。好好休息。按时吃药。", "zh").to_dict()
    hard = score_text("如果体温持续升高并且伴有呼吸困难或者意识改变等表现"
                      "应当立即拨打当地急救电话寻求帮助。", "zh").to_dict()
    for text, scores in (("多喝水。", easy), ("如果…", hard)):
        window.messages.append(ChatItem("assistant", text, model="SmolLM2",
                                        readability={**scores, "level": "basic"}))
    footers = [window.delegate._footer(window.messages.index(r)) for r in (0, 1)]
    assert ("容易读", window.theme.good) in footers[0]
    assert ("难读", window.theme.muted) in footers[1]


def test_an_answer_shows_its_sources_and_reading_level(qtbot, window):
    from chatapp.ui.message_model import ChatItem

    window.messages.append(ChatItem(
        "assistant", "Drink water.", model="SmolLM2",
        sources=({"id": "dehydration", "title": "Dehydration", "url": "https://x"},),
        readability=english_scores(4.6, 5)))
    window.messages.append(ChatItem("assistant", "Something else.", model="SmolLM2"))
    footer = [window.delegate._footer(window.messages.index(r)) for r in (0, 1)]
    assert any("Easy to read: grade 5" in line for line, _ in footer[0])
    assert any("Dehydration" in line and "article:dehydration" in line for line, _ in footer[0])
    assert any("No library source" in line for line, _ in footer[1])
    with qtbot.waitSignal(window.delegate.source_clicked, timeout=2000) as clicked:
        click_anchor(window, 0, "article:dehydration")
    assert clicked.args == ["dehydration"]


def test_rules_answers_do_not_claim_a_missing_source(qtbot, window):
    from chatapp.ui.message_model import ChatItem

    window.messages.append(ChatItem("assistant", "Call 911 now.", model="CareChat safety rules"))
    assert not any("No library source" in line
                   for line, _ in window.delegate._footer(window.messages.index(0)))


# --- the health library and the reading level ----------------------------------------


def test_a_source_opens_its_article_in_the_health_topics_tab(qtbot, window):
    assert window.topics is None  # the browser is built only when first needed
    shared = window.library  # indexed once, by the worker, before the model loaded
    assert shared is not None
    window.open_topic("dehydration")
    assert window.library is shared  # the browser searches the worker's index
    assert window.tabs.currentIndex() == 1
    assert window.topics is not None and window.topics.article.id == "dehydration"
    window.tabs.setCurrentIndex(0)
    assert window.composer.isVisible()


def test_health_topics_work_without_a_model(qtbot, tmp_path):
    win = make_window(qtbot, tmp_path, str(tmp_path / "missing.gguf"))
    win.tabs.setCurrentIndex(1)
    assert win.topics is not None and len(win.topics.shown_ids()) >= 40
    win.close()


def test_the_reading_level_can_be_seen_and_changed(qtbot, window):
    assert "Basic" in window.sidebar.level_button.text()
    from chatapp.ui.screener_dialog import LevelDialog

    def pick_advanced(dialog):
        assert isinstance(dialog, LevelDialog)
        dialog.picker.set_level("advanced")
        return True

    window.open_topic("high-blood-pressure")  # the library reader opens at basic
    assert window.topics.level == "basic"
    window.run_dialog = pick_advanced
    window.reading_level.choose_level()
    assert window.store.profile(window.profile.id).literacy_level == "advanced"
    assert "Advanced" in window.sidebar.level_button.text()
    assert window.topics.level == "advanced"  # and now reads at the patient's level


def test_the_screener_is_offered_once_and_skipping_gives_basic(qtbot, window):
    window.reading_level.set_level("standard")
    assert window.reading_level.needs_screener()
    window.run_dialog = lambda dialog: False  # closed without answering
    window.reading_level.open_screener()
    assert window.profile.literacy_level == "basic"
    assert not window.reading_level.needs_screener()


def test_the_screeners_answer_length_is_kept_for_the_profile(qtbot, window):
    from chatapp.literacy import Level, Preferences, ScreenerResult

    assert window.profile.answer_style == "short"
    window.reading_level.apply_screener(ScreenerResult(
        Level.STANDARD, (), Preferences("en", 125, "more_detail")))
    saved = window.store.profile(window.profile.id)
    assert (saved.literacy_level, saved.answer_style, saved.font_scale) == (
        "standard", "more_detail", 1.25)


def test_explain_it_simpler_and_check_my_understanding(qtbot, tmp_path, monkeypatch):
    # A scripted model with room for the library passages (the tiny model has 1,024 tokens).
    from fake_engine import ScriptedEngine

    import model

    engine = ScriptedEngine(["Asthma narrows the airways."],
                            ["Asthma makes the tubes in your chest narrow."],
                            ["What happens to the airways in asthma?"],
                            ["Yes, that is right."])
    monkeypatch.setattr(model, "load", lambda *args, **kwargs: engine)
    window = make_window(qtbot, tmp_path, "default")
    with qtbot.waitSignal(window.controller.ready, timeout=TIMEOUT_MS):
        window.start()
    ask(qtbot, window, "What is asthma?")
    assert window.simpler_button.isEnabled() and window.check_button.isEnabled()
    with qtbot.waitSignal(window.controller.finished, timeout=TIMEOUT_MS) as done:
        qtbot.mouseClick(window.simpler_button, Qt.MouseButton.LeftButton)
    assert done.args[0].kind == "simpler"
    assert transcript(window)[2][:2] == ("user", "Explain it simpler")
    assert "tubes in your chest" in transcript(window)[3][1]
    with qtbot.waitSignal(window.controller.finished, timeout=TIMEOUT_MS) as done:
        qtbot.mouseClick(window.check_button, Qt.MouseButton.LeftButton)
    assert done.args[0].kind == "teach_back"
    assert window.teach_back is not None
    assert "Answer the question above" in window.composer.placeholderText()
    result = ask(qtbot, window, "It makes breathing hard")
    assert result.kind == "feedback"
    assert window.teach_back is None
    assert len(window.store.messages(window.conversation_id)) == 8
    window.close()


def test_first_start_with_the_builtin_model_suggests_a_bigger_one_once(qtbot, tmp_path,
                                                                      monkeypatch):
    import chatapp.model_advice as advice
    from model.installed import InstalledModels

    monkeypatch.setattr(advice, "total_memory_mb", lambda: 4_000)
    first = make_window(qtbot, tmp_path, None)  # the built-in model, nothing installed
    assert first.notice.isVisible()
    assert "Qwen2.5 1.5B Instruct" in first.notice.text()
    assert "Settings, then Models" in first.notice.text()
    assert first.notice.property("tone") == "info"  # advice, not a problem
    assert InstalledModels(tmp_path / "models").advised() == "qwen2.5-1.5b-instruct"
    first.close()
    again = make_window(qtbot, tmp_path, None)
    assert "bigger model" not in again.notice.text()  # once per data folder
    again.close()


def test_no_suggestion_when_a_model_was_chosen_or_nothing_fits(qtbot, tmp_path,
                                                               tiny_model_dir, monkeypatch):
    import chatapp.model_advice as advice

    monkeypatch.setattr(advice, "total_memory_mb", lambda: 16_000)
    chosen = make_window(qtbot, tmp_path / "a", str(tiny_model_dir))
    assert "bigger model" not in chosen.notice.text()
    chosen.close()
    monkeypatch.setattr(advice, "total_memory_mb", lambda: 1_000)  # too little for any
    small = make_window(qtbot, tmp_path / "b", None)
    assert "bigger model" not in small.notice.text()
    small.close()
