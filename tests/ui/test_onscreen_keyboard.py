from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTranslator
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from chatapp.ui.composer import Composer
from chatapp.ui.onscreen_keyboard import (
    KEY_PX,
    KeyboardAutoShow,
    OnScreenKeyboard,
    is_text_input,
)

LEFT = Qt.MouseButton.LeftButton


class Screen(QWidget):
    """A kiosk-like window: a text field, another field, a button, the keyboard."""

    def __init__(self, field: QWidget | None = None) -> None:
        super().__init__()
        self.resize(1000, 700)
        layout = QVBoxLayout(self)
        self.field = field or QPlainTextEdit(self)
        self.line = QLineEdit(self)
        self.button = QPushButton("Ask", self)
        self.keyboard = OnScreenKeyboard(self)
        for widget in (self.field, self.line, self.button, self.keyboard):
            layout.addWidget(widget)


@pytest.fixture
def screen(qtbot):
    win = Screen()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    win.field.setFocus()
    qtbot.waitUntil(win.field.hasFocus)
    return win


def tap(qtbot, keyboard: OnScreenKeyboard, name: str) -> None:
    qtbot.mouseClick(keyboard.key(name), LEFT)


def type_by_tapping(qtbot, keyboard: OnScreenKeyboard, phrase: str) -> None:
    """Tap the keys a person would: Shift for capitals, 123/ABC to change layer."""
    for char in phrase:
        name = "SPACE" if char == " " else char.lower()
        if char != char.lower():
            tap(qtbot, keyboard, "SHIFT")
        try:
            keyboard.key(name)
        except KeyError:
            other = "SYMBOLS" if keyboard.pages.currentWidget() is keyboard.letters_page \
                else "LETTERS"
            tap(qtbot, keyboard, other)
        tap(qtbot, keyboard, name)


def test_a_phrase_typed_by_tapping_lands_in_the_field(qtbot, screen):
    phrase = "Is a fever of 38.5° high? What's normal (for kids) & adults: 37%!"
    type_by_tapping(qtbot, screen.keyboard, phrase)
    assert screen.field.toPlainText() == phrase


def test_no_key_ever_takes_the_focus(qtbot, screen):
    assert all(k.focusPolicy() == Qt.FocusPolicy.NoFocus for k in screen.keyboard.keys)
    assert screen.keyboard.focusPolicy() == Qt.FocusPolicy.NoFocus
    for name in ("h", "SHIFT", "i", "SYMBOLS", "4", "LETTERS", "BACKSPACE", "SPACE"):
        tap(qtbot, screen.keyboard, name)
        assert QApplication.focusWidget() is screen.field, name
    assert screen.field.toPlainText() == "hI "


def test_shift_capitalises_one_letter_then_lets_go(qtbot, screen):
    kb = screen.keyboard
    tap(qtbot, kb, "SHIFT")
    assert kb.shifted() and kb.key("a").text() == "A" and kb.key("SHIFT").isChecked()
    tap(qtbot, kb, "a")
    assert not kb.shifted() and kb.key("a").text() == "a"
    tap(qtbot, kb, "b")
    tap(qtbot, kb, "SHIFT")
    tap(qtbot, kb, "SHIFT")  # a second tap takes it back
    tap(qtbot, kb, "c")
    assert screen.field.toPlainText() == "Abc"


def test_backspace_deletes_the_character_before_the_cursor(qtbot, screen):
    type_by_tapping(qtbot, screen.keyboard, "flu")
    tap(qtbot, screen.keyboard, "BACKSPACE")
    assert screen.field.toPlainText() == "fl"
    assert screen.keyboard.key("BACKSPACE").autoRepeat()  # hold to keep deleting


def test_enter_sends_from_the_composer(qtbot):
    win = Screen(Composer())
    qtbot.addWidget(win)
    win.show()
    win.keyboard.attach(win.field)
    type_by_tapping(qtbot, win.keyboard, "sore throat")
    with qtbot.waitSignals([win.field.submitted, win.keyboard.enter_pressed]):
        tap(qtbot, win.keyboard, "ENTER")
    assert win.field.toPlainText() == "sore throat"  # sent, not broken onto a new line


