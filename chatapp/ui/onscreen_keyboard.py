"""A built-in on-screen keyboard for touch-screen kiosks, and a helper that shows it.

Qt Virtual Keyboard is GPLv3-or-commercial, which does not fit CareChat's
Apache-2.0 licence, so this is a small keyboard of our own: large keys, English
letters (with Shift), a layer of digits and punctuation, Space, Backspace, Enter
and Hide. A key press is sent to the text field as the key event a real keyboard
would give, so every Qt text field (QLineEdit, QPlainTextEdit, the composer with
Enter-to-send) behaves as it does with a hardware keyboard. No key takes the
keyboard focus, so the text field keeps its cursor while keys are tapped.

Chinese is typed in pinyin: the 中 key switches the letters to pinyin, the
letters typed collect in a candidate bar above the keys (``pinyin_bar``) instead
of the text field, and a tap on a candidate types it (Space types the first; the
letters left over stay to be converted, as on a phone). In pinyin mode the
comma, full stop and question mark type Chinese punctuation, and Enter types the
letters themselves. The kiosk turns pinyin on for a Chinese visit.

What it does not cover:
- Handwriting, other Chinese input methods (zhuyin, wubi), traditional characters.
- Letters with accents, dead keys, emoji, other keyboard layouts than English (QWERTY).
- Moving the cursor, selecting, copy and paste; predictive text; swipe typing.
- Typing into other applications: it only types into CareChat's own windows.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QFrame,
    QGridLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ..pinyin_input import remaining
from .i18n import Retranslates
from .pinyin_bar import PinyinBar, warm_up
from .theme import Theme, scaled_font

KEY_PX = 56  # every key at least this wide and high: above the 48 px touch minimum
FONT_SCALE = 1.4
COLUMNS = 20  # each row is laid out on 20 half-key columns, so rows can be offset

# What the punctuation keys type in pinyin mode.
CHINESE_PUNCTUATION = {",": "，", ".": "。", "?": "？"}

# One row per list; a character key is its character. Names in capitals are the
# special keys, with their width in half-key columns after the colon.
LETTERS = (
    "q w e r t y u i o p",
    "a s d f g h j k l '",
    "SHIFT:3 z x c v b n m BACKSPACE:3",
    "SYMBOLS:3 CHINESE:2 , SPACE:4 . ? ENTER:3 HIDE:2",
)
SYMBOLS = (
    "1 2 3 4 5 6 7 8 9 0",
    "- / : ; ( ) & @ \" °",
    "% + = # ! * $ _ BACKSPACE:4",
    "LETTERS:3 , SPACE:6 . ? ENTER:3 HIDE:2",
)


def _key_code(char: str) -> int:
    # Qt's key codes for Latin-1 characters are their upper-case code points
    # (Key_A is 0x41, Key_Comma 0x2c, Key_degree 0xb0).
    return ord(char.upper()) if ord(char.upper()) < 0x100 else int(Qt.Key.Key_unknown)


def is_text_input(widget: QWidget | None) -> bool:
    """Does ``widget`` take typed text (an editable line, text box or number box)?"""
    if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
        return not widget.isReadOnly()
    return isinstance(widget, QAbstractSpinBox) and not widget.isReadOnly()


class KeyButton(QPushButton):
    """One key: big, never focused, so tapping it leaves the text field focused."""

    def __init__(self, key: str, width: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key  # a character, or a special key's name ("BACKSPACE")
        self.setObjectName("keyboardKey" if len(key) == 1 else "keyboardSpecialKey")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumSize(KEY_PX * width // 2, KEY_PX)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        if key == "BACKSPACE":  # hold to keep deleting, as on a phone
            self.setAutoRepeat(True)
            self.setAutoRepeatDelay(500)
            self.setAutoRepeatInterval(80)


class OnScreenKeyboard(Retranslates, QFrame):
    """Large keys that type into the attached text field, or else the focused one.

    ``enter_pressed`` follows the Enter key sent to the field (the composer sends
    the question on Enter itself); ``hide_requested`` follows Hide, after the
    keyboard has hidden itself.
    """

    enter_pressed = Signal()
    hide_requested = Signal()
    typed = Signal(str)  # each character typed, or each word chosen in pinyin
    shown = Signal(bool)  # the keyboard appeared (True) or went away

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("onscreenKeyboard")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Shown as a window of its own, it must not take the focus from the field either.
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setWindowFlag(Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setFont(scaled_font(self.font(), FONT_SCALE))
        self._target: QWidget | None = None
        self._shift = False
        self._pinyin = False
        self.letters = ""  # pinyin typed and not yet converted
        self.keys: list[KeyButton] = []
        self.candidates = PinyinBar(KEY_PX, self)
        self.candidates.chosen.connect(self.choose)
        self.candidates.hide()
        self.pages = QStackedWidget(self)
        self.pages.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.letters_page = self._page(LETTERS)
        self.symbols_page = self._page(SYMBOLS)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.candidates)
        layout.addWidget(self.pages)
        self.retranslate()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self.shown.emit(True)

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().hideEvent(event)
        self.shown.emit(False)

    # --- building -----------------------------------------------------------------
    def _page(self, rows: tuple[str, ...]) -> QWidget:
        page = QWidget(self.pages)
        page.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        grid = QGridLayout(page)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        for r, row in enumerate(rows):
            keys = [self._parse(word) for word in row.split(" ")]
            used = sum(width for _, width in keys)
            column = (COLUMNS - used) // 2  # a short row is centred, as on a real keyboard
            for key, width in keys:
                button = KeyButton(key, width, page)
                button.clicked.connect(lambda _=False, k=key: self.press(k))
                grid.addWidget(button, r, column, 1, width)
                self.keys.append(button)
                column += width
        for c in range(COLUMNS):
            grid.setColumnStretch(c, 1)
        self.pages.addWidget(page)
        return page

    @staticmethod
    def _parse(word: str) -> tuple[str, int]:
        if len(word) > 1 and word[0].isupper():
            name, _, width = word.partition(":")
            return name, int(width or 2)
        return word, 2

    # --- translation --------------------------------------------------------------
    def retranslate(self) -> None:
        self.setAccessibleName(self.tr("On-screen keyboard"))
        special = {
            "SHIFT": ("⇧", self.tr("Shift"), self.tr("Type the next letter as a capital")),
            "BACKSPACE": ("⌫", self.tr("Backspace"),
                          self.tr("Delete the character before the cursor")),
            "SPACE": (self.tr("space"), self.tr("Space"), self.tr("Type a space")),
            "ENTER": (self.tr("Enter"), self.tr("Enter"),
                      self.tr("Enter: sends your question from the question box")),
            "HIDE": (self.tr("Hide"), self.tr("Hide keyboard"),
                     self.tr("Hide the on-screen keyboard")),
            "SYMBOLS": ("123", self.tr("Numbers and symbols"),
                        self.tr("Show numbers and punctuation")),
            "LETTERS": ("ABC", self.tr("Letters"), self.tr("Show the letters")),
            "CHINESE": (("EN", self.tr("English letters"), self.tr("Type English letters"))
                        if self._pinyin else
                        ("中", self.tr("Chinese (pinyin)"),
                         self.tr("Type Chinese in pinyin"))),
        }
        for button in self.keys:
            if button.key in special:
                label, name, tip = special[button.key]
                button.setText(label)
            else:
                name = self._char_name(button.key)
                tip = self.tr("Type {character}").format(character=button.key)
            button.setAccessibleName(name)
            button.setToolTip(tip)
        self._show_case()

    def _char_name(self, char: str) -> str:
        names = {
            " ": self.tr("Space"), ",": self.tr("Comma"), ".": self.tr("Full stop"),
            "?": self.tr("Question mark"), "'": self.tr("Apostrophe"),
            "-": self.tr("Hyphen"), "/": self.tr("Slash"), ":": self.tr("Colon"),
            ";": self.tr("Semicolon"), "(": self.tr("Open bracket"),
            ")": self.tr("Close bracket"), "&": self.tr("And sign"), "@": self.tr("At sign"),
            '"': self.tr("Quotation mark"), "°": self.tr("Degree sign"),
            "%": self.tr("Percent"), "+": self.tr("Plus"), "=": self.tr("Equals"),
            "#": self.tr("Number sign"), "!": self.tr("Exclamation mark"),
            "*": self.tr("Star"), "$": self.tr("Dollar sign"), "_": self.tr("Underscore"),
        }
        return names.get(char, char)

    def _show_case(self) -> None:
        for button in self.keys:
            if len(button.key) == 1:
                button.setText(self._cased(button.key).replace("&", "&&"))  # not a mnemonic
            elif button.key == "SHIFT":
                button.setCheckable(True)
                button.setChecked(self._shift)
                button.setEnabled(not self._pinyin)  # pinyin is typed in small letters

    def _cased(self, char: str) -> str:
        return char.upper() if self._shift else char

    # --- typing -------------------------------------------------------------------
    def attach(self, widget: QWidget | None) -> None:
        """Type into ``widget`` from now on; None: into whichever widget has the focus.
        Pinyin still being converted is dropped: it was meant for the last field."""
        if self.letters and widget is not self._target:
            self._set_letters("")
        self._target = widget

    def target(self) -> QWidget | None:
        if self._target is not None:
            return self._target
        focused = QApplication.focusWidget()
        return None if focused is None or self.isAncestorOf(focused) else focused

    def shifted(self) -> bool:
        return self._shift

    def set_shift(self, on: bool) -> None:
        self._shift = on
        self._show_case()

    def pinyin(self) -> bool:
        return self._pinyin

    def set_pinyin(self, on: bool) -> None:
        """Type Chinese in pinyin (True) or English letters; letters still being
        converted are typed as they are."""
        if self.letters:
            self._commit_letters()
        self._pinyin = on
        if on:
            warm_up()
            self.set_shift(False)
        self.candidates.setVisible(on)
        self.retranslate()

    def choose(self, candidate) -> None:
        """Type a candidate; the letters it does not cover stay to be converted."""
        self._type_text(candidate.text)
        self._set_letters(remaining(self.letters, candidate)
                          if self.letters.startswith(candidate.letters) else "")

    def _set_letters(self, letters: str) -> None:
        self.letters = letters
        self.candidates.show_letters(letters)

    def _commit_letters(self) -> None:
        letters = self.letters
        self._set_letters("")
        self._type_text(letters)

    def _commit_first(self) -> None:
        first = self.candidates.first()
        if first is None:
            self._commit_letters()
        else:
            self.choose(first)
            if self.letters:  # what is left of a long input: its first candidate too
                self._commit_first()

    def _type_text(self, text: str) -> None:
        if text:
            self._send(int(Qt.Key.Key_unknown), text)
            self.typed.emit(text)

    def _press_pinyin(self, key: str) -> bool:
        """A key in pinyin mode; False where it does what it does in English."""
        if len(key) == 1 and key.isascii() and key.isalpha() or (key == "'" and self.letters):
            self._set_letters(self.letters + key.lower())
        elif key == "BACKSPACE" and self.letters:
            self._set_letters(self.letters[:-1])
        elif key == "SPACE" and self.letters:
            self._commit_first()
        elif key == "ENTER" and self.letters:
            self._commit_letters()  # the letters as typed: a name, a word in English
        elif key in CHINESE_PUNCTUATION:
            self._commit_first()
            self._type_text(CHINESE_PUNCTUATION[key])
        else:
            return False
        return True

    def show_letters(self) -> None:
        self.pages.setCurrentWidget(self.letters_page)

    def show_symbols(self) -> None:
        self.pages.setCurrentWidget(self.symbols_page)

    def key(self, key: str) -> KeyButton:
        """The visible page's key for a character or special name (for tests and tools)."""
        page = self.pages.currentWidget()
        for button in self.keys:
            if button.key == key and button.parent() is page:
                return button
        raise KeyError(key)

    def press(self, key: str) -> None:
        """What tapping ``key`` does: a character, or a special key's name."""
        if self._pinyin and self._press_pinyin(key):
            return
        if key == "CHINESE":
            self.set_pinyin(not self._pinyin)
        elif key == "SHIFT":
            self.set_shift(not self._shift)
        elif key == "SYMBOLS":
            self.show_symbols()
        elif key == "LETTERS":
            self.show_letters()
        elif key == "HIDE":
            if self.letters:
                self._commit_letters()
            self.hide()
            self.hide_requested.emit()
        elif key == "BACKSPACE":
            self._send(Qt.Key.Key_Backspace, "\b")
        elif key == "ENTER":
            self._send(Qt.Key.Key_Return, "\r")
            self.enter_pressed.emit()
        else:
            char = " " if key == "SPACE" else self._cased(key)
            modifiers = (Qt.KeyboardModifier.ShiftModifier if char != char.lower()
                         else Qt.KeyboardModifier.NoModifier)
            self._send(_key_code(char), char, modifiers)
            self.typed.emit(char)
            if self._shift and char.isalpha():  # Shift lasts for one letter
                self.set_shift(False)

    def _send(self, key: int, text: str,
              modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        target = self.target()
        if target is None or not isValid(target):
            return
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, key, modifiers, text))


