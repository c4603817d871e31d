"""The chat window: sidebar, the conversation as a list of messages, the composer.

The window never waits on the model: the worker thread streams tokens, a
``TokenBuffer`` merges them into one repaint about every 30 ms, and the message
model edits one row in place.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QCloseEvent,
    QFont,
    QGuiApplication,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..config import Settings
from ..session import OpenedStore, current_profile, open_app_store, open_library
from ..storage import StorageError, Store
from . import i18n
from .ask_panel import MIN_TARGET_PX as MIN_TARGET_PX  # the window's smallest target
from .ask_panel import AskPanel
from .emergency_banner import EmergencyBanner
from .handout import HandoutError, HandoutItem, items_from_messages, write_pdf
from .i18n import Retranslates
from .screener_dialog import LevelDialog, ScreenerDialog
from .settings_dialog import Preferences, SettingsDialog
from .sidebar import NEW_PROFILE, Sidebar
from .theme import palette_for, resolve_theme, style_sheet
from .topics_browser import TopicsBrowser
from .transcript_view import TranscriptView
from .turn_controller import TurnController
from .window_state import WindowState

BASE_POINT_SIZE = 12.0
TEXT_SCALES = (1.0, 1.1, 1.25, 1.5, 1.75, 2.0)  # 100-200%, kept per profile
PREFERENCES_KEY = "preferences"
SCREENER_KEY = "screener_done"  # per profile: asked once, at first start
SIDEBAR_PX = 290  # at 100% text; it grows with the text size


def _shared(name: str) -> property:
    """A window attribute that is the ``WindowState`` field of the same name."""
    return property(lambda self: getattr(self.state, name),
                    lambda self, value: setattr(self.state, name, value),
                    doc=f"``state.{name}`` (see WindowState).")


class MainWindow(Retranslates, QMainWindow):
    announced = Signal(str)  # what screen readers were told (tests listen here)
    EXTERNAL_LINKS = True  # a kiosk never opens a web browser

    store = _shared("store")
    profile = _shared("profile")
    language = _shared("language")
    settings = _shared("settings")
    preferences = _shared("preferences")
    conversation_id = _shared("conversation_id")
    controller = property(lambda self: self.turns.controller, doc="``turns.controller``.")
    turn = property(lambda self: self.turns.turn, doc="``turns.turn``.")
    teach_back = property(lambda self: self.turns.teach_back, doc="``turns.teach_back``.")

    def __init__(
        self,
        settings: Settings,
        opened: OpenedStore | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        opened = opened or open_app_store(settings)
        store = opened.store  # the UI thread's own connection
        profile = current_profile(store, settings.language)
        preferences = self._load_preferences(store, settings)
        self.state = WindowState(
            store, profile,
            language=settings.language if "language" in settings.explicit else profile.language,
            settings=replace(settings, model=preferences.model, device=preferences.device),
            preferences=preferences)
        self.resize(1080, 760)

        self.theme = resolve_theme(self.preferences.theme, self.profile.high_contrast)
        i18n.install_language(self.language)  # before building: widgets read their texts once
        self._build()
        self.turns = TurnController(self.state, self.transcript, self.ask, self)
        self._connect_turns()
        self.retranslate()
        self.apply_look()
        self._on_model_changed()
        self._refresh_profiles()
        self._refresh_conversations()
        self._show_notice(" ".join(opened.notices))
        hints = QGuiApplication.styleHints()
        if hints is not None:
            hints.colorSchemeChanged.connect(lambda _scheme: self.apply_look())

    # --- layout -----------------------------------------------------------------
    def _build(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(20, 14, 20, 10)
        layout.setSpacing(10)

        self.title = QLabel(central)
        self.subtitle = QLabel(central)
        self.subtitle.setObjectName("muted")
        self.subtitle.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)

        self.disclaimer = QLabel(central)
        self.disclaimer.setObjectName("caution")
        self.disclaimer.setWordWrap(True)
        layout.addWidget(self.disclaimer)

        self.banner = EmergencyBanner(parent=central)
        layout.addWidget(self.banner)

        # Two pages: the conversation, and the library to read without the model.
        self.tabs = QTabWidget(central)
        self.tabs.setDocumentMode(True)
        chat = QWidget(self.tabs)
        chat_layout = QVBoxLayout(chat)
        chat_layout.setContentsMargins(0, 8, 0, 0)
        self.topics_page = QWidget(self.tabs)
        QVBoxLayout(self.topics_page).setContentsMargins(0, 0, 0, 0)
        self.topics: TopicsBrowser | None = None  # built on first use
        self.library = None  # knowledge.LibraryIndex, from the worker (or on first use)
        self.tabs.addTab(chat, "")
        self.tabs.addTab(self.topics_page, "")
        self.tabs.currentChanged.connect(self._on_tab_changed)
        layout.addWidget(self.tabs, stretch=1)

        self.transcript = TranscriptView(self.theme, chat)
        self.messages = self.transcript.messages
        self.delegate = self.transcript.delegate
        self.delegate.source_clicked.connect(self.open_topic)
        chat_layout.addWidget(self.transcript, stretch=1)

        self.notice = QLabel(central)
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        layout.addWidget(self.notice)

        self.ask = ask = AskPanel(chat)
        chat_layout.addWidget(ask)
        self.composer, self.counter, self.send_button = ask.composer, ask.counter, ask.send_button
        self.simpler_button, self.check_button = ask.simpler_button, ask.check_button
        self.regenerate_button, self.copy_button = ask.regenerate_button, ask.copy_button
        self.handout_button = ask.handout_button
        ask.notice.connect(self._show_notice)

        self.sidebar = Sidebar(self)
        self.sidebar.setMinimumWidth(250)
        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.sidebar)
        splitter.addWidget(central)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([290, 790])
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)

        self.status_label = QLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # busy indicator: loading has no known length
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.statusBar().addWidget(self.status_label, stretch=1)
        self.statusBar().addPermanentWidget(self.progress)

        self.copy_button.clicked.connect(self.copy_answer)
        self.handout_button.clicked.connect(self.save_handout)
        s = self.sidebar
        s.new_button.clicked.connect(self.new_conversation)
        s.rename_button.clicked.connect(self.rename_conversation)
        s.delete_button.clicked.connect(self.delete_conversation)
        s.settings_button.clicked.connect(self.open_settings)
        s.level_menu.triggered.connect(self._on_level_menu)
        s.conversation_chosen.connect(self.open_conversation)
        s.search_changed.connect(lambda _query: self._refresh_conversations())
        s.profile_chosen.connect(self._on_profile_chosen)

        for keys, slot in (
            ((QKeySequence(Qt.Key.Key_Escape),), self.stop),
            ((QKeySequence.StandardKey.Find,), self.focus_search),
            ((QKeySequence("Ctrl+N"),), self.new_conversation),
            ((QKeySequence("Ctrl+="), QKeySequence.StandardKey.ZoomIn), self.larger_text),
            ((QKeySequence.StandardKey.ZoomOut,), self.smaller_text),
            ((QKeySequence("Ctrl+0"),), self.reset_text),
            ((QKeySequence("Ctrl+,"),), self.open_settings),
        ):
            for key in keys:
                QShortcut(key, self, activated=slot)

        # Tab goes where the eye goes: write, act, read, then the sidebar.
        order = [self.composer, self.send_button, self.simpler_button, self.check_button,
                 self.regenerate_button, self.copy_button, self.handout_button,
                 self.transcript, s.profiles, s.search, s.new_button, s.conversations,
                 s.rename_button, s.delete_button, s.settings_button]
        for first, second in zip(order, order[1:], strict=False):
            self.setTabOrder(first, second)
        self.composer.setFocus()

    def _connect_turns(self) -> None:
        turns = self.turns
        self.composer.submitted.connect(self.send)
        self.send_button.clicked.connect(self.send_or_stop)
        self.regenerate_button.clicked.connect(turns.regenerate)
        self.simpler_button.clicked.connect(turns.explain_simpler)
        self.check_button.clicked.connect(turns.check_understanding)
        turns.notice.connect(self._show_notice)
        turns.busy_changed.connect(lambda _busy: self.show_state())
        turns.model_changed.connect(self._on_model_changed)
        turns.status.connect(self.status_label.setText)
        turns.emergency.connect(lambda title, message, numbers: self.banner.show_emergency(
            title, message, numbers, self.language))
        turns.turn_ended.connect(self._refresh_conversations)
        turns.announce.connect(self.announce)
        turns.library_ready.connect(self._on_library_ready)

    def retranslate(self) -> None:
        """Every visible word, in the current language; runs again on LanguageChange."""
        self.setWindowTitle(self.tr("CareChat"))
        self.title.setText(self.tr("CareChat"))
        self.subtitle.setText(self.tr(
            "Health information in plain words. It runs on this computer: nothing you "
            "type leaves it."))
        self.disclaimer.setText(self.tr(
            "CareChat is not a doctor and cannot help in an emergency. If you think you "
            "may have an emergency, call your local emergency number now."))
        self.disclaimer.setAccessibleName(self.tr("Important notice"))
        self.notice.setAccessibleName(self.tr("Message"))
        self.tabs.setTabText(0, self.tr("Chat"))
        self.tabs.setTabToolTip(0, self.tr("Ask questions and read the answers"))
        self.tabs.setTabText(1, self.tr("Health topics"))
        self.tabs.setTabToolTip(1, self.tr("Read the health library, without the model"))
        self.tabs.setAccessibleName(self.tr("Chat or health topics"))
        self.tabs.setToolTip(self.tr("Switch between the chat and the health library (Ctrl+Tab)"))
        self.sidebar.show_level(self.profile.literacy_level)
        self.status_label.setAccessibleName(self.tr("Model status"))
        self.progress.setAccessibleName(self.tr("Loading the model"))
        self.progress.setToolTip(self.tr("The model is loading"))
        self.transcript.retranslate()
        self.ask.retranslate()
        if self.topics is not None:
            self.topics.language = self.language
        self.status_label.setText(self.turns.status_text())

    # --- look: theme and text size -------------------------------------------------
    def apply_look(self) -> None:
        """Theme and text size from the profile and preferences, applied everywhere."""
        self.theme = resolve_theme(self.preferences.theme, self.profile.high_contrast)
        app = QApplication.instance()
        app.setStyle("Fusion")  # the one style that follows our palette on every platform
        app.setPalette(palette_for(self.theme))
        points = BASE_POINT_SIZE * self.profile.font_scale
        # The size goes through the style sheet: once one is set, Qt no longer
        # passes a changed application font on to widgets reliably.
        app.setStyleSheet(style_sheet(self.theme, points) + self.extra_style(points))
        font = QFont(app.font())
        font.setPointSizeF(points)
        app.setFont(font)
        self.title.setStyleSheet(f"font-size: {points * 1.6:.1f}pt; font-weight: bold;")
        self.ask.fit_to(font)
        # At large sizes the tagline would squeeze the conversation; the window title
        # and the notice below still say what CareChat is.
        self.subtitle.setVisible(self.profile.font_scale < 1.5)
        sidebar = round(SIDEBAR_PX * min(self.profile.font_scale, 1.6))
        self.splitter.setSizes([sidebar, max(400, self.width() - sidebar)])
        self.transcript.set_look(self.theme, font)

    def extra_style(self, points: float) -> str:
        """Style rules a kind of window adds to the theme's (the kiosk's widgets)."""
        return ""

    def text_scale(self) -> float:
        return self.profile.font_scale

    def set_text_scale(self, scale: float) -> None:
        scale = min(max(scale, TEXT_SCALES[0]), TEXT_SCALES[-1])
        if self._guard(lambda: self.state.update_profile(font_scale=scale)):
            self.apply_look()

    def larger_text(self) -> None:
        bigger = [s for s in TEXT_SCALES if s > self.text_scale() + 1e-6]
        self.set_text_scale(bigger[0] if bigger else TEXT_SCALES[-1])

    def smaller_text(self) -> None:
        smaller = [s for s in TEXT_SCALES if s < self.text_scale() - 1e-6]
        self.set_text_scale(smaller[-1] if smaller else TEXT_SCALES[0])

    def reset_text(self) -> None:
        self.set_text_scale(1.0)

    # --- preferences ---------------------------------------------------------------
    @staticmethod
    def _load_preferences(store: Store, settings: Settings) -> Preferences:
        try:
            saved = store.setting(PREFERENCES_KEY, {}) or {}
        except StorageError:
            saved = {}
        known = {k: v for k, v in saved.items() if k in Preferences.__dataclass_fields__}
        preferences = replace(Preferences(), **known)
        # The command line and environment win for this session.
        for name in ("model", "device"):
            if name in settings.explicit:
                preferences = replace(preferences, **{name: getattr(settings, name)})
        return preferences

    def open_settings(self) -> None:
        if self.turns.turn is not None:
            self._show_notice(self.tr("Please wait for the answer to finish, or stop it."))
            return
        current = replace(self.preferences, language=self.language,
                          theme="high_contrast" if self.profile.high_contrast
                          else self.preferences.theme)
        dialog = SettingsDialog(current, self.settings.data_dir, self.turns.devices, parent=self)
        if self.run_dialog(dialog):
            self.apply_preferences(dialog.preferences())

    def run_dialog(self, dialog: QDialog) -> bool:
        """Show a dialog and wait (tests replace this)."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def apply_preferences(self, chosen: Preferences) -> None:
        old = self.preferences
        high_contrast = chosen.theme == "high_contrast"
        self.preferences = replace(chosen, theme=chosen.theme if not high_contrast
                                   else old.theme)
        stored = {k: getattr(self.preferences, k)
                  for k in ("model", "device", "answer_length", "theme")}
        self._guard(lambda: self.store.set_setting(PREFERENCES_KEY, stored))
        self._guard(lambda: self.state.update_profile(high_contrast=high_contrast,
                                                 language=chosen.language))
        self.apply_look()
        if chosen.language != self.language:
            self.language = chosen.language
            i18n.install_language(self.language)
        if (chosen.model, chosen.device) != (self.settings.model, self.settings.device):
            self.settings = replace(self.settings, model=chosen.model, device=chosen.device)
            self.turns.restart()

    # --- the model's thread -------------------------------------------------------------
    def start(self) -> None:
        """Load the model in the background; the window is usable meanwhile."""
        self.turns.start()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        # Stops any answer within one token; the worker saves it as cancelled.
        self.turns.shutdown()
        self.store.close()
        super().closeEvent(event)

    # --- the health library -----------------------------------------------------------
    def _on_tab_changed(self, page: int) -> None:
        if page == 1:
            self._ensure_topics()

    def _on_library_ready(self, index) -> None:
        # The worker indexes the library once, off this thread; the browser shares it
        # (the index is read-only and locked).
        self.library = index
        if self.topics is not None:
            self.topics.set_index(index)

    def _ensure_topics(self) -> TopicsBrowser | None:
        if self.topics is None:
            try:
                # Only when the patient opens the library before the worker has it.
                index = self.library or open_library(self.settings)
            except (OSError, ValueError) as exc:
                self._show_notice(self.tr("The health library could not be opened: {error}")
                                  .format(error=exc))
                return None
            self.library = index
            self.topics = TopicsBrowser(index, self.language, self.topics_page,
                                        external_links=self.EXTERNAL_LINKS,
                                        level=self.profile.literacy_level)
            self.topics_page.layout().addWidget(self.topics)
        return self.topics

    def open_topic(self, article_id: str = "") -> None:
        """Show the health library, at ``article_id`` when given (an answer's source)."""
        self.tabs.setCurrentIndex(1)
        browser = self._ensure_topics()
        if browser is not None and article_id:
            browser.open_article(article_id)

    # --- reading level ------------------------------------------------------------------
    def _on_level_menu(self, action) -> None:
        if action.data() == "screener":
            self.open_screener()
        else:
            self.choose_level()

    def choose_level(self) -> None:
        dialog = LevelDialog(self.profile.literacy_level, self)
        if self.run_dialog(dialog):
            self.set_level(str(dialog.level()))

    def set_level(self, level: str) -> None:
        if self._guard(lambda: self.state.update_profile(literacy_level=level)):
            self.sidebar.show_level(level)
            if self.topics is not None:
                self.topics.set_level(level)

    def needs_screener(self) -> bool:
        try:
            return not self.store.setting(f"{SCREENER_KEY}:{self.profile.id}", False)
        except StorageError:
            return False

    def open_screener(self) -> None:
        """The short reading questions (optional; skipping them gives basic)."""
        dialog = ScreenerDialog(self.language, parent=self)
        self.run_dialog(dialog)
        # Done, Skip or closed: closing counts as skipping, which gives basic.
        self.apply_screener(dialog.result())

    def apply_screener(self, result) -> None:
        prefs = result.preferences
        self._guard(lambda: self.store.set_setting(f"{SCREENER_KEY}:{self.profile.id}", True))
        self.set_level(str(result.level))
        if self._guard(lambda: self.state.update_profile(font_scale=prefs.font_scale)):
            self.apply_look()
        if prefs.language != self.language:
            self.apply_preferences(replace(self.preferences, language=prefs.language))

    # --- asking -----------------------------------------------------------------------
    def send_or_stop(self) -> None:
        if self.turns.turn is not None:
            self.stop()
        else:
            self.send()

    def send(self) -> None:
        """Ask the composer's question (see TurnController.send)."""
        self.turns.send()

    def stop(self) -> None:
        self.turns.stop()

    def copy_answer(self) -> None:
        text = self.transcript.chosen_answer()
        if not text:
            self._show_notice(self.tr("There is no answer to copy yet."))
            return
        QGuiApplication.clipboard().setText(text)
        self.status_label.setText(self.tr("Answer copied."))

    # --- handout ---------------------------------------------------------------------------
    def handout_items(self) -> list[HandoutItem]:
        """The current conversation's finished answers, for the handout."""
        if self.conversation_id is None:
            return []
        try:
            return items_from_messages(self.store.messages(self.conversation_id))
        except StorageError as exc:
            self._show_notice(str(exc))
            return []

    def handout_options(self) -> dict:
        return {"level": self.profile.literacy_level, "language": self.language}

    def save_handout(self) -> None:
        """Save this conversation's answers and sources as a PDF the patient can keep."""
        items = self.handout_items()
        if not items:
            self._show_notice(self.tr("There is no finished answer to put in a handout yet."))
            return
        path = self.ask_save_path(self.tr("Save the handout"),
                                  self.tr("CareChat handout.pdf"), self.tr("PDF (*.pdf)"))
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            write_pdf(items, path, **self.handout_options())
        except HandoutError as exc:
            self._show_notice(str(exc))
            return
        self._show_notice(self.tr("The handout was saved to {path}.").format(path=path))

    def announce(self, text: str) -> None:
        """Tell screen readers, not only the pixels (Qt 6.8's announcement event)."""
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self.transcript, text))
        self.announced.emit(text)

    # --- conversations -------------------------------------------------------------------
    def new_conversation(self) -> None:
        self.conversation_id = None
        self.turns.forget_teach_back()
        self.banner.hide()
        self.sidebar.select(None)
        self.messages.set_items([])
        self._update_buttons()
        self.composer.setFocus()

    def open_conversation(self, conversation_id: int, message_id: int = 0) -> None:
        try:
            messages = self.store.messages(conversation_id)
        except StorageError as exc:
            self._show_notice(str(exc))
            return
        if conversation_id != self.conversation_id:
            self.turns.forget_teach_back()
        self.conversation_id = conversation_id
        self.transcript.show_items(self.turns.items_for(conversation_id, messages), message_id)
        self.sidebar.select(conversation_id)
        self._update_buttons()

    def rename_conversation(self) -> None:
        if self.conversation_id is None:
            return
        current = self._conversation_title()
        if current is None:
            return
        title = self.ask_text(self.tr("Rename conversation"), self.tr("New name:"), current)
        if title is None or not title.strip():
            return
        self._guard(lambda: self.store.rename_conversation(self.conversation_id, title))
        self._refresh_conversations()

    def delete_conversation(self) -> None:
        if self.conversation_id is None or self.turns.displayed():
            return
        title = self._conversation_title()
        if title is None:
            return
        title = title or self.tr("New conversation")
        question = self.tr("Delete the conversation “{title}”? This cannot be undone.")
        if not self.confirm(self.tr("Delete conversation"), question.format(title=title)):
            return
        if self._guard(lambda: self.store.delete_conversation(self.conversation_id)):
            self.new_conversation()
            self._refresh_conversations()

    def _conversation_title(self) -> str | None:
        """The shown conversation's title; None, with a notice, when it cannot be read."""
        try:
            return self.store.conversation(self.conversation_id).title
        except StorageError as exc:
            self._show_notice(str(exc))
            return None

    def focus_search(self) -> None:
        self.sidebar.search.setFocus()
        self.sidebar.search.selectAll()

    # --- dialogs (tests replace these) ----------------------------------------------------
    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self, title, text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def ask_save_path(self, title: str, name: str, kinds: str) -> str:
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        path, _kind = QFileDialog.getSaveFileName(self, title, f"{folder}/{name}", kinds)
        return path

    def ask_text(self, title: str, label: str, text: str) -> str | None:
        value, ok = QInputDialog.getText(self, title, label, QLineEdit.EchoMode.Normal, text)
        return value if ok else None

    # --- profiles ----------------------------------------------------------------------------
    def _refresh_profiles(self) -> None:
        try:
            profiles = self.store.profiles()
        except StorageError as exc:
            self._show_notice(str(exc))
            return
        self.sidebar.set_profiles([(p.id, p.name) for p in profiles], self.profile.id)

    def _on_profile_chosen(self, profile_id: int) -> None:
        if self.turns.turn is not None:
            self._show_notice(self.tr("Please wait for the answer to finish, or stop it."))
            self._refresh_profiles()
            return
        if profile_id == NEW_PROFILE:
            name = self.ask_text(self.tr("Add a profile"), self.tr("Name:"), "")
            if not name or not name.strip():
                self._refresh_profiles()
                return
            try:
                profile = self.store.create_profile(name, language=self.language)
            except StorageError as exc:
                self._show_notice(str(exc))
                self._refresh_profiles()
                return
            profile_id = profile.id
        self.switch_profile(profile_id)

    def switch_profile(self, profile_id: int) -> None:
        try:
            self.profile = self.store.profile(profile_id)
            self.store.set_setting("current_profile", profile_id)
        except StorageError as exc:
            self._show_notice(str(exc))
            return
        self._refresh_profiles()
        self.new_conversation()
        self._refresh_conversations()
        self.apply_look()
        if self.profile.language != self.language:
            self.language = self.profile.language
            i18n.install_language(self.language)

    # --- helpers ------------------------------------------------------------------------------
    def _guard(self, action) -> bool:
        """Run a storage action; a failure is shown, never raised into Qt."""
        try:
            action()
        except StorageError as exc:
            self._show_notice(str(exc))
            return False
        return True

    def _refresh_conversations(self) -> None:
        query = self.sidebar.query()
        untitled = self.tr("New conversation")
        try:
            if query:
                hits = self.store.search(self.profile.id, query, mark=("", ""))
                self.sidebar.show_hits(hits, self.conversation_id, untitled)
            else:
                conversations = self.store.conversations(self.profile.id)
                self.sidebar.show_conversations(conversations, self.conversation_id, untitled)
        except StorageError as exc:
            self._show_notice(str(exc))
        self._update_buttons()

    # --- state ----------------------------------------------------------------------------
    def show_state(self) -> None:
        """Send or Stop, which buttons work, and the status line, as things now are."""
        self.ask.show_busy(self.turns.turn is not None)
        self._update_buttons()
        self.status_label.setText(self.turns.status_text())

    def _on_model_changed(self) -> None:
        # Send stays on while loading: the safety rules answer an emergency without it.
        self.progress.setVisible(not (self.turns.model_ready or self.turns.load_error))
        self.show_state()

    def _update_buttons(self) -> None:
        idle = self.turns.turn is None
        chosen = self.conversation_id is not None
        self.sidebar.rename_button.setEnabled(chosen)
        self.sidebar.delete_button.setEnabled(chosen and not self.turns.displayed())
        self.sidebar.settings_button.setEnabled(idle)
        self.sidebar.profiles.setEnabled(idle)
        self.ask.enable(idle=idle, ready=self.turns.model_ready,
                        asked=self.transcript.last_question() is not None,
                        answered=self.transcript.last_answer() is not None,
                        copyable=self.transcript.has_answer())

    def _show_notice(self, message: str) -> None:
        self.notice.setText(message)
        self.notice.setVisible(bool(message))
