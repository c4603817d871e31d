"""Where the patient writes and acts: the answer's buttons, the composer, Send or Stop."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..turn import MAX_QUESTION_CHARS
from .a11y import MIN_TARGET_PX, describe
from .composer import Composer
from .flow_layout import FlowLayout
from .question_buttons import QuestionButtons
from .read_aloud import ListenButton, ReadAloud


class AskPanel(QWidget):
    """The controls under the conversation, with their words and their states.

    It only shows: the window connects the buttons and the composer to what they
    do, and tells the panel what to show (``show_busy``, ``show_teach_back``,
    ``enable``).

    Attributes:
        suggestions: the ``QuestionButtons`` a patient can ask with one tap.
        listen_button, simpler_button, check_button, regenerate_button, copy_button,
        handout_button: what a patient can do with the last answer, in a row
            right under it (the window sets ``listen_button.text_of``).
        composer: the ``Composer`` (its ``submitted`` signal: Enter).
        counter: the question's length and the limit, under the composer.
        send_button: Send, or Stop while an answer is being written.

    Signals:
        notice(str): something to tell the patient (a paste refused as too long).
    """

    notice = Signal(str)

    def __init__(self, read_aloud: ReadAloud, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._busy = False
        self._teach_back = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        # Questions to ask with one tap (question_buttons), above what to do with
        # the answer.
        self.suggestions = QuestionButtons(self)
        layout.addWidget(self.suggestions)

        # Wraps onto a second row where the buttons do not fit side by side.
        actions = FlowLayout()
        self.listen_button = ListenButton(read_aloud, "answer", parent=self)
        self.simpler_button = self._button()
        self.check_button = self._button()
        self.regenerate_button = self._button()
        self.copy_button = self._button()
        self.handout_button = self._button()
        for button in (self.listen_button, self.simpler_button, self.check_button,
                       self.regenerate_button, self.copy_button, self.handout_button):
            actions.addWidget(button)
        layout.addLayout(actions)

        self.composer = Composer(parent=self)
        self.composer.setMinimumHeight(MIN_TARGET_PX * 2)
        self.composer.refused.connect(lambda length: self.notice.emit(self.too_long(length)))
        self.composer.textChanged.connect(self._update_counter)
        layout.addWidget(self.composer)

        row = QHBoxLayout()
        self.counter = QLabel(self)
        self.counter.setObjectName("counter")
        self.counter.setWordWrap(True)
        self.counter.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row.addWidget(self.counter, stretch=1)
        self.send_button = self._button("primary")
        self.send_button.setMinimumWidth(MIN_TARGET_PX * 3)
        row.addWidget(self.send_button)
        layout.addLayout(row)

    def _button(self, object_name: str = "") -> QPushButton:
        button = QPushButton(self)
        # Never narrower than its words, whatever the text size. (An explicit
        # minimum width would let a row layout squeeze it below them.)
        button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        button.setMinimumHeight(MIN_TARGET_PX)
        if object_name:
            button.setObjectName(object_name)
        return button

    def retranslate(self) -> None:
        self.composer.setAccessibleName(self.tr("Your question"))
        self.composer.setToolTip(
            self.tr("Type your question. Enter sends, Shift+Enter starts a new line."))
        self.counter.setAccessibleName(self.tr("Length of your question"))
        self.simpler_button.setText(self.tr("Explain it simpler"))
        describe(self.simpler_button, self.tr("Explain it simpler"),
                 self.tr("Write the last answer again in simpler words"))
        self.check_button.setText(self.tr("Check my understanding"))
        describe(self.check_button, self.tr("Check my understanding"),
                 self.tr("One or two short questions about the answer, to check it is clear"))
        self.regenerate_button.setText(self.tr("Regenerate"))
        describe(self.regenerate_button, self.tr("Regenerate the answer"),
                 self.tr("Ask the last question again for a new answer"))
        self.copy_button.setText(self.tr("Copy answer"))
        describe(self.copy_button, self.tr("Copy answer"),
                 self.tr("Copy the chosen answer, or the last one, to the clipboard"))
        self.handout_button.setText(self.tr("Save handout…"))
        describe(self.handout_button, self.tr("Save handout"),
                 self.tr("Save this conversation's answers and their sources as a PDF"))
        self.show_teach_back(self._teach_back)
        self.show_busy(self._busy)
        self._update_counter()

    # --- states -----------------------------------------------------------------
    def show_busy(self, busy: bool) -> None:
        """Stop while an answer is being written, else Send."""
        self._busy = busy
        if busy:
            self.send_button.setText(self.tr("Stop"))
            describe(self.send_button, self.tr("Stop the answer"),
                     self.tr("Stop the answer now (Esc)"))
        else:
            self.send_button.setText(self.tr("Send"))
            describe(self.send_button, self.tr("Send question"),
                     self.tr("Send your question (Enter)"))

    def show_teach_back(self, waiting: bool) -> None:
        """Whether the next message answers teach-back questions (the composer says so)."""
        self._teach_back = waiting
        if waiting:
            self.composer.setPlaceholderText(self.tr(
                "Answer the question above in your own words, then press Enter."))
        else:
            self.composer.setPlaceholderText(self.tr(
                "Ask a health question in your own words, for example: "
                "“What is high blood pressure?”"))

    def enable(self, *, idle: bool, ready: bool, asked: bool, answered: bool,
               copyable: bool) -> None:
        """The answer's buttons, from whether no answer is being written (``idle``), the
        model is ready, there is a question to ask again (``asked``), the last answer
        is complete (``answered``), and there is an answer to copy."""
        self.regenerate_button.setEnabled(idle and ready and asked)
        self.simpler_button.setEnabled(idle and ready and answered)
        self.check_button.setEnabled(idle and ready and answered)
        self.copy_button.setEnabled(copyable)
        self.listen_button.setEnabled(copyable or self.listen_button.isChecked())
        self.handout_button.setEnabled(idle and answered)

    def fit_to(self, font: QFont) -> None:
        """Room for three lines of the composer at this text size."""
        line = QFontMetrics(font).lineSpacing()
        self.composer.setFixedHeight(max(MIN_TARGET_PX * 2, line * 3 + 16))

    def too_long(self, length: int) -> str:
        """What to tell the patient when their text is ``length`` characters, over the limit."""
        return self.tr(
            "Your text is {length} characters long; the limit is {limit}. Please shorten "
            "it, or ask one question at a time. Nothing was cut off."
        ).format(length=f"{length:,}", limit=f"{MAX_QUESTION_CHARS:,}")

    def _update_counter(self) -> None:
        length = self.composer.length()
        self.counter.setText(self.tr("{length} / {limit} characters").format(
            length=f"{length:,}", limit=f"{MAX_QUESTION_CHARS:,}"))
        self.counter.setObjectName("counterOver" if length > MAX_QUESTION_CHARS else "counter")
        self.counter.style().unpolish(self.counter)
        self.counter.style().polish(self.counter)