class KeyboardAutoShow(QObject):
    """Shows the keyboard while a text field in ``window`` has the focus, hides it otherwise.

    Tapping the focused field again brings back a keyboard the patient hid. Focus
    moving to a button, a list or anything else in the window hides it; focus
    leaving the window (a dialog opened) leaves it as it is.
    """

    def __init__(self, keyboard: OnScreenKeyboard, window: QWidget) -> None:
        super().__init__(window)
        self.keyboard = keyboard
        self.window = window
        self._watched: list[QWidget] = []
        QApplication.instance().focusChanged.connect(self._focus_changed)
        self._focus_changed(None, QApplication.focusWidget())

    def _inside(self, widget: QWidget | None) -> bool:
        return widget is not None and (widget is self.window or
                                       self.window.isAncestorOf(widget))

    def _focus_changed(self, _old: QWidget | None, now: QWidget | None) -> None:
        if not self._inside(now) or self.keyboard.isAncestorOf(now):
            return
        self._unwatch()
        if is_text_input(now):
            self.keyboard.attach(now)
            self._watch(now)
            self.keyboard.show()
        else:
            self.keyboard.attach(None)
            self.keyboard.hide()

    def _watch(self, field: QWidget) -> None:
        # A text box gets its mouse presses on its viewport, a line edit on itself.
        viewport = getattr(field, "viewport", None)
        self._watched = [field, *([viewport()] if viewport else [])]
        for widget in self._watched:
            widget.installEventFilter(self)

    def _unwatch(self) -> None:
        for widget in self._watched:
            if isValid(widget):
                widget.removeEventFilter(self)
        self._watched = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self.keyboard.show()
        return False


def style_rules(theme: Theme, points: float) -> str:
    """The keyboard's rules for the window's style sheet (``theme.style_sheet``)."""
    t = theme
    return f"""
QFrame#onscreenKeyboard {{ background: {t.window}; border-top: 2px solid {t.border}; }}
QFrame#onscreenKeyboard QPushButton {{ font-size: {points * FONT_SCALE:.1f}pt; padding: 4px;
    min-height: {KEY_PX}px; }}
QPushButton#keyboardSpecialKey {{ background: {t.window}; font-weight: bold; }}
QLabel#pinyinLetters {{ font-size: {points * FONT_SCALE:.1f}pt; color: {t.accent}; }}
QPushButton#pinyinCandidate {{ font-size: {points * FONT_SCALE * 1.15:.1f}pt; }}
QPushButton#keyboardKey:pressed, QPushButton#keyboardSpecialKey:pressed,
QPushButton#keyboardSpecialKey:checked {{ background: {t.accent}; color: {t.accent_text};
    border-color: {t.accent}; }}
"""
