"""Where the patient types: Enter sends, Shift+Enter breaks the line, a visible length limit."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from ..turn import MAX_QUESTION_CHARS


class Composer(QPlainTextEdit):
    """``submitted`` on Enter; ``refused`` (with the reason) when a paste is too long.

    A paste that would go over the limit is refused whole, never cut short: a
    question silently missing its end could be answered wrongly.
    """

    submitted = Signal()
    refused = Signal(int)  # how many characters the text would have had

    def __init__(self, limit: int = MAX_QUESTION_CHARS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.limit = limit
        self.setTabChangesFocus(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.submitted.emit()
            return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 (Qt API)
        pasted = source.text() if source.hasText() else ""
        selected = len(self.textCursor().selectedText())
        length = len(self.toPlainText()) - selected + len(pasted)
        if length > self.limit:
            self.refused.emit(length)
            return
        super().insertFromMimeData(source)

    def length(self) -> int:
        return len(self.toPlainText().strip())
