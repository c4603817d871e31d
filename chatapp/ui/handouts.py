"""The handout: the conversation's finished answers and their sources, to keep on paper."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ..storage import StorageError
from .dialogs import Dialogs
from .handout import HandoutError, HandoutItem, items_from_messages, write_pdf
from .window_state import WindowState


class Handouts(QObject):
    """Makes the handout of the conversation shown (``handout.py`` draws it).

    ``save`` writes it as a PDF where the patient chooses; a kiosk prints the
    same ``items`` with the same ``options`` instead (``KioskWindow.save_handout``).

    Signals:
        notice(str): what happened (saved where, nothing to save, a failure).
    """

    notice = Signal(str)

    def __init__(self, state: WindowState, dialogs: Dialogs,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.dialogs = dialogs

    def items(self) -> list[HandoutItem]:
        """The current conversation's finished answers, for the handout."""
        if self.state.conversation_id is None:
            return []
        try:
            return items_from_messages(self.state.store.messages(self.state.conversation_id))
        except StorageError as exc:
            self.notice.emit(str(exc))
            return []

    def options(self) -> dict:
        """How the handout is written: the profile's reading level, the language shown."""
        return {"level": self.state.profile.literacy_level, "language": self.state.language}

    def save(self) -> None:
        """Save this conversation's answers and sources as a PDF the patient can keep."""
        items = self.items()
        if not items:
            self.notice.emit(self.tr("There is no finished answer to put in a handout yet."))
            return
        path = self.dialogs.ask_save_path(self.tr("Save the handout"),
                                          self.tr("CareChat handout.pdf"),
                                          self.tr("PDF (*.pdf)"))
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            write_pdf(items, path, **self.options())
        except HandoutError as exc:
            self.notice.emit(str(exc))
            return
        self.notice.emit(self.tr("The handout was saved to {path}.").format(path=path))
