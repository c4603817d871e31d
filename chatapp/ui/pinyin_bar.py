"""The on-screen keyboard's candidate bar for pinyin: the letters typed, and the Chinese
words and characters they can be, as large buttons to tap.

The candidates come from ``chatapp.pinyin_input`` (pypinyin's dictionary, ranked by
CareChat's Chinese library). Its index takes about a second to build, so
``warm_up`` builds it in a background thread as soon as pinyin is switched on;
the first letters typed wait only for what is left of that.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from .. import pinyin_input
from ..pinyin_input import Candidate
from .a11y import describe
from .i18n import Retranslates

PAGE = 7  # candidates shown at once: each at least a key wide on a kiosk screen
LIMIT = 70  # candidates looked up per input (ten pages)
_warming: threading.Thread | None = None


def warm_up() -> None:
    """Start building the pinyin index in the background (once per process)."""
    global _warming
    if _warming is None:
        _warming = threading.Thread(target=pinyin_input.default_index,
                                    name="pinyin-index", daemon=True)
        _warming.start()


def _ready() -> None:
    if _warming is not None:
        _warming.join()  # what is left of the build, not a second build


class PinyinBar(Retranslates, QFrame):
    """Shows ``letters`` and their candidates, a page at a time.

    Signals:
        chosen(object): the ``Candidate`` tapped.
    """

    chosen = Signal(object)

    def __init__(self, key_px: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinyinBar")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.key_px = key_px
        self.letters = ""
        self.found: list[Candidate] = []
        self.page = 0
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.typed = QLabel(self, objectName="pinyinLetters")
        self.typed.setMinimumWidth(key_px * 2)
        row.addWidget(self.typed)
        self.buttons: list[QPushButton] = []
        for _ in range(PAGE):
            button = self._button("pinyinCandidate")
            button.clicked.connect(lambda _=False, b=button: self._tap(b))
            row.addWidget(button, stretch=1)
            self.buttons.append(button)
        self.more = self._button("keyboardSpecialKey")
        self.more.clicked.connect(self.next_page)
        row.addWidget(self.more)
        self.retranslate()
        self.show_letters("")

    def _button(self, name: str) -> QPushButton:
        button = QPushButton(self)
        button.setObjectName(name)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the text field keeps its cursor
        button.setMinimumSize(self.key_px, self.key_px)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        return button

    def retranslate(self) -> None:
        self.more.setText("›")
        describe(self.more, self.tr("More candidates"), self.tr("Show more Chinese candidates"))
        self.typed.setAccessibleName(self.tr("Pinyin typed"))

    def show_letters(self, letters: str) -> None:
        """Look up the candidates for ``letters`` and show the first page."""
        self.letters = letters
        if letters:
            _ready()
            self.found = pinyin_input.candidates(letters, LIMIT)
        else:
            self.found = []
        self.page = 0
        self._show_page()

    def next_page(self) -> None:
        pages = max(1, -(-len(self.found) // PAGE))
        self.page = (self.page + 1) % pages
        self._show_page()

    def shown(self) -> list[str]:
        """The candidates on the page now showing (for tests and tools)."""
        return [b.text() for b in self.buttons if b.text()]

    def first(self) -> Candidate | None:
        return self.found[0] if self.found else None

    def _show_page(self) -> None:
        self.typed.setText(self.letters)
        page = self.found[self.page * PAGE:(self.page + 1) * PAGE]
        for n, button in enumerate(self.buttons):
            candidate = page[n] if n < len(page) else None
            button.setText(candidate.text if candidate else "")
            button.setProperty("candidate", candidate)
            button.setEnabled(candidate is not None)
            if candidate is not None:
                describe(button, candidate.text,
                         self.tr("Type {word}").format(word=candidate.text))
        self.more.setEnabled(len(self.found) > PAGE)

    def _tap(self, button: QPushButton) -> None:
        candidate = button.property("candidate")
        if candidate is not None:
            self.chosen.emit(candidate)
