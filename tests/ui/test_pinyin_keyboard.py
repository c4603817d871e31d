"""Chinese on the kiosk without a hardware keyboard: the on-screen keyboard's pinyin
mode and its candidate bar, and questions to tap on the welcome screen."""

from __future__ import annotations

import pytest
from kiosk_helpers import close_kiosk, started_kiosk
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from chatapp.knowledge import LibraryIndex
from chatapp.ui.kiosk_window import WELCOME_QUESTIONS
from chatapp.ui.onscreen_keyboard import KEY_PX, OnScreenKeyboard
from chatapp.ui.pinyin_bar import PAGE

TIMEOUT_MS = 60_000
LEFT = Qt.MouseButton.LeftButton
INDEX = LibraryIndex.load()


@pytest.fixture
def typing(qtbot):
    field = QLineEdit()
    keyboard = OnScreenKeyboard()
    for widget in (field, keyboard):
        qtbot.addWidget(widget)
    keyboard.attach(field)
    keyboard.set_pinyin(True)
    keyboard.show()
    return keyboard, field


def tap_keys(qtbot, keyboard: OnScreenKeyboard, keys: str) -> None:
    for key in keys:
        qtbot.mouseClick(keyboard.key(key), LEFT)


def test_pinyin_collects_in_the_bar_and_a_tap_types_the_word(qtbot, typing):
    keyboard, field = typing
    tap_keys(qtbot, keyboard, "touteng")
    assert field.text() == ""  # the letters wait in the bar, not in the field
    assert keyboard.candidates.typed.text() == "touteng"
    assert "头疼" in keyboard.candidates.shown()[:3]
    button = next(b for b in keyboard.candidates.buttons if b.text() == "头疼")
    assert button.minimumHeight() >= KEY_PX and button.focusPolicy() == Qt.FocusPolicy.NoFocus
    qtbot.mouseClick(button, LEFT)
    assert field.text() == "头疼" and keyboard.letters == ""


def test_a_character_leaves_the_rest_to_convert_and_space_takes_the_first(qtbot, typing):
    keyboard, field = typing
    tap_keys(qtbot, keyboard, "touteng")
    tou = next(b for b in keyboard.candidates.buttons if b.text() == "头")
    qtbot.mouseClick(tou, LEFT)
    assert field.text() == "头" and keyboard.letters == "teng"
    first = keyboard.candidates.shown()[0]
    qtbot.mouseClick(keyboard.key("SPACE"), LEFT)
    assert field.text() == "头" + first and keyboard.letters == ""
    qtbot.mouseClick(keyboard.key("SPACE"), LEFT)  # no letters: a space, as in English
    assert field.text().endswith(" ")


def test_backspace_edits_the_letters_first_then_the_text(qtbot, typing):
    keyboard, field = typing
    field.setText("我")
    tap_keys(qtbot, keyboard, "fas")
    qtbot.mouseClick(keyboard.key("BACKSPACE"), LEFT)
    assert keyboard.letters == "fa" and field.text() == "我"
    for _ in range(2):
        qtbot.mouseClick(keyboard.key("BACKSPACE"), LEFT)
    assert keyboard.letters == "" and not keyboard.candidates.shown()
    qtbot.mouseClick(keyboard.key("BACKSPACE"), LEFT)
    assert field.text() == ""


def test_punctuation_is_chinese_and_enter_types_the_letters_themselves(qtbot, typing):
    keyboard, field = typing
    tap_keys(qtbot, keyboard, "fashao")
    qtbot.mouseClick(keyboard.key("?"), LEFT)  # the first candidate, then ？
    assert field.text().endswith("？") and len(field.text()) >= 2
    assert field.text()[0] in "发"
    tap_keys(qtbot, keyboard, "covid")
    qtbot.mouseClick(keyboard.key("ENTER"), LEFT)
    assert field.text().endswith("covid")


def test_more_candidates_a_page_at_a_time(qtbot, typing):
    keyboard, _field = typing
    tap_keys(qtbot, keyboard, "shi")
    first_page = keyboard.candidates.shown()
    assert len(first_page) == PAGE
    qtbot.mouseClick(keyboard.candidates.more, LEFT)
    second_page = keyboard.candidates.shown()
    assert second_page and not set(first_page) & set(second_page)


def test_the_chinese_key_switches_between_pinyin_and_english_letters(qtbot, typing):
    keyboard, field = typing
    tap_keys(qtbot, keyboard, "ni")
    qtbot.mouseClick(keyboard.key("CHINESE"), LEFT)  # letters left are typed as they are
    assert not keyboard.pinyin() and field.text() == "ni"
    assert not keyboard.candidates.isVisible() and keyboard.key("CHINESE").text() == "中"
    tap_keys(qtbot, keyboard, "ok")
    assert field.text() == "niok"
    qtbot.mouseClick(keyboard.key("CHINESE"), LEFT)
    assert keyboard.pinyin() and keyboard.candidates.isVisible()
    assert keyboard.key("CHINESE").text() == "EN"


def test_letters_meant_for_one_field_are_not_typed_into_another(qtbot, typing):
    keyboard, field = typing
    tap_keys(qtbot, keyboard, "wo")
    other = QLineEdit()
    qtbot.addWidget(other)
    keyboard.attach(other)
    assert keyboard.letters == "" and field.text() == "" and other.text() == ""


# --- the kiosk -------------------------------------------------------------------------


@pytest.fixture
def chinese_kiosk(qtbot, tiny_model_dir, _isolated_data_dir):
    win = started_kiosk(qtbot, _isolated_data_dir, tiny_model_dir, language="zh")
    yield win
    close_kiosk(win)


def test_a_chinese_visitor_asks_by_pinyin_alone(qtbot, chinese_kiosk):
    win = chinese_kiosk
    assert win.keyboard.pinyin()  # a Chinese kiosk types Chinese
    qtbot.mouseClick(win.welcome.ask_button, LEFT)
    assert win.keyboard.isVisible() and win.keyboard.candidates.isVisible()
    for letters in ("gaoxueya", "shi", "shenme"):
        tap_keys(qtbot, win.keyboard, letters)
        qtbot.mouseClick(win.keyboard.key("SPACE"), LEFT)
    qtbot.mouseClick(win.keyboard.key("?"), LEFT)
    question = win.composer.toPlainText()
    assert question.startswith("高血压") and question.endswith("？")
    with qtbot.waitSignal(win.controller.finished, timeout=TIMEOUT_MS) as done:
        qtbot.mouseClick(win.keyboard.key("ENTER"), LEFT)
    assert done.args[0].question == question
    assert win.messages.item(0).text == question
    win.choose_language("en")  # an English visit types English letters
    assert not win.keyboard.pinyin()


def test_the_welcome_screen_offers_questions_and_a_tap_asks_one(qtbot, chinese_kiosk):
    win = chinese_kiosk
    questions = win.welcome.questions
    expected = [INDEX.asked_questions(article_id, "zh")[0]
                for article_id in win.welcome.tile_buttons][:WELCOME_QUESTIONS]
    assert list(questions.questions) == expected and questions.isVisible()
    assert all(b.minimumHeight() >= 48 for b in questions.buttons)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in q) for q in questions.questions)
    with qtbot.waitSignal(win.controller.finished, timeout=TIMEOUT_MS) as done:
        qtbot.mouseClick(questions.buttons[0], LEFT)
    assert win.in_visit() and done.args[0].question == expected[0]
    win.end_visit("done")
    assert list(win.welcome.questions.questions) == expected  # the next visitor's too
