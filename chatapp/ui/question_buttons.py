"""Questions a patient can ask with one tap: the library articles' common questions
(their ``questions``), as large buttons in rows that wrap.

Shown under an empty chat (a question on each of a few common topics), after an
answer (more from the article it came from), and under an article in the health
topics. A tap asks the question through the normal turn, safety first, as if it
had been typed: the window does that with ``asked``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ..kiosk_config import DEFAULT_TOPICS
from ..vocabulary import MessageStatus
from .a11y import MIN_TARGET_PX, describe
from .flow_layout import FlowLayout

FOLLOW_UPS = 3  # after an answer: more would crowd the composer
STARTERS = 4  # under an empty chat


class QuestionButtons(QWidget):
    """A heading and one button per question; hidden when there is none.

    Signals:
        asked(str): the patient tapped this question.
    """

    asked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel(self)
        self.heading.setObjectName("questionsHeading")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self._row = FlowLayout()
        layout.addLayout(self._row)
        self.buttons: list[QPushButton] = []
        self.target_px = MIN_TARGET_PX  # a button's least height (the kiosk's is larger)
        self._held = False
        self.hide()

    @property
    def questions(self) -> tuple[str, ...]:
        return tuple(b.text() for b in self.buttons)

    def show_questions(self, heading: str, questions: Sequence[str]) -> None:
        """Show ``questions`` under ``heading`` (nothing at all when there are none)."""
        self.heading.setText(heading)
        if tuple(questions) != self.questions:
            for button in self.buttons:
                self._row.removeWidget(button)
                button.deleteLater()
            self.buttons = [self._button(q) for q in questions]
        self.setVisible(bool(self.buttons) and not self._held)

    def set_held(self, held: bool) -> None:
        """Keep the questions out of sight (True) for a while: the kiosk does while
        its on-screen keyboard takes the room; they come back with False."""
        self._held = held
        self.setVisible(bool(self.buttons) and not held)

    def _button(self, question: str) -> QPushButton:
        button = QPushButton(question, self)
        button.setObjectName("questionButton")
        # As wide as its words, and a touch target's height at least.
        button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        button.setMinimumHeight(self.target_px)
        button.setMinimumWidth(self.target_px)
        describe(button, question, self.tr("Ask this question"))
        button.clicked.connect(lambda _checked=False, q=question: self.asked.emit(q))
        self._row.addWidget(button)
        return button


def first_questions(index, article_ids: Iterable[str], language: str,
                    limit: int) -> tuple[str, ...]:
    """The first common question of each article, in ``language`` (English where the
    article has none in it), at most ``limit``: a question on each of several topics."""
    firsts = (index.asked_questions(article_id, language)[:1] for article_id in article_ids)
    return tuple(q for first in firsts for q in first)[:limit]


def suggested(index, items: Sequence, language: str) -> tuple[str, tuple[str, ...]]:
    """What to offer now: ("start", questions) under an empty chat, ("more",
    questions) after a complete answer with a library source, else ("", ()).

    ``items`` are the conversation's ``ChatItem``s; questions already asked in it
    are not offered again.
    """
    if index is None:
        return "", ()
    spoken = [i for i in items if i.speaker in ("user", "assistant")]
    if not spoken:
        return "start", first_questions(index, DEFAULT_TOPICS, language, STARTERS)
    last = spoken[-1]
    if (last.speaker != "assistant" or last.status != MessageStatus.COMPLETE
            or not last.sources):
        return "", ()
    asked = {i.text.strip() for i in spoken if i.speaker == "user"}
    more = [q for q in index.asked_questions(str(last.sources[0].get("id", "")), language)
            if q not in asked]
    return "more", tuple(more[:FOLLOW_UPS])
