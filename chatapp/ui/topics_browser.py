"""Health topics: search and read every library article, without the model.

A search box filters the topics as the patient types (after a short pause), the
list shows each topic's title and summary, and the reader shows the chosen
article: its sections, its sources, who reviewed it and when, and its "check
your understanding" questions, whose answers stay hidden until asked for.

External links: a source's address is shown in full as selectable text, and is
also a link. Clicking it first asks whether to leave CareChat for the web
browser (the page needs the internet; CareChat itself never does), and only then
asks the operating system to open it (``confirm`` and ``open_url`` replace those
two steps in tests). A kiosk passes ``external_links=False``: the address is
still shown, but nothing opens a browser on a shared machine. An ``article:<id>``
link (the chat's source links use the same form) opens that topic here.

Keyboard: Tab goes search box → list → reader → "Show answers". Down in the
search box moves into the list, Enter opens the topic and moves to the reader,
Esc anywhere in the browser clears the search and returns to the search box.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterable

from PySide6.QtCore import (
    QDate,
    QEvent,
    QLocale,
    QObject,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QDesktopServices,
    QKeyEvent,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..knowledge import CLINIC, Article, LibraryIndex, Problem
from ..literacy import ORDER, Level, parse_level
from .a11y import MIN_TARGET_PX, describe
from .i18n import Retranslates
from .question_buttons import QuestionButtons
from .read_aloud import ReadAlong, ReadAloud
from .screener_dialog import level_name
from .topic_delegate import SUMMARY_ROLE, TopicDelegate

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 250  # wait for a pause in typing before filtering
LIST_CHARS = 30  # the topic list's starting width, in average characters (grows with text)
ARTICLE_ROLE = Qt.ItemDataRole.UserRole
ARTICLE_SCHEME = "article:"  # an href to another article: article:<id> (as in the chat)
WEB_SCHEMES = ("http", "https")
MARKDOWN = (
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub
    | QTextDocument.MarkdownFeature.MarkdownNoHTML  # a clinic file's raw HTML stays text
)
# Every ASCII character Markdown might read as markup; a backslash makes it plain text.
_MARKUP = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~&$])")


def _plain(text: str) -> str:
    """``text`` as literal Markdown text: titles and names are words, not markup."""
    return _MARKUP.sub(r"\\\1", " ".join(text.split()))


def open_in_browser(url: str) -> bool:
    return QDesktopServices.openUrl(QUrl(url))


class TopicsBrowser(Retranslates, QWidget):
    """Search the library's topics and read one. Dependencies are passed in."""

    article_opened = Signal(str, str)  # article id, the language it is shown in
    question_asked = Signal(str)  # one of the article's questions, tapped

    def __init__(
        self,
        index: LibraryIndex,
        language: str = "en",
        parent: QWidget | None = None,
        *,
        external_links: bool = True,
        confirm: Callable[[QWidget, str], bool] | None = None,
        open_url: Callable[[str], bool] = open_in_browser,
        level: Level | str = Level.BASIC,
    ) -> None:
        super().__init__(parent)
        self._index = index
        self._language = language
        # The reading level articles are shown at (knowledge.level_texts): the
        # patient's, until they choose another for reading here.
        self._level = parse_level(level)
        self._external_links = external_links
        self._confirm = confirm or TopicsBrowser._ask_before_leaving
        self._open_url = open_url
        self._article: Article | None = None
        self._reported: set[Problem] = set()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)

        # Library problems: said once, in plain words; the details are for staff.
        self.problem_row = QWidget(self)
        problem_layout = QHBoxLayout(self.problem_row)
        problem_layout.setContentsMargins(0, 0, 0, 0)
        self.problem = QLabel(self.problem_row, objectName="caution")
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dismiss_button = self._button(self.problem_row)
        self.dismiss_button.clicked.connect(self.problem_row.hide)
        problem_layout.addWidget(self.problem, stretch=1)
        problem_layout.addWidget(self.dismiss_button, alignment=Qt.AlignmentFlag.AlignTop)
        self.problem_row.hide()
        layout.addWidget(self.problem_row)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, stretch=1)

        left = QWidget(self.splitter)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 6, 0)
        self.heading = QLabel(left, objectName="heading")
        self.search_label = QLabel(left)
        self.search = QLineEdit(left)
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumHeight(MIN_TARGET_PX)
        self.search_label.setBuddy(self.search)
        self.topics = QListWidget(left)
        self.topics.setItemDelegate(TopicDelegate(self.topics))
        self.topics.setUniformItemSizes(False)  # a long title wraps onto a second line
        self.topics.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.topics.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.topics.setMinimumWidth(220)
        self.empty = QLabel(left, objectName="muted")
        self.empty.setWordWrap(True)
        self.empty.hide()
        for widget in (self.heading, self.search_label, self.search):
            left_layout.addWidget(widget)
        left_layout.addWidget(self.topics, stretch=1)
        left_layout.addWidget(self.empty)

        right = QWidget(self.splitter)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(6, 0, 0, 0)
        self.fallback_note = QLabel(right, objectName="caution")
        self.fallback_note.setWordWrap(True)
        self.fallback_note.hide()
        self.reader = QTextBrowser(right)
        self.reader.setOpenLinks(False)
        self.reader.setOpenExternalLinks(False)
        self.reader.setMinimumWidth(320)
        self.reader.document().setDocumentMargin(16)
        self.show_answers = self._button(right)
        self.show_answers.setCheckable(True)
        self.show_answers.setEnabled(False)
        self.level_label = QLabel(right)
        self.level_box = QComboBox(right)
        self.level_box.setMinimumHeight(MIN_TARGET_PX)
        self.level_box.setMinimumWidth(MIN_TARGET_PX)
        self.level_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for level in ORDER:
            self.level_box.addItem("", level.value)
        self.level_label.setBuddy(self.level_box)
        right_layout.addWidget(self.fallback_note)
        right_layout.addWidget(self.reader, stretch=1)
        # The article's common questions: a tap asks one in the chat.
        self.questions = QuestionButtons(right)
        self.questions.asked.connect(self.question_asked)
        right_layout.addWidget(self.questions)
        self._buttons = buttons = QHBoxLayout()
        buttons.addWidget(self.show_answers)
        buttons.addStretch(1)
        buttons.addWidget(self.level_label)
        buttons.addWidget(self.level_box)
        right_layout.addLayout(buttons)

        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self._sized = False

        self.setTabOrder(self.search, self.topics)
        self.setTabOrder(self.topics, self.reader)
        self.setTabOrder(self.reader, self.show_answers)
        self.setTabOrder(self.show_answers, self.level_box)

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(SEARCH_DELAY_MS)
        self._filter_timer.timeout.connect(self._fill)
        self.search.textChanged.connect(lambda _: self._filter_timer.start())
        self.search.returnPressed.connect(self._open_from_search)
        self.topics.currentItemChanged.connect(self._on_current)
        self.topics.itemActivated.connect(self._on_activated)
        self.reader.anchorClicked.connect(self._on_link)
        self.show_answers.toggled.connect(self._on_show_answers)
        self.level_box.currentIndexChanged.connect(self._on_level_chosen)
        for widget in (self.search, self.topics, self.reader):
            widget.installEventFilter(self)

        self.retranslate()  # also fills the list
        self._report(index.problems)

    def _button(self, parent: QWidget) -> QPushButton:
        button = QPushButton(parent)
        button.setMinimumHeight(MIN_TARGET_PX)
        button.setMinimumWidth(MIN_TARGET_PX)
        return button


    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if not self._sized:  # once the style sheet has set the text size
            self._sized = True
            total = sum(self.splitter.sizes())
            metrics = self.topics.fontMetrics()
            wanted = max(metrics.horizontalAdvance("x" * LIST_CHARS),
                         metrics.horizontalAdvance("中" * (LIST_CHARS // 2))) + 40
            left = min(wanted, total * 2 // 5)
            self.splitter.setSizes([left, total - left])
            self.topics.doItemsLayout()  # the rows' heights for the new width, now

    # --- language -------------------------------------------------------------------
    def retranslate(self) -> None:
        self.heading.setText(self.tr("Health topics"))
        self.search_label.setText(self.tr("&Search the topics:"))
        self.search.setPlaceholderText(self.tr("For example: asthma, sugar, back pain"))
        describe(self.search, self.tr("Search health topics"),
                   self.tr("Type a word to show only the topics about it. "
                           "Press Down to go to the list, Esc to clear."))
        describe(self.topics, self.tr("Health topics"),
                   self.tr("Choose a topic and press Enter to read it"))
        describe(self.reader, self.tr("Article"),
                   self.tr("The chosen topic. Links to web pages ask before they open."))
        self.reader.setPlaceholderText(self.tr("Choose a topic on the left to read about it."))
        self.dismiss_button.setText(self.tr("Hide"))
        describe(self.dismiss_button, self.tr("Hide this message"),
                   self.tr("Hide the message about library files with mistakes"))
        describe(self.problem, self.tr("Library problem"), self.problem.toolTip())
        self._retranslate_answers_button()
        self._retranslate_levels()
        self._fill()  # list labels ("in English") and the reader's own headings
        self._render()
        if self.problem_row.isVisibleTo(self):
            self._show_problems(sorted(self._reported))

    def _retranslate_answers_button(self) -> None:
        if self.show_answers.isChecked():
            self.show_answers.setText(self.tr("Hide answers"))
            describe(self.show_answers, self.tr("Hide answers"),
                       self.tr("Hide the answers to the questions"))
        else:
            self.show_answers.setText(self.tr("Show answers"))
            describe(self.show_answers, self.tr("Show answers"),
                       self.tr("Show the answers to the “Check your understanding” questions"))

    @property
    def language(self) -> str:
        return self._language

    @language.setter
    def language(self, language: str) -> None:
        self.set_language(language)

    def set_language(self, language: str) -> None:
        """Show topics in ``language`` ("en" or "zh"); English where a topic has no
        article in it. The open topic stays open, in the new language."""
        if language == self._language:
            return
        self._language = language
        self._fill()
        if self._article is not None:
            self.open_article(self._article.id)

    # --- the library ----------------------------------------------------------------
    @property
    def index(self) -> LibraryIndex:
        return self._index

    def set_index(self, index: LibraryIndex) -> None:
        """Use a newly loaded library (the files changed); new problems are reported."""
        self._index = index
        self._fill()
        self._report(index.problems)
        if self._article is not None and not self.open_article(self._article.id):
            self._article = None
            self._render()

    def _report(self, problems: Iterable[Problem]) -> None:
        new = [p for p in problems if p not in self._reported]
        if not new:
            return
        for problem in new:
            log.warning("Library file skipped: %s", problem)
        self._reported.update(new)
        self._show_problems(new)

    def _show_problems(self, problems: list[Problem]) -> None:
        names = ", ".join(dict.fromkeys(p.path.name for p in problems))
        self.problem.setText(self.tr(
            "Some library articles could not be shown because their files have mistakes. "
            "Please tell the clinic staff. Files: {files}").format(files=names))
        self.problem.setToolTip("\n".join(str(p) for p in problems))
        self.problem.setAccessibleName(self.tr("Library problem"))
        self.problem_row.show()

    # --- the list -------------------------------------------------------------------
    def query(self) -> str:
        return self.search.text().strip()

    def shown_ids(self) -> list[str]:
        """The ids of the topics in the list, top to bottom."""
        return [self.topics.item(row).data(ARTICLE_ROLE) for row in range(self.topics.count())]

    def _fill(self) -> None:
        self._filter_timer.stop()
        found = self._index.articles(self._language, self.query() or None)
        # Topics in the patient's language first, then those only in English.
        articles = sorted(found, key=lambda a: a.language != self._language)
        current = self._article.id if self._article else None
        self.topics.blockSignals(True)
        self.topics.clear()
        for article in articles:
            title = article.title
            if article.language != self._language:
                title = self.tr("{title} (in English)").format(title=title)
            item = QListWidgetItem(title)
            item.setData(ARTICLE_ROLE, article.id)
            item.setData(SUMMARY_ROLE, article.summary)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{title}. {article.summary}")
            item.setToolTip(article.summary)
            self.topics.addItem(item)
            if article.id == current:
                self.topics.setCurrentItem(item)
        self.topics.blockSignals(False)
        self.empty.setText(self.tr("No topic matches “{query}”. Try another word.").format(
            query=self.query()))
        self.empty.setVisible(not articles)

    def _on_current(self, item: QListWidgetItem | None, _previous=None) -> None:
        if item is not None:
            self.open_article(item.data(ARTICLE_ROLE))

    def _on_activated(self, item: QListWidgetItem) -> None:
        self.open_article(item.data(ARTICLE_ROLE))
        self.reader.setFocus(Qt.FocusReason.OtherFocusReason)

    def _open_from_search(self) -> None:
        self._fill()  # the patient may press Enter before the pause that filters
        item = self.topics.currentItem() or self.topics.item(0)
        if item is not None:
            self.topics.setCurrentItem(item)
            self._on_activated(item)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                self._fill()
                self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return True
            if watched is self.search and key == Qt.Key.Key_Down and self.topics.count():
                self._fill()
                if self.topics.currentItem() is None:
                    self.topics.setCurrentRow(0)
                self.topics.setFocus(Qt.FocusReason.TabFocusReason)
                return True
        return super().eventFilter(watched, event)

    # --- the reader -----------------------------------------------------------------
    @property
    def article(self) -> Article | None:
        """The article in the reader, or None."""
        return self._article

    def open_article(self, article_id: str) -> bool:
        """Show the article ``article_id`` in the browser's language (English when it
        has none in it); False when the library has no such article."""
        article = self._index.article(article_id, self._language)
        if article is None:
            return False
        changed = self._article is None or (self._article.id, self._article.language) != (
            article.id, article.language)
        self._article = article
        if article.id not in self.shown_ids():
            self.search.blockSignals(True)
            self.search.clear()  # the chat may open a topic that the search hides
            self.search.blockSignals(False)
            self._fill()
        self._select(article.id)
        if changed:
            self.show_answers.blockSignals(True)
            self.show_answers.setChecked(False)
            self.show_answers.blockSignals(False)
            self._retranslate_answers_button()
            self._render()
            self.reader.verticalScrollBar().setValue(0)
        self.article_opened.emit(article.id, article.language)
        return True

    # --- reading aloud ----------------------------------------------------------------
    def set_read_aloud(self, read_aloud: ReadAloud) -> None:
        """Add a Listen button for the article; the word being read is highlighted."""
        self.read_along = ReadAlong(read_aloud, "article", self.reader, self.spoken, self)
        self.listen_button = self.read_along.button
        self._buttons.insertWidget(0, self.listen_button)
        self._update_listen()

    def spoken(self) -> tuple[str, str]:
        """What Listen reads: the article as shown, at its level (``markdown``)."""
        article = self._article
        if article is None:
            return "", self._language
        return self.markdown(article, self.answers_shown()), article.language

    def _update_listen(self) -> None:
        if getattr(self, "listen_button", None) is not None:
            self.listen_button.setEnabled(self._article is not None)

    def highlighted_word(self) -> str:
        """The word highlighted as it is read ("" when none; for tests and tools)."""
        return self.read_along.highlighted_word() if hasattr(self, "read_along") else ""

    def _select(self, article_id: str) -> None:
        self.topics.blockSignals(True)
        for row in range(self.topics.count()):
            item = self.topics.item(row)
            if item.data(ARTICLE_ROLE) == article_id:
                self.topics.setCurrentItem(item)
                self.topics.scrollToItem(item)
        self.topics.blockSignals(False)

    # --- reading level --------------------------------------------------------------
    def _retranslate_levels(self) -> None:
        self.level_label.setText(self.tr("&Reading level:"))
        for row, level in enumerate(ORDER):
            self.level_box.setItemText(row, level_name(level))
        describe(self.level_box, self.tr("Reading level of the article"),
                 self.tr("Read this topic in easier words or in more detail"))
        self._show_level()

    @property
    def level(self) -> Level:
        """The reading level the reader shows articles at."""
        return self._level

    def set_level(self, level: Level | str) -> None:
        """Show articles at ``level`` (the patient's new reading level)."""
        level = parse_level(level)
        if level != self._level:
            self._level = level
            self._show_level()
            self._render()

    def _show_level(self) -> None:
        self.level_box.blockSignals(True)
        self.level_box.setCurrentIndex(ORDER.index(self._level))
        self.level_box.blockSignals(False)

    def _on_level_chosen(self, row: int) -> None:
        if 0 <= row < len(ORDER):
            self.set_level(ORDER[row])

    def answers_shown(self) -> bool:
        return self.show_answers.isChecked()

    def _on_show_answers(self, shown: bool) -> None:
        self._retranslate_answers_button()
        position = self.reader.verticalScrollBar().value()
        self._render()
        self.reader.verticalScrollBar().setValue(position)
        if shown:  # the questions at the top, the answers under them
            found = self.reader.document().find(self.tr("Check your understanding"))
            if not found.isNull():
                layout = self.reader.document().documentLayout()
                top = layout.blockBoundingRect(found.block()).top()
                self.reader.verticalScrollBar().setValue(int(top))

    def _render(self) -> None:
        if hasattr(self, "read_along"):  # another article, level or language: stop
            self.read_along.stop()
        article = self._article
        self._update_listen()
        fallback = article is not None and article.language != self._language
        self.fallback_note.setText(self.tr(
            "This topic is not yet available in your language, so it is shown in English."))
        self.fallback_note.setVisible(fallback)
        self.show_answers.setEnabled(article is not None and bool(article.check))
        # Only an article written at more than one level has a choice to offer.
        leveled = article is not None and bool(article.levels)
        self.level_label.setVisible(leveled)
        self.level_box.setVisible(leveled)
        self.questions.show_questions(self.tr("Ask CareChat about this:"),
                                      article.questions if article is not None else ())
        if article is None:
            self.reader.clear()
            return
        self.reader.document().setMarkdown(self.markdown(article, self.answers_shown()),
                                           MARKDOWN)
        self.reader.moveCursor(QTextCursor.MoveOperation.Start)

    def markdown(self, article: Article, answers: bool) -> str:
        """The reader's text for ``article``: Markdown, with the answers or without."""
        parts = [f"# {_plain(article.title)}", f"**{_plain(article.summary)}**"]
        provenance = [self.tr("Reviewed by {who} on {date}.").format(
            who=article.reviewed_by, date=self._date(article.last_reviewed))]
        if article.origin == CLINIC:
            provenance.append(self.tr("Added by your clinic."))
        parts.append(f"*{_plain(' '.join(provenance))}*")
        for section in article.sections:
            parts += [f"## {_plain(section.heading)}", section.text_at(self._level).strip()]
        if article.sources:
            heading = self.tr("Sources")  # a call of its own: lupdate skips f-strings
            parts.append(f"## {_plain(heading)}")
            lines = []
            for source in article.sources:
                # A list item is one line: Qt makes a line break in one a new bullet.
                url = bytes(QUrl(source.url).toEncoded().data()).decode("ascii")
                shown = _plain(source.url)
                address = f"[{shown}](<{url}>)" if self._external_links else shown
                lines.append(f"- {_plain(source.title)}: {address}")
            parts.append("\n".join(lines))
        if article.check:
            heading = self.tr("Check your understanding")
            parts.append(f"## {_plain(heading)}")
            for number, check in enumerate(article.check, start=1):
                parts.append(f"**{_plain(f'{number}. {check.question}')}**")
                if answers:
                    label = _plain(self.tr("Answer:"))
                    parts.append(f"*{label}* {_plain(check.answer)}")
            if not answers:
                hint = self.tr("Think about your answers, then press “Show answers” "
                               "below the article.")
                parts.append(f"*{_plain(hint)}*")
        return "\n\n".join(parts) + "\n"

    def _date(self, day: dt.date) -> str:
        # The date pattern is translated: "d MMMM yyyy" in English, "yyyy年M月d日" in Chinese.
        return QLocale().toString(QDate(day.year, day.month, day.day), self.tr("d MMMM yyyy"))

    def _ask_before_leaving(self, url: str) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Open in your web browser?"),
            self.tr("This link opens a web page outside CareChat:\n\n{url}\n\n"
                    "It needs the internet. Open it in your web browser?").format(url=url),
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Open

    def _on_link(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith(ARTICLE_SCHEME):
            self.open_article(text.removeprefix(ARTICLE_SCHEME))
        elif (url.scheme() in WEB_SCHEMES and self._external_links
              and self._confirm(self, text)):
            self._open_url(text)
