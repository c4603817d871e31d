"""The conversation on screen: one bubble per message, following a growing answer."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from ..vocabulary import MessageStatus
from .message_delegate import MessageDelegate
from .message_model import ChatItem, MessageListModel
from .theme import Theme

STATUS_NOTES = {
    MessageStatus.CANCELLED: QT_TRANSLATE_NOOP("TranscriptView", "Stopped before the end."),
    MessageStatus.INTERRUPTED: QT_TRANSLATE_NOOP(
        "TranscriptView", "Cut off: CareChat closed while writing this answer."
    ),
    MessageStatus.ERROR: QT_TRANSLATE_NOOP("TranscriptView", "This answer failed."),
}
LAYOUT_BATCH = 25  # messages laid out per event-loop turn


class TranscriptView(QListView):
    """The messages of the conversation shown, each drawn as a bubble.

    While an answer streams in, the view follows it as long as the reader is at
    the bottom, and stops following as soon as they scroll up to read something
    else. The last row is the answer being written, while there is one
    (``begin_answer`` .. ``end_answer``).

    Attributes:
        messages: the ``MessageListModel`` of the rows shown.
        delegate: the ``MessageDelegate`` that draws them; its ``labels`` are the
            words it draws (set by ``retranslate``), and its signal
            ``source_clicked(article_id)`` fires when an answer's source is clicked.
    """

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reading_row: int | None = None  # the answer being read aloud
        self.messages = MessageListModel(self)
        self.delegate = MessageDelegate(theme, self)
        self.setModel(self.messages)
        self.setItemDelegate(self.delegate)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        # Long chats are laid out a few messages at a time between events, so a
        # 1,000-message conversation opens without freezing the window
        # (benchmarks/bench_ui.py measures it).
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(LAYOUT_BATCH)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setSpacing(0)
        bar = self.verticalScrollBar()
        bar.setSingleStep(24)
        self._follow = True  # at the bottom: a growing answer is followed
        bar.valueChanged.connect(self._on_scrolled)
        bar.rangeChanged.connect(self._on_scroll_range)
        self.messages.modelAboutToBeReset.connect(self.delegate.invalidate)

    def retranslate(self) -> None:
        self.setAccessibleName(self.tr("Conversation"))
        self.setToolTip(self.tr("Your questions and CareChat's answers"))
        labels = self.delegate.labels
        labels.speakers = {"user": self.tr("You"), "assistant": self.tr("CareChat"),
                           "notice": ""}
        labels.statuses = {key: self.tr(text) for key, text in STATUS_NOTES.items()}
        labels.writing = self.tr("Writing…")
        labels.sources = self.tr("Sources: {titles}")
        labels.badges = {"basic": self.tr("Easy to read: grade {grade}"),
                         "standard": self.tr("Fairly easy to read: grade {grade}"),
                         "advanced": self.tr("Harder to read: grade {grade}"),
                         "none": self.tr("Hard to read: grade {grade}")}
        labels.no_source = self.tr("No library source: check this with a clinician.")
        self.messages.accessible_labels = {"user": self.tr("You"),
                                           "assistant": self.tr("CareChat"),
                                           "notice": self.tr("Note")}
        self.delegate.invalidate()
        self.doItemsLayout()

    def set_look(self, theme: Theme, font: QFont) -> None:
        self.delegate.theme = theme
        self.delegate.invalidate()
        self.setFont(font)
        self.doItemsLayout()

    # --- what is shown ------------------------------------------------------------
    def show_items(self, items: list[ChatItem], message_id: int = 0) -> None:
        """Show ``items``, at the message ``message_id`` when it is there (a search hit),
        else at the end."""
        self.messages.set_items(items)
        target = next((row for row, item in enumerate(items)
                       if message_id and item.message_id == message_id), None)
        if target is None:
            self.scroll_to_end()
        else:
            self._follow = False
            index = self.messages.index(target)
            self.setCurrentIndex(index)
            self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def begin_answer(self, question: str) -> None:
        """The question, and under it an empty answer being written, followed."""
        self.messages.append(ChatItem("user", question))
        self.messages.append(ChatItem("assistant", "", status=MessageStatus.STREAMING))
        self.scroll_to_end()

    def add_to_answer(self, text: str) -> None:
        self.messages.append_text(self.messages.rowCount() - 1, text)

    def end_answer(self, **changes) -> None:
        """Change the answer being written (``ChatItem`` fields), once it has ended."""
        self.messages.update(self.messages.rowCount() - 1, **changes)

    def add_note(self, text: str) -> None:
        """A note from CareChat under the conversation (never saved)."""
        self.messages.append(ChatItem("notice", text))

    # --- what is there ------------------------------------------------------------
    def last_answer(self) -> ChatItem | None:
        """The last answer, when it is complete (the answer buttons act on it)."""
        row = self.messages.last_row("assistant")
        if row is None:
            return None
        item = self.messages.item(row)
        return item if item.text and item.status == MessageStatus.COMPLETE else None

    def last_question(self) -> str | None:
        row = self.messages.last_row("user")
        return None if row is None else self.messages.item(row).text

    def has_answer(self) -> bool:
        return self.messages.last_row("assistant") is not None

    def chosen_answer_row(self) -> int | None:
        """The row of the answer chosen in the list, else of the last one."""
        rows = [i.row() for i in self.selectionModel().selectedIndexes()]
        return rows[0] if rows and self.messages.item(rows[0]).speaker == "assistant" \
            else self.messages.last_row("assistant")

    def chosen_answer(self) -> str:
        """The text of the answer chosen in the list, else of the last one ("" if none)."""
        row = self.chosen_answer_row()
        return "" if row is None else self.messages.item(row).text

    def read_along(self, read_aloud, button, language: Callable[[], str]) -> None:
        """``button`` (a ``ListenButton``) reads the chosen answer, else the last, and
        the word being read is highlighted in its bubble."""
        def text_of() -> tuple[str, str]:
            self._reading_row = self.chosen_answer_row()
            self.show_spoken(None)
            return self.chosen_answer(), language()

        button.text_of = text_of
        read_aloud.word.connect(
            lambda key, word, _at: key == button.key and self.show_spoken(
                self._reading_row, word))
        read_aloud.finished.connect(
            lambda key: key == button.key and self.show_spoken(None))

    def show_spoken(self, row: int | None, word: str = "") -> None:
        """Highlight the word of ``row``'s answer being read aloud (None: no more)."""
        if self.delegate.show_spoken(row, word) or row is None:
            self.viewport().update()

    # --- following the answer -------------------------------------------------------
    def scroll_to_end(self) -> None:
        self._follow = True
        self.scrollToBottom()

    def _on_scrolled(self, value: int) -> None:
        self._follow = value >= self.verticalScrollBar().maximum() - 4

    def _on_scroll_range(self, _minimum: int, maximum: int) -> None:
        if self._follow:
            self.verticalScrollBar().setValue(maximum)