def test_enter_in_a_text_box_breaks_the_line_and_in_a_line_presses_return(qtbot, screen):
    type_by_tapping(qtbot, screen.keyboard, "a")
    tap(qtbot, screen.keyboard, "ENTER")
    type_by_tapping(qtbot, screen.keyboard, "b")
    assert screen.field.toPlainText() == "a\nb"
    screen.keyboard.attach(screen.line)
    with qtbot.waitSignal(screen.line.returnPressed):
        tap(qtbot, screen.keyboard, "ENTER")


def test_an_attached_field_gets_the_keys_even_without_the_focus(qtbot, screen):
    screen.keyboard.attach(screen.line)
    type_by_tapping(qtbot, screen.keyboard, "Ann")
    assert screen.line.text() == "Ann" and screen.field.toPlainText() == ""


def test_keys_are_big_named_and_explained(qtbot, screen):
    kb = screen.keyboard
    for page in (kb.letters_page, kb.symbols_page):
        kb.pages.setCurrentWidget(page)
        qtbot.wait(1)  # let the layout settle
        shown = [k for k in kb.keys if k.parent() is page]
        assert len(shown) > 30
        for key in shown:
            assert key.width() >= 48 and key.height() >= 48, key.key
            assert key.accessibleName() and key.toolTip(), key.key
    assert KEY_PX >= 48
    assert kb.key("SPACE").accessibleName() == "Space"
    assert kb.key("?").accessibleName() == "Question mark"
    assert kb.accessibleName() == "On-screen keyboard"


def test_hide_hides_the_keyboard(qtbot, screen):
    with qtbot.waitSignal(screen.keyboard.hide_requested):
        tap(qtbot, screen.keyboard, "HIDE")
    assert not screen.keyboard.isVisible()
    assert screen.field.hasFocus()


def test_the_keyboard_follows_the_focus(qtbot, screen):
    kb = screen.keyboard
    screen.button.setFocus()
    KeyboardAutoShow(kb, screen)
    assert not kb.isVisible()  # a button has the focus
    screen.line.setFocus()
    qtbot.waitUntil(kb.isVisible)
    type_by_tapping(qtbot, kb, "hi")
    assert screen.line.text() == "hi"
    screen.button.setFocus()
    qtbot.waitUntil(lambda: not kb.isVisible())
    screen.field.setFocus()
    qtbot.waitUntil(kb.isVisible)
    tap(qtbot, kb, "HIDE")
    assert not kb.isVisible()
    qtbot.mouseClick(screen.field.viewport(), LEFT)  # tapping the field brings it back
    assert kb.isVisible()
    type_by_tapping(qtbot, kb, "ok")
    assert screen.field.toPlainText() == "ok" and screen.line.text() == "hi"


def test_read_only_fields_get_no_keyboard(qtbot, screen):
    screen.line.setReadOnly(True)
    assert not is_text_input(screen.line) and is_text_input(screen.field)
    assert not is_text_input(screen.button) and not is_text_input(None)
    screen.button.setFocus()
    KeyboardAutoShow(screen.keyboard, screen)
    screen.line.setFocus()
    qtbot.waitUntil(screen.line.hasFocus)
    assert not screen.keyboard.isVisible()


class Marking(QTranslator):
    """A stand-in language: every keyboard text with a mark before it."""

    def translate(self, context, source, disambiguation=None, n=-1):
        return f"» {source}" if context == "OnScreenKeyboard" else None

    def isEmpty(self):  # noqa: N802 (Qt API)
        return False


def test_the_keys_are_named_again_when_the_language_changes(qtbot, screen):
    translator = Marking()
    QApplication.installTranslator(translator)
    try:
        # Installing a translator posts LanguageChange to every widget.
        qtbot.waitUntil(lambda: screen.keyboard.key("SPACE").text() == "» space")
        assert screen.keyboard.key("BACKSPACE").accessibleName() == "» Backspace"
        assert screen.keyboard.key("a").toolTip() == "» Type a"
        assert screen.keyboard.accessibleName() == "» On-screen keyboard"
    finally:
        QApplication.removeTranslator(translator)
    qtbot.waitUntil(lambda: screen.keyboard.key("SPACE").text() == "space")
