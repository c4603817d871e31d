"""The conversation as a Qt list model: one row per message, edited in place while streaming.

A streamed answer changes one row's text (``dataChanged``), so the view repaints
that row only; nothing is rebuilt per token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from ..storage import Message
from ..vocabulary import MessageStatus

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()


class Roles(IntEnum):
    SPEAKER = Qt.ItemDataRole.UserRole + 1  # "user", "assistant" or "notice"
    STATUS = Qt.ItemDataRole.UserRole + 2
    SOURCES = Qt.ItemDataRole.UserRole + 3
    READABILITY = Qt.ItemDataRole.UserRole + 4
    META = Qt.ItemDataRole.UserRole + 5
    REVISION = Qt.ItemDataRole.UserRole + 6  # changes whenever the row must be drawn anew
    MESSAGE_ID = Qt.ItemDataRole.UserRole + 7
    MODEL = Qt.ItemDataRole.UserRole + 8  # who wrote an answer: a model, or the safety rules


@dataclass
class ChatItem:
    """One row. Mutable, but only ever touched in the UI thread."""

    speaker: str  # "user", "assistant" or "notice" (a note from CareChat, never saved)
    text: str
    status: str = MessageStatus.COMPLETE
    sources: tuple = ()
    readability: dict = field(default_factory=dict)
    meta: str = ""  # model, speed: shown small under an answer
    message_id: int | None = None
    model: str = ""
    revision: int = 0

    @classmethod
    def from_message(cls, message: Message) -> ChatItem:
        return cls(
            speaker=message.role,
            text=message.content,
            status=message.status,
            sources=tuple(message.sources),
            readability=dict(message.readability),
            message_id=message.id,
            model=message.model or "",
        )


class MessageListModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[ChatItem] = []
        self.accessible_labels = {"user": "You", "assistant": "CareChat", "notice": "Note"}

    # --- the Qt model interface ------------------------------------------------
    def rowCount(self, parent: Index = ROOT) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return item.text
        if role == Qt.ItemDataRole.AccessibleTextRole:
            # What a screen reader says for the row: who spoke, then the words.
            return f"{self.accessible_labels.get(item.speaker, '')}: {item.text}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return None
        return {
            Roles.SPEAKER: item.speaker,
            Roles.STATUS: item.status,
            Roles.SOURCES: item.sources,
            Roles.READABILITY: item.readability,
            Roles.META: item.meta,
            Roles.REVISION: item.revision,
            Roles.MESSAGE_ID: item.message_id,
            Roles.MODEL: item.model,
        }.get(role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # --- changes ----------------------------------------------------------------
    def set_items(self, items: list[ChatItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def append(self, item: ChatItem) -> int:
        row = len(self._items)
        self.beginInsertRows(QModelIndex(), row, row)
        self._items.append(item)
        self.endInsertRows()
        return row

    def append_text(self, row: int, text: str) -> None:
        if text:
            self.update(row, text=self._items[row].text + text)

    def update(self, row: int, **changes) -> None:
        item = self._items[row]
        for name, value in changes.items():
            setattr(item, name, value)
        item.revision += 1
        index = self.index(row)
        self.dataChanged.emit(index, index)

    def item(self, row: int) -> ChatItem:
        return self._items[row]

    def items(self) -> list[ChatItem]:
        return list(self._items)

    def last_row(self, speaker: str) -> int | None:
        for row in range(len(self._items) - 1, -1, -1):
            if self._items[row].speaker == speaker:
                return row
        return None
