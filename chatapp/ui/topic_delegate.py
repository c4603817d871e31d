"""A topic in the health topics list: its title, then its summary on one muted line."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QListWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from .a11y import MIN_TARGET_PX

SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 1  # an item's summary, drawn under its title
ITEM_PAD = 8  # px around a topic's two lines


class TopicDelegate(QStyledItemDelegate):
    """A topic in the list: its title in bold (wrapped, never cut), then its summary on
    one muted line. The whole summary is the row's tooltip and screen-reader text."""

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        bold = QFont(option.font)
        bold.setBold(True)
        return bold, QFont(option.font)

    @staticmethod
    def _text_width(option: QStyleOptionViewItem) -> int:
        view = option.widget
        width = view.viewport().width() if isinstance(view, QListWidget) else option.rect.width()
        return max(40, width - 2 * ITEM_PAD - 4)

    @staticmethod
    def _title_height(font: QFont, width: int, title: str) -> int:
        flags = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft
        return QFontMetrics(font).boundingRect(QRect(0, 0, width, 10_000), flags, title).height()

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802 (Qt API)
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        bold, plain = self._fonts(opt)
        width = self._text_width(opt)
        title = self._title_height(bold, width, index.data(Qt.ItemDataRole.DisplayRole) or "")
        height = title + QFontMetrics(plain).lineSpacing() + 2 * ITEM_PAD
        return QSize(width, max(MIN_TARGET_PX, height))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        opt.text = ""  # the panel only: selection, hover, focus as the style sheet says
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Normal if opt.state & QStyle.StateFlag.State_Enabled \
            else QPalette.ColorGroup.Disabled
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        muted_role = text_role if selected else QPalette.ColorRole.PlaceholderText
        bold, plain = self._fonts(opt)
        area = opt.rect.adjusted(ITEM_PAD + 4, ITEM_PAD, -ITEM_PAD, -ITEM_PAD)
        title = index.data(Qt.ItemDataRole.DisplayRole) or ""
        title_height = self._title_height(bold, area.width(), title)
        summary = QFontMetrics(plain).elidedText(index.data(SUMMARY_ROLE) or "",
                                                 Qt.TextElideMode.ElideRight, area.width())
        painter.save()
        painter.setFont(bold)
        painter.setPen(opt.palette.color(group, text_role))
        painter.drawText(QRect(area.left(), area.top(), area.width(), title_height),
                         Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft, title)
        painter.setFont(plain)
        painter.setPen(opt.palette.color(group, muted_role))
        painter.drawText(QRect(area.left(), area.top() + title_height, area.width(),
                               area.height() - title_height),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, summary)
        painter.restore()
