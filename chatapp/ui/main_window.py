"""The chat window: transcript, composer, Send/Stop and the model's status."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, Qt
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QFont,
    QKeyEvent,
    QKeySequence,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..assistant import QuestionError, TurnResult, answer_by_rules, clean_question
from ..config import Settings
from ..session import OpenedStore, current_profile, open_app_store
from ..storage import Message, StorageError, TurnLog
from ..worker import ChatController
from .emergency_banner import EmergencyBanner
from .token_buffer import TokenBuffer

STATUS_NOTES = {
    "cancelled": QT_TRANSLATE_NOOP("MainWindow", "(Stopped)"),
    "interrupted": QT_TRANSLATE_NOOP(
        "MainWindow", "(Cut off: CareChat closed while writing this answer.)"
    ),
    "error": QT_TRANSLATE_NOOP("MainWindow", "(This answer failed.)"),
    "streaming": QT_TRANSLATE_NOOP("MainWindow", "(Still being written…)"),
}

MIN_TARGET_PX = 44  # smallest comfortable touch/click target
BASE_POINT_SIZE = 12.0


def _button(parent: QWidget, text: str, accessible_name: str, tooltip: str) -> QPushButton:
    """Every button gets a screen-reader name and a tooltip."""
    button = QPushButton(text, parent)
    button.setAccessibleName(accessible_name)
    button.setToolTip(tooltip)
    return button


class _EnterSends(QObject):
    """Enter sends the question; Shift+Enter starts a new line."""

    def __init__(self, send, parent: QObject) -> None:
        super().__init__(parent)
        self._send = send

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self._send()
                return True
        return False


class MainWindow(QMainWindow):
    def __init__(
        self,
        settings: Settings,
        opened: OpenedStore | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        opened = opened or open_app_store(settings)
        self.store = opened.store  # the UI thread's own connection
        self.profile = current_profile(self.store)
        self.conversation_id: int | None = None
        self._busy = False
        self._model_ready = False
        self.setWindowTitle(self.tr("CareChat"))
        self.resize(920, 720)
        # Patients read long answers here: start a little above the desktop's
        # usual 9-10 pt (per-profile text size comes with the profiles).
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), BASE_POINT_SIZE))
        self.setFont(font)

        self.controller = ChatController(settings, self.store.location, self)
        self.buffer = TokenBuffer(parent=self)
        self._build()
        self._connect()
        self._set_state_loading()
        self._refresh_conversations()
        self._show_notice(" ".join(opened.notices))

    # --- layout -----------------------------------------------------------
    def _build(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(10)

        title = QLabel(self.tr("CareChat"), central)
        title_font = QFont(title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.6)
        title_font.setBold(True)
        title.setFont(title_font)
        subtitle = QLabel(
            self.tr("Health information in plain words. It runs on this computer: "
                    "nothing you type leaves it."),
            central,
        )
        subtitle.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(subtitle)

        self.disclaimer = QLabel(
            self.tr("CareChat is not a doctor and cannot help in an emergency. "
                    "If you think you may have an emergency, call your local "
                    "emergency number now."),
            central,
        )
        self.disclaimer.setWordWrap(True)
        self.disclaimer.setAccessibleName(self.tr("Important notice"))
        self.disclaimer.setStyleSheet(
            "QLabel { background: #fff4ce; color: #3b2f00; border: 1px solid #e0c96b;"
            " border-radius: 6px; padding: 8px; }"
        )
        layout.addWidget(self.disclaimer)

        self.banner = EmergencyBanner(parent=central)
        layout.addWidget(self.banner)

        self.transcript = QTextBrowser(central)
        self.transcript.setOpenExternalLinks(False)
        self.transcript.setAccessibleName(self.tr("Conversation"))
        self.transcript.setToolTip(self.tr("Your questions and CareChat's answers"))
        self.transcript.setPlaceholderText(
            self.tr("Ask a question about your health, for example: "
                    "\"What is high blood pressure?\"")
        )
        layout.addWidget(self.transcript, stretch=1)

        self.input = QPlainTextEdit(central)
        self.input.setAccessibleName(self.tr("Your question"))
        self.input.setToolTip(
            self.tr("Type your question. Enter sends, Shift+Enter starts a new line.")
        )
        self.input.setPlaceholderText(self.tr("Type your health question here…"))
        self.input.setTabChangesFocus(True)
        line = self.input.fontMetrics().lineSpacing()
        self.input.setFixedHeight(max(MIN_TARGET_PX, line * 3 + 16))
        self.input.installEventFilter(_EnterSends(self.send, self))

        self.send_button = _button(central, self.tr("Send"), self.tr("Send question"),
                                   self.tr("Send your question (Enter)"))
        self.stop_button = _button(central, self.tr("Stop"), self.tr("Stop the answer"),
                                   self.tr("Stop the answer now (Esc)"))
        for button in (self.send_button, self.stop_button):
            button.setMinimumSize(MIN_TARGET_PX * 2, MIN_TARGET_PX)

        composer = QHBoxLayout()
        composer.addWidget(self.input, stretch=1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.stop_button)
        composer.addLayout(buttons)
        layout.addLayout(composer)

        self.notice = QLabel("", central)
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName(self.tr("Message"))
        self.notice.setStyleSheet("QLabel { color: #a4000f; }")
        self.notice.hide()
        layout.addWidget(self.notice)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self._build_sidebar())
        splitter.addWidget(central)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 760])
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)

        self.status_label = QLabel(self.tr("Starting…"), self)
        self.status_label.setAccessibleName(self.tr("Model status"))
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # busy indicator: loading has no known length
        self.progress.setMaximumWidth(160)
        self.progress.setAccessibleName(self.tr("Loading the model"))
        self.progress.setTextVisible(False)
        self.statusBar().addWidget(self.status_label, stretch=1)
        self.statusBar().addPermanentWidget(self.progress)

        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self.stop)
        self.setTabOrder(self.input, self.send_button)
        self.setTabOrder(self.send_button, self.stop_button)
        self.setTabOrder(self.stop_button, self.transcript)
        self.input.setFocus()

    def _build_sidebar(self) -> QWidget:
        sidebar = QWidget(self)
        layout = QVBoxLayout(sidebar)
        layout.setContentsMargins(12, 12, 4, 8)
        heading = QLabel(self.tr("Your conversations"), sidebar)
        bold = QFont(heading.font())
        bold.setBold(True)
        heading.setFont(bold)
        layout.addWidget(heading)

        self.new_button = _button(sidebar, self.tr("New conversation"),
                                  self.tr("New conversation"),
                                  self.tr("Start a new conversation (Ctrl+N)"))
        self.new_button.setShortcut(QKeySequence.StandardKey.New)
        layout.addWidget(self.new_button)

        self.conversation_list = QListWidget(sidebar)
        self.conversation_list.setAccessibleName(self.tr("Conversations"))
        self.conversation_list.setToolTip(self.tr("Choose a conversation to read it again"))
        self.conversation_list.setWordWrap(True)
        layout.addWidget(self.conversation_list, stretch=1)

        row = QHBoxLayout()
        self.rename_button = _button(sidebar, self.tr("Rename"), self.tr("Rename conversation"),
                                     self.tr("Give the chosen conversation a new name"))
        self.delete_button = _button(sidebar, self.tr("Delete"), self.tr("Delete conversation"),
                                     self.tr("Delete the chosen conversation for good"))
        for button in (self.new_button, self.rename_button, self.delete_button):
            button.setMinimumHeight(MIN_TARGET_PX)
        row.addWidget(self.rename_button)
        row.addWidget(self.delete_button)
        layout.addLayout(row)
        return sidebar

    def _connect(self) -> None:
        ctrl = self.controller
        ctrl.status.connect(self._on_status)
        ctrl.ready.connect(self._on_ready)
        ctrl.load_failed.connect(self._on_load_failed)
        ctrl.token.connect(self.buffer.push)
        ctrl.finished.connect(self._on_finished)
        ctrl.failed.connect(self._on_failed)
        self.buffer.flushed.connect(self._append_plain)
        self.send_button.clicked.connect(self.send)
        self.stop_button.clicked.connect(self.stop)
        self.new_button.clicked.connect(self.new_conversation)
        self.rename_button.clicked.connect(self.rename_conversation)
        self.delete_button.clicked.connect(self.delete_conversation)
        self.conversation_list.currentItemChanged.connect(self._on_conversation_chosen)

    # --- lifecycle ----------------------------------------------------------
    def start(self) -> None:
        """Load the model in the background; the window is usable meanwhile."""
        self.controller.start()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.controller.shutdown()
        self.store.close()
        super().closeEvent(event)

    # --- actions -------------------------------------------------------------
    def send(self) -> None:
        if self._busy:
            return
        try:
            question = clean_question(self.input.toPlainText())
        except QuestionError as exc:
            self._show_notice(str(exc))
            return
        s = self.settings
        if not self._model_ready and answer_by_rules(question, s.language, s.country) is None:
            # Only the safety rules can answer without the model.
            self._show_notice(self.tr(
                "The model is not ready, so CareChat cannot answer this yet. If you "
                "think you may have an emergency, call your local emergency number now."
            ))
            return
        self._show_notice("")
        if self.conversation_id is None and not self._start_conversation():
            return
        self.input.clear()
        self._append_speaker(self.tr("You"), "#1f4e79")
        self._append_plain(question)
        self._append_speaker(self.tr("CareChat"), "#2e6b30")
        if self._model_ready:
            self._set_busy(True)
            self.controller.ask(question, self.conversation_id)
        else:
            # The rules need no model: an emergency is answered (and saved) at once,
            # even while the model loads or after it failed to load.
            log = TurnLog(self.store, self.conversation_id)
            self._on_finished(answer_by_rules(question, s.language, s.country,
                                              on_token=self._append_plain, log=log))

    def stop(self) -> None:
        if self._busy:
            self.controller.stop()
            self.status_label.setText(self.tr("Stopping…"))

    def new_conversation(self) -> None:
        if self._busy:
            return
        self.conversation_id = None
        self.banner.hide()
        self.conversation_list.setCurrentItem(None)
        self.conversation_list.clearSelection()
        self.transcript.clear()
        self.input.setFocus()

    def rename_conversation(self) -> None:
        if self.conversation_id is None or self._busy:
            return
        current = self.store.conversation(self.conversation_id).title
        title = self.ask_text(self.tr("Rename conversation"), self.tr("New name:"), current)
        if title is None or not title.strip():
            return
        self._guard(lambda: self.store.rename_conversation(self.conversation_id, title))
        self._refresh_conversations()

    def delete_conversation(self) -> None:
        if self.conversation_id is None or self._busy:
            return
        title = self.store.conversation(self.conversation_id).title or self.tr("New conversation")
        question = self.tr("Delete the conversation \"{title}\"? This cannot be undone.")
        if not self.confirm(self.tr("Delete conversation"), question.format(title=title)):
            return
        if self._guard(lambda: self.store.delete_conversation(self.conversation_id)):
            self.new_conversation()
            self._refresh_conversations()

    # --- dialogs (tests replace these two) -------------------------------------------
    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self, title, text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def ask_text(self, title: str, label: str, text: str) -> str | None:
        value, ok = QInputDialog.getText(self, title, label, QLineEdit.EchoMode.Normal, text)
        return value if ok else None

    # --- conversations ------------------------------------------------------------------
    def _start_conversation(self) -> bool:
        try:
            self.conversation_id = self.store.create_conversation(self.profile.id).id
        except StorageError as exc:
            self._show_notice(str(exc))
            return False
        return True

    def _guard(self, action) -> bool:
        """Run a storage action; a failure is shown, never raised into Qt."""
        try:
            action()
        except StorageError as exc:
            self._show_notice(str(exc))
            return False
        return True

    def _refresh_conversations(self) -> None:
        try:
            conversations = self.store.conversations(self.profile.id)
        except StorageError as exc:
            self._show_notice(str(exc))
            return
        self.conversation_list.blockSignals(True)
        self.conversation_list.clear()
        for conversation in conversations:
            item = QListWidgetItem(conversation.title or self.tr("New conversation"))
            item.setData(Qt.ItemDataRole.UserRole, conversation.id)
            item.setToolTip(conversation.title)
            self.conversation_list.addItem(item)
            if conversation.id == self.conversation_id:
                self.conversation_list.setCurrentItem(item)
        self.conversation_list.blockSignals(False)
        self._update_conversation_buttons()

    def _on_conversation_chosen(self, item: QListWidgetItem | None, _previous=None) -> None:
        if item is None or self._busy:
            return
        self.open_conversation(item.data(Qt.ItemDataRole.UserRole))

    def open_conversation(self, conversation_id: int) -> None:
        try:
            messages = self.store.messages(conversation_id)
        except StorageError as exc:
            self._show_notice(str(exc))
            return
        self.conversation_id = conversation_id
        self.transcript.clear()
        for message in messages:
            self._render_message(message)
        self._update_conversation_buttons()

    def _render_message(self, message: Message) -> None:
        if message.role == "user":
            self._append_speaker(self.tr("You"), "#1f4e79")
        else:
            self._append_speaker(self.tr("CareChat"), "#2e6b30")
        self._append_plain(message.content)
        note = STATUS_NOTES.get(message.status)
        if note:
            color = "#a4000f" if message.status in ("interrupted", "error") else "#5a5a5a"
            self._append_meta(self.tr(note), color=color)

    def _update_conversation_buttons(self) -> None:
        chosen = self.conversation_id is not None and not self._busy
        self.rename_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    # --- worker signals ---------------------------------------------------------
    def _on_status(self, message: str) -> None:
        self.status_label.setText(message)

    def _on_ready(self, info) -> None:
        self._model_ready = True
        self.progress.hide()
        self.status_label.setText(
            self.tr("Ready: {name} on {device}").format(name=info.name, device=info.device)
        )
        if info.notice:
            self._show_notice(info.notice)
        self._set_busy(False)

    def _on_load_failed(self, message: str) -> None:
        self.progress.hide()
        self.status_label.setText(self.tr("The model could not start."))
        self._show_notice(message)
        self.stop_button.setEnabled(False)

    def _on_finished(self, result: TurnResult) -> None:
        self.buffer.flush()
        if result.emergency:
            self.banner.show_emergency(result.emergency_title, result.answer, result.numbers,
                                       self.settings.language)
        if result.stopped:
            self._append_meta(self.tr(STATUS_NOTES["cancelled"]))
        if result.storage_error:
            self._show_notice(result.storage_error)
        if not result.emergency:
            self._append_meta(
                self.tr("{model} · {tokens} tokens · {speed:.1f} tokens/s").format(
                    model=result.model, tokens=result.tokens, speed=result.tokens_per_s
                )
            )
        self._set_busy(False)
        self._refresh_conversations()
        if self._model_ready:
            self.status_label.setText(self.tr("Ready"))

    def _on_failed(self, message: str) -> None:
        self.buffer.flush()
        self._append_meta(message, color="#a4000f")
        self._set_busy(False)
        self._refresh_conversations()
        self.status_label.setText(self.tr("Ready"))

    # --- state --------------------------------------------------------------------
    def _set_state_loading(self) -> None:
        # Send stays on: the safety rules answer an emergency without the model.
        self.stop_button.setEnabled(False)
        self.progress.show()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.send_button.setEnabled(not busy)
        self.stop_button.setEnabled(busy)
        self.new_button.setEnabled(not busy)
        self.conversation_list.setEnabled(not busy)
        self._update_conversation_buttons()
        if busy:
            self.status_label.setText(self.tr("Writing the answer… (Esc stops it)"))

    def _show_notice(self, message: str) -> None:
        self.notice.setText(message)
        self.notice.setVisible(bool(message))

    # --- transcript ------------------------------------------------------------------
    def _cursor_at_end(self) -> QTextCursor:
        cursor = self.transcript.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        return cursor

    def _append_speaker(self, name: str, color: str) -> None:
        fmt = QTextCharFormat()
        fmt.setFontWeight(QFont.Weight.Bold)
        fmt.setForeground(QColor(color))
        cursor = self._cursor_at_end()
        if not self.transcript.document().isEmpty():
            cursor.insertBlock()
            cursor.insertBlock()
        cursor.insertText(name, fmt)
        cursor.insertBlock()

    def _append_plain(self, text: str) -> None:
        self._cursor_at_end().insertText(text, QTextCharFormat())
        self._scroll_to_end()

    def _append_meta(self, text: str, color: str = "#5a5a5a") -> None:
        fmt = QTextCharFormat()
        fmt.setForeground(QColor(color))
        fmt.setFontItalic(True)
        cursor = self._cursor_at_end()
        cursor.insertBlock()
        cursor.insertText(text, fmt)
        self._scroll_to_end()

    def _scroll_to_end(self) -> None:
        bar = self.transcript.verticalScrollBar()
        bar.setValue(bar.maximum())
