"""Draw each message as a bubble: Markdown for answers, with its status, badge and sources.

Each row's laid-out document is cached by (revision, width), so a long conversation
scrolls without laying out every message again, and a streamed answer re-lays only
its own row.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ..literacy import Readability, easiest_level
from ..literacy import badge as scores_badge
from ..turn import SAFETY_RULES
from ..vocabulary import MessageStatus
from .message_model import Roles
from .theme import Theme

BUBBLE_SHARE = 0.82  # a bubble takes at most this share of the view's width
GAP = 10  # vertical space between bubbles, px
SIDE = 12  # space to the view's edges, px
SOURCE_SCHEME = "article:"  # a source link's href: article:<id>
MARKDOWN = (
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub
    | QTextDocument.MarkdownFeature.MarkdownNoHTML  # a model's raw HTML is shown as text
)

Index = QModelIndex | QPersistentModelIndex


@dataclass
class Labels:
    """The words the delegate draws, translated by the window."""

    speakers: dict[str, str] = field(default_factory=lambda: {
        "user": "You", "assistant": "CareChat", "notice": ""})
    statuses: dict[str, str] = field(default_factory=dict)
    writing: str = "Writing…"
    sources: str = "Sources: {titles}"
    no_source: str = "No library source: check this with a clinician."
    # By the simplest reading level whose grade the answer meets, as in
    # resources/literacy/readability.toml; "none": over them all.
    badges: dict[str, str] = field(default_factory=lambda: {
        "basic": "Easy to read: grade {grade}", "standard": "Fairly easy to read: grade {grade}",
        "advanced": "Harder to read: grade {grade}", "none": "Hard to read: grade {grade}"})


class MessageDelegate(QStyledItemDelegate):
    source_clicked = Signal(str)  # an article id

    def __init__(self, theme: Theme, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.labels = Labels()
        self._docs: dict[int, tuple[tuple, QTextDocument]] = {}
        # The word being read aloud: (row, start, end) in that row's document.
        self.spoken: tuple[int, int, int] | None = None

    def show_spoken(self, row: int | None, word: str = "") -> bool:
        """Highlight ``word``, the next one read aloud in ``row``'s answer, after the
        last one highlighted; None or "" clears. False when it is not found (the
        voice reads the cleaned text, so a symbol it said as a word is skipped)."""
        if row is None or not word:
            self.spoken = None
            return False
        cached = self._docs.get(row)
        if cached is None:
            return False
        after = self.spoken[2] if self.spoken is not None and self.spoken[0] == row else 0
        found = cached[1].find(word, after)
        if found.isNull():
            return False
        self.spoken = (row, found.selectionStart(), found.selectionEnd())
        return True

    def spoken_word(self) -> str:
        """The word highlighted as it is read ("" when none; for tests and tools)."""
        if self.spoken is None or self.spoken[0] not in self._docs:
            return ""
        row, start, end = self.spoken
        cursor = QTextCursor(self._docs[row][1])
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        return cursor.selectedText()

    def invalidate(self) -> None:
        """Forget every laid-out document (theme, text size or language changed)."""
        self._docs.clear()

    # --- geometry ---------------------------------------------------------------
    def _bubble_width(self, option: QStyleOptionViewItem) -> float:
        return max(120.0, (option.rect.width() - 2 * SIDE) * BUBBLE_SHARE)

    def _document(self, option: QStyleOptionViewItem, index: Index) -> QTextDocument:
        width = self._bubble_width(option)
        key = (index.data(Roles.REVISION), round(width), option.font.key())
        cached = self._docs.get(index.row())
        if cached is not None and cached[0][0] == key[0] and cached[0][2] == key[2]:
            doc = cached[1]
            if cached[0][1] != key[1]:  # only the width changed: re-wrap, don't rebuild
                doc.setTextWidth(width)
                self._docs[index.row()] = (key, doc)
            return doc
        doc = self._build(option.font, index)
        doc.setTextWidth(width)
        self._docs[index.row()] = (key, doc)
        return doc

    def _build(self, font: QFont, index: Index) -> QTextDocument:
        t, words = self.theme, self.labels
        speaker = index.data(Roles.SPEAKER)
        status = index.data(Roles.STATUS)
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        doc = QTextDocument()
        doc.setDefaultFont(font)
        doc.setDocumentMargin(12)
        doc.setDefaultStyleSheet(f"a {{ color: {t.accent}; }}")
        cursor = QTextCursor(doc)
        name = words.speakers.get(speaker, "")
        if name:
            colour = t.accent if speaker == "assistant" else t.user_text
            cursor.insertHtml(f"<b style='color:{colour}'>{html.escape(name)}</b>")
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())  # the name's bold ends here
        if speaker == "assistant" and text:
            cursor.insertMarkdown(text, MARKDOWN)
        elif speaker == "assistant" and status == MessageStatus.STREAMING:
            cursor.insertHtml(f"<i style='color:{t.muted}'>{html.escape(words.writing)}</i>")
        else:
            cursor.insertText(text)
        for line, colour in self._footer(index):
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            cursor.insertHtml(f"<span style='color:{colour}; font-size:small'>{line}</span>")
        return doc

    def _footer(self, index: Index) -> list[tuple[str, str]]:
        if index.data(Roles.SPEAKER) != "assistant":
            return []
        t, words = self.theme, self.labels
        lines = []
        status = index.data(Roles.STATUS)
        note = words.statuses.get(status)
        if note:
            failed = status in (MessageStatus.INTERRUPTED, MessageStatus.ERROR)
            lines.append((html.escape(note), t.danger if failed else t.muted))
        readability = index.data(Roles.READABILITY) or {}
        level = self.badge_level(readability)
        badge = self.badge(readability, level)
        if badge:
            easy = level in ("basic", "standard")
            lines.append((html.escape(badge), t.good if easy else t.muted))
        links = [
            f"<a href='{SOURCE_SCHEME}{html.escape(s['id'])}'>{html.escape(s['title'])}</a>"
            for s in (index.data(Roles.SOURCES) or ()) if isinstance(s, dict) and "id" in s
        ]
        if links:
            lines.append((html.escape(words.sources).replace("{titles}", " · ".join(links)),
                          t.muted))
        elif (words.no_source and status == MessageStatus.COMPLETE
              # the rules' own answers are reviewed text, not a model's
              and index.data(Roles.MODEL) not in ("", SAFETY_RULES)):
            lines.append((html.escape(words.no_source), t.muted))
        meta = index.data(Roles.META)
        if meta:
            lines.append((html.escape(meta), t.muted))
        return lines

    def badge(self, readability: dict, level: str | None) -> str:
        """"Easy to read: grade 5" ... "Hard to read: grade 17" for an English answer,
        in the window's language; "容易读" ... "难读" for a Chinese one. ``level`` is
        ``badge_level(readability)``."""
        if level is None:
            return ""
        if readability.get("language") == "zh":
            scores = Readability.from_dict(readability)
            return scores_badge(scores) if scores is not None else ""
        return self.labels.badges[level].format(grade=readability["grade"])

    @staticmethod
    def badge_level(readability: dict) -> str | None:
        """The simplest reading level the answer meets (chatapp.literacy's own
        judgement), "none" when over them all, None when it has no scores."""
        scores = Readability.from_dict(readability)
        if scores is None or not scores.measurable:
            return None
        return easiest_level(scores) or "none"

    # --- Qt delegate interface -------------------------------------------------
    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        doc = self._document(option, index)
        return QSize(option.rect.width(), int(doc.size().height()) + GAP)

    def _bubble(self, option: QStyleOptionViewItem, index: Index, doc: QTextDocument) -> QRectF:
        width = min(self._bubble_width(option), doc.idealWidth() + 2)
        rect = option.rect
        speaker = index.data(Roles.SPEAKER)
        if speaker == "user":
            left = rect.right() - SIDE - width
        elif speaker == "notice":
            left = rect.left() + (rect.width() - width) / 2
        else:
            left = rect.left() + SIDE
        return QRectF(left, rect.top() + GAP / 2, width, doc.size().height())

    def editorEvent(self, event: QEvent, model, option: QStyleOptionViewItem,  # noqa: N802
                    index: Index) -> bool:
        # A click on a source's title opens that article in the reader.
        if event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            doc = self._document(option, index)
            bubble = self._bubble(option, index, doc)
            href = doc.documentLayout().anchorAt(event.position() - bubble.topLeft())
            if href.startswith(SOURCE_SCHEME):
                self.source_clicked.emit(href.removeprefix(SOURCE_SCHEME))
                return True
        return super().editorEvent(event, model, option, index)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        doc = self._document(option, index)
        t = self.theme
        speaker = index.data(Roles.SPEAKER)
        if speaker == "user":
            fill, text = t.user_bubble, t.user_text
        elif speaker == "notice":
            fill, text = t.notice_bubble, t.muted
        else:
            fill, text = t.answer_bubble, t.answer_text
        bubble = self._bubble(option, index, doc)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        path = QPainterPath()
        path.addRoundedRect(bubble, 12, 12)
        focused = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(QPen(QColor(t.accent if focused else t.border), 3 if focused else 1))
        painter.fillPath(path, QColor(fill))
        painter.drawPath(path)
        painter.translate(bubble.topLeft())
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(context.palette.ColorRole.Text, QColor(text))
        if self.spoken is not None and self.spoken[0] == index.row():
            selection = QAbstractTextDocumentLayout.Selection()
            cursor = QTextCursor(doc)
            cursor.setPosition(min(self.spoken[1], doc.characterCount() - 1))
            cursor.setPosition(min(self.spoken[2], doc.characterCount() - 1),
                               QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format.setBackground(QColor(t.accent))
            selection.format.setForeground(QColor(t.accent_text))
            context.selections = [selection]
        doc.documentLayout().draw(painter, context)
        painter.restore()
