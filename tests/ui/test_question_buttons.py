"""Tap to ask: the library's common questions as buttons, in the window, the topics
reader and the kiosk; a tap asks through the normal turn."""

from __future__ import annotations

from pathlib import Path

import pytest
from kiosk_helpers import close_kiosk, started_kiosk
from PySide6.QtCore import Qt

from chatapp.config import load_settings
from chatapp.kiosk_config import DEFAULT_TOPICS
from chatapp.knowledge import LibraryIndex
from chatapp.ui import MainWindow
from chatapp.ui.kiosk_window import KIOSK_TARGET_PX
from chatapp.ui.message_model import ChatItem
from chatapp.ui.question_buttons import FOLLOW_UPS, QuestionButtons, suggested
from chatapp.vocabulary import MessageStatus

TIMEOUT_MS = 60_000
LEFT = Qt.MouseButton.LeftButton
INDEX = LibraryIndex.load()


def ready_window(qtbot, data_dir: Path, model: str, language: str = "en") -> MainWindow:
    win = MainWindow(load_settings(data_dir, model, "cpu", language=language))
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.controller.ready, timeout=TIMEOUT_MS):
        win.start()
    qtbot.waitUntil(lambda: win.ask.suggestions.isVisible(), timeout=TIMEOUT_MS)
    return win


@pytest.mark.parametrize("language", ["en", "zh"])
def test_an_empty_chat_offers_a_question_on_common_topics(qtbot, tiny_model_dir, tmp_path,
                                                          language):
    win = ready_window(qtbot, tmp_path, str(tiny_model_dir), language)
    firsts = [INDEX.asked_questions(topic, language)[0] for topic in DEFAULT_TOPICS]
    assert win.ask.suggestions.questions == tuple(firsts[:4])
    assert all(b.minimumHeight() >= 44 for b in win.ask.suggestions.buttons)
    win.close()


def test_a_tap_asks_the_question_as_if_typed(qtbot, tiny_model_dir, tmp_path):
    win = ready_window(qtbot, tmp_path, str(tiny_model_dir))
    button = win.ask.suggestions.buttons[0]
    question = button.text()
    with qtbot.waitSignal(win.controller.finished, timeout=TIMEOUT_MS) as done:
        qtbot.mouseClick(button, LEFT)
    assert done.args[0].question == question
    assert win.messages.item(0).text == question
    (conversation,) = win.store.conversations(win.profile.id)
    assert win.store.messages(conversation.id)[0].content == question  # saved as typed
    win.close()


def test_after_an_answer_more_questions_from_its_article_are_offered():
    asked = "What is asthma?"
    items = [ChatItem("user", asked),
             ChatItem("assistant", "Asthma is…", sources=({"id": "asthma-and-inhalers"},))]
    kind, questions = suggested(INDEX, items, "en")
    expected = [q for q in INDEX.asked_questions("asthma-and-inhalers", "en") if q != asked]
    assert kind == "more" and questions == tuple(expected[:FOLLOW_UPS])
    # Nothing after an answer without a source, one stopped, or while one is written.
    for last in (ChatItem("assistant", "…"),
                 ChatItem("assistant", "…", status=MessageStatus.CANCELLED,
                          sources=({"id": "asthma-and-inhalers"},))):
        assert suggested(INDEX, [items[0], last], "en") == ("", ())
    assert suggested(None, items, "en") == ("", ())


def test_the_topics_reader_shows_an_articles_questions_and_a_tap_asks(qtbot, tiny_model_dir,
                                                                      tmp_path):
    win = ready_window(qtbot, tmp_path, str(tiny_model_dir))
    win.open_topic("asthma-and-inhalers")
    browser = win.topics
    assert browser.questions.questions == INDEX.asked_questions("asthma-and-inhalers", "en")
    with qtbot.waitSignal(win.controller.finished, timeout=TIMEOUT_MS):
        qtbot.mouseClick(browser.questions.buttons[0], LEFT)
    assert win.tabs.currentIndex() == 0  # back on the chat, where the answer is
    assert win.messages.item(0).text == browser.questions.questions[0]
    win.close()


def test_a_tapped_button_says_which_question(qtbot):
    buttons = QuestionButtons()
    qtbot.addWidget(buttons)
    buttons.show_questions("You could ask:", ["What is asthma?", "How do inhalers work?"])
    assert buttons.questions == ("What is asthma?", "How do inhalers work?")
    assert not buttons.isHidden() and buttons.heading.text() == "You could ask:"
    with qtbot.waitSignal(buttons.asked) as tapped:
        qtbot.mouseClick(buttons.buttons[1], LEFT)
    assert tapped.args == ["How do inhalers work?"]
    buttons.show_questions("You could ask:", [])
    assert buttons.isHidden() and buttons.questions == ()


def test_the_kiosk_tile_article_offers_large_question_buttons(qtbot, tiny_model_dir,
                                                              _isolated_data_dir):
    win = started_kiosk(qtbot, _isolated_data_dir, tiny_model_dir)
    qtbot.mouseClick(win.welcome.tile_buttons["type-2-diabetes"], LEFT)
    questions = win.topics.questions
    assert questions.questions == INDEX.asked_questions("type-2-diabetes", "en")
    assert all(b.minimumHeight() >= KIOSK_TARGET_PX for b in questions.buttons)
    with qtbot.waitSignal(win.controller.finished, timeout=TIMEOUT_MS):
        qtbot.mouseClick(questions.buttons[0], LEFT)
    assert win.messages.item(0).text == questions.questions[0]
    close_kiosk(win)
