"""The chat window: transcript, composer, Send/Stop and the model's status."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
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
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..assistant import QuestionError, Turn, TurnResult, clean_question
from ..config import Settings
from ..worker import ChatController
from .token_buffer import TokenBuffer

MIN_TARGET_PX = 44  # smallest comfortable touch/click target
BASE_POINT_SIZE = 12.0


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
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.history: list[Turn] = []
        self._busy = False
        self._model_ready = False
        self.setWindowTitle(self.tr("CareChat"))
        self.resize(920, 720)
        # Patients read long answers here: start a little above the desktop's
        # usual 9-10 pt (per-profile text size comes with the profiles).
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), BASE_POINT_SIZE))
        self.setFont(font)

        self.controller = ChatController(settings, self)
        self.buffer = TokenBuffer(parent=self)
        self._build()
        self._connect()
        self._set_state_loading()

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

        self.send_button = QPushButton(self.tr("Send"), central)
        self.send_button.setAccessibleName(self.tr("Send question"))
        self.send_button.setToolTip(self.tr("Send your question (Enter)"))
        self.stop_button = QPushButton(self.tr("Stop"), central)
        self.stop_button.setAccessibleName(self.tr("Stop the answer"))
        self.stop_button.setToolTip(self.tr("Stop the answer now (Esc)"))
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

        self.setCentralWidget(central)

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

    # --- lifecycle ----------------------------------------------------------
    def start(self) -> None:
        """Load the model in the background; the window is usable meanwhile."""
        self.controller.start()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.controller.shutdown()
        super().closeEvent(event)

    # --- actions -------------------------------------------------------------
    def send(self) -> None:
        if self._busy or not self._model_ready:
            return
        try:
            question = clean_question(self.input.toPlainText())
        except QuestionError as exc:
            self._show_notice(str(exc))
            return
        self._show_notice("")
        self.input.clear()
        self._append_speaker(self.tr("You"), "#1f4e79")
        self._append_plain(question)
        self._append_speaker(self.tr("CareChat"), "#2e6b30")
        self._set_busy(True)
        self.controller.ask(question, self.history)

    def stop(self) -> None:
        if self._busy:
            self.controller.stop()
            self.status_label.setText(self.tr("Stopping…"))

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
        self.send_button.setEnabled(False)
        self.stop_button.setEnabled(False)

    def _on_finished(self, result: TurnResult) -> None:
        self.buffer.flush()
        if result.stopped:
            self._append_meta(self.tr("(Stopped)"))
        else:
            self.history += [Turn("user", result.question), Turn("assistant", result.answer)]
        self._append_meta(
            self.tr("{model} · {tokens} tokens · {speed:.1f} tokens/s").format(
                model=result.model, tokens=result.tokens, speed=result.tokens_per_s
            )
        )
        self._set_busy(False)
        self.status_label.setText(self.tr("Ready"))

    def _on_failed(self, message: str) -> None:
        self.buffer.flush()
        self._append_meta(message, color="#a4000f")
        self._set_busy(False)
        self.status_label.setText(self.tr("Ready"))

    # --- state --------------------------------------------------------------------
    def _set_state_loading(self) -> None:
        self.send_button.setEnabled(False)
        self.stop_button.setEnabled(False)
        self.progress.show()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.send_button.setEnabled(not busy and self._model_ready)
        self.stop_button.setEnabled(busy)
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
