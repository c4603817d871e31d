"""The chat window: its parts, laid out and wired together in one place.

One turn, end to end:

1. The patient presses Enter in ``AskPanel.composer`` (or Send): ``MainWindow.send``
   hands over to ``TurnController.send``, which checks the question, shows it with
   an empty answer in the ``TranscriptView`` and asks the ``ChatController``.
2. The model's thread (``chatapp/worker.py``) streams tokens; a ``TokenBuffer``
   merges them into one repaint about every 30 ms, and the message model edits
   one row in place. The window never waits on the model.
3. The worker's ``TurnResult`` ends the turn (``TurnController._on_finished``):
   the answer is kept, and the controller's signals tell the window to show the
   banner, the buttons and the sidebar as they now are (``_connect_signals``).

Each part has its own module and one job; ``WindowState`` is what they share.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QCloseEvent,
    QGuiApplication,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QProgressBar,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..config import Settings
from ..model_advice import first_start_advice, mark_advised
from ..server_settings import ServerSettingsError, save_key
from ..session import OpenedStore, current_profile, open_app_store
from . import i18n
from .a11y import MIN_TARGET_PX as MIN_TARGET_PX  # the window's smallest target
from .ask_panel import AskPanel
from .conversations import ConversationList
from .dialogs import DialogSeams
from .emergency_banner import EmergencyBanner
from .handouts import Handouts
from .i18n import Retranslates
from .library_tab import LibraryTab
from .look import Look, load_preferences, with_server
from .profile_lock import LockedPanel, ProfileLock
from .question_buttons import suggested
from .read_aloud import ReadAloud
from .reading_level import ReadingLevel
from .settings_dialog import Preferences, SettingsDialog
from .sidebar import Sidebar
from .transcript_view import TranscriptView
from .turn_controller import TurnController
from .window_state import WindowState

SIDEBAR_PX = 290  # at 100% text; it grows with the text size


def _shared(name: str) -> property:
    """A window attribute that is the ``WindowState`` field of the same name."""
    return property(lambda self: getattr(self.state, name),
                    lambda self, value: setattr(self.state, name, value),
                    doc=f"``state.{name}`` (see WindowState).")


class MainWindow(Retranslates, DialogSeams, QMainWindow):
    """The desktop chat window; ``KioskWindow`` is the same window for a waiting room.

    Parts: ``state`` (WindowState), ``transcript`` (TranscriptView), ``ask``
    (AskPanel), ``turns`` (TurnController), ``conversations`` (ConversationList),
    ``look`` (Look), ``reading_level`` (ReadingLevel), ``library_tab`` (LibraryTab),
    ``handouts`` (Handouts), ``sidebar`` (Sidebar), ``banner`` (EmergencyBanner).
    Widgets: ``column`` (right of the sidebar: title, notices, tabs), ``title``,
    ``subtitle``, ``disclaimer``, ``notice``, ``tabs``, ``splitter``,
    ``status_label``, ``progress``. Short names for the parts' own: ``messages``,
    ``delegate``; ``composer``, ``counter`` and the ``*_button``s; ``store``,
    ``profile``, ``language``, ``settings``, ``preferences``, ``conversation_id``;
    ``controller``, ``turn``, ``teach_back``; ``theme``; ``library`` and ``topics``
    (the library's index and browser).

    Signals:
        announced(str): what screen readers were told.

    Hooks, the public methods a kind of window may override (calling the base
    unless it replaces what it does); nothing else is meant to be overridden:
        EXTERNAL_LINKS: class attribute; False: links never open a web browser.
        extend_ui(): add or rearrange widgets, once, after the window is built and
            wired and before its first ``retranslate`` and ``apply_look``.
        retranslate(): set every visible word again (also on LanguageChange).
        apply_look(): fit the widgets to the theme and text size.
        extra_style(points): style rules added to the theme's.
        send(): ask the composer's question (Enter, Send).
        open_settings(): the settings dialog (Ctrl+, and the sidebar's button).
        save_handout(): the handout button.
        focus_search(): Ctrl+F.
        run_dialog(dialog), confirm(title, text), ask_text(title, label, text),
        ask_save_path(title, name, kinds): every dialog goes through these
            (``DialogSeams``; tests replace them).
    """

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
    theme = property(lambda self: self.look.theme, doc="``look.theme``.")
    library = property(lambda self: self.library_tab.index, doc="``library_tab.index``.")
    topics = property(lambda self: self.library_tab.browser, doc="``library_tab.browser``.")

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
        preferences = load_preferences(store, settings)
        self.state = WindowState(
            store, profile,
            language=settings.language if "language" in settings.explicit else profile.language,
            settings=with_server(replace(settings, model=preferences.model,
                                         device=preferences.device), preferences),
            preferences=preferences)
        self.resize(1080, 760)
        self.look = Look(self.state, self)
        i18n.install_language(self.language)  # before building: widgets read their texts once
        self.read_aloud = ReadAloud(self)
        self._build()
        self.turns = TurnController(self.state, self.transcript, self.ask, self)
        self.conversations = ConversationList(self.state, self.sidebar, self.transcript,
                                              self.turns, self, self)
        self.reading_level = ReadingLevel(self.state, self.look, self, self)
        self.handouts = Handouts(self.state, self, self)
        self.profile_lock = ProfileLock(self.state, self.turns, self, self)
        self._connect_signals()
        self.extend_ui()
        self.retranslate()
        self.apply_look()
        self._on_model_changed()
        self.conversations.refresh_profiles()
        self.conversations.refresh()
        self._show_lock_state()
        advice = self._model_advice()
        if opened.notices:
            self.show_notice(" ".join([*opened.notices, advice]).strip())
        else:
            self.show_notice(advice, tone="info")

    # --- layout -----------------------------------------------------------------------
    def _build(self) -> None:
        self.column = column = QWidget(self)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(20, 14, 20, 10)
        layout.setSpacing(10)

        self.title = QLabel(column)
        self.subtitle = QLabel(column)
        self.subtitle.setObjectName("muted")
        self.subtitle.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)

        self.disclaimer = QLabel(column)
        self.disclaimer.setObjectName("caution")
        self.disclaimer.setWordWrap(True)
        layout.addWidget(self.disclaimer)

        self.banner = EmergencyBanner(parent=column, read_aloud=self.read_aloud)
        layout.addWidget(self.banner)

        # What a locked, protected profile shows instead of its conversations.
        self.locked_panel = LockedPanel(column)
        self.unlock_button = self.locked_panel.unlock_button
        layout.addWidget(self.locked_panel, stretch=1)

        # Two pages: the conversation, and the library to read without the model.
        self.tabs = QTabWidget(column)
        self.tabs.setDocumentMode(True)
        chat = QWidget(self.tabs)
        chat_layout = QVBoxLayout(chat)
        chat_layout.setContentsMargins(0, 8, 0, 0)
        self.library_tab = LibraryTab(self.state, self.EXTERNAL_LINKS, self.tabs)
        self.tabs.addTab(chat, "")
        self.tabs.addTab(self.library_tab, "")
        layout.addWidget(self.tabs, stretch=1)

        self.transcript = TranscriptView(self.look.theme, chat)
        self.messages = self.transcript.messages
        self.delegate = self.transcript.delegate
        chat_layout.addWidget(self.transcript, stretch=1)

        self.notice = QLabel(column)
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        layout.addWidget(self.notice)

        self.ask = ask = AskPanel(self.read_aloud, chat)
        self.transcript.read_along(self.read_aloud, ask.listen_button, lambda: self.language)
        chat_layout.addWidget(ask)
        self.composer, self.counter, self.send_button = ask.composer, ask.counter, ask.send_button
        self.simpler_button, self.check_button = ask.simpler_button, ask.check_button
        self.regenerate_button, self.copy_button = ask.regenerate_button, ask.copy_button
        self.handout_button = ask.handout_button

        self.sidebar = Sidebar(self)
        self.sidebar.setMinimumWidth(250)
        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.sidebar)
        splitter.addWidget(column)
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

        # Tab goes where the eye goes: write, act, read, then the sidebar.
        s = self.sidebar
        order = [self.composer, self.send_button, ask.listen_button, self.simpler_button,
                 self.check_button, self.regenerate_button, self.copy_button,
                 self.handout_button, self.transcript, s.profiles, s.passcode_button,
                 s.search, s.new_button, s.conversations,
                 s.rename_button, s.delete_button, s.settings_button]
        for first, second in zip(order, order[1:], strict=False):
            self.setTabOrder(first, second)
        self.composer.setFocus()

    def _connect_signals(self) -> None:
        """Every connection between the parts, widgets and shortcuts, in one place."""
        ask, turns, chats, look, level = (self.ask, self.turns, self.conversations,
                                          self.look, self.reading_level)
        for part in (ask, turns, chats, look, level, self.library_tab, self.handouts):
            part.notice.connect(self.show_notice)

        # Asking, and what a turn changes.
        ask.composer.submitted.connect(self.send)
        ask.send_button.clicked.connect(self.send_or_stop)
        ask.regenerate_button.clicked.connect(turns.regenerate)
        ask.simpler_button.clicked.connect(turns.explain_simpler)
        ask.check_button.clicked.connect(turns.check_understanding)
        ask.copy_button.clicked.connect(self.copy_answer)
        ask.handout_button.clicked.connect(self.save_handout)
        ask.suggestions.asked.connect(self.ask_question)
        self.library_tab.browser_made.connect(
            lambda browser: browser.question_asked.connect(self.ask_question))
        self.library_tab.browser_made.connect(
            lambda browser: browser.set_read_aloud(self.read_aloud))
        self.read_aloud.unavailable.connect(self.show_notice)
        turns.busy_changed.connect(lambda _busy: self.show_state())
        turns.model_changed.connect(self._on_model_changed)
        turns.status.connect(self.status_label.setText)
        turns.emergency.connect(lambda title, message, numbers: self.banner.show_emergency(
            title, message, numbers, self.language))
        turns.turn_ended.connect(chats.refresh)
        turns.announce.connect(self.announce)
        turns.library_ready.connect(self.library_tab.set_index)
        turns.library_ready.connect(lambda _index: self._update_buttons())  # the questions

        # The sidebar: conversations, profiles, reading level, settings.
        s = self.sidebar
        s.new_button.clicked.connect(chats.new)
        s.rename_button.clicked.connect(chats.rename)
        s.delete_button.clicked.connect(chats.delete)
        s.conversation_chosen.connect(chats.open)
        s.search_changed.connect(lambda _query: chats.refresh())
        s.profile_chosen.connect(chats.choose_profile)
        s.settings_button.clicked.connect(self.open_settings)
        s.level_menu.triggered.connect(level.on_menu)
        chats.changed.connect(self._update_buttons)
        chats.cleared.connect(self._on_cleared)
        chats.profile_switched.connect(self._on_profile_switched)

        # Passcode-protected profiles: open, lock, manage the passcode.
        lock = self.profile_lock
        lock.notice.connect(self.show_notice)
        lock.done.connect(lambda message: self.show_notice(message, tone="info"))
        chats.can_open = lock.unlock
        s.passcode_button.clicked.connect(lock.manage)
        self.unlock_button.clicked.connect(lambda: lock.unlock())
        lock.locked.connect(self._show_lock_state)
        lock.unlocked.connect(self._show_lock_state)
        lock.unlocked.connect(chats.refresh)  # its list, now that it can be read
        lock.protection_changed.connect(self._show_lock_state)

        # Look, preferences, reading level, the library.
        look.changed.connect(self.apply_look)
        look.language_chosen.connect(self.set_language)
        look.model_chosen.connect(turns.restart)
        level.level_changed.connect(self.sidebar.show_level)
        level.level_changed.connect(self.library_tab.set_level)
        self.transcript.delegate.source_clicked.connect(self.open_topic)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        hints = QGuiApplication.styleHints()
        if hints is not None:
            hints.colorSchemeChanged.connect(lambda _scheme: self.apply_look())

        for keys, slot in (
            ((QKeySequence(Qt.Key.Key_Escape),), self.stop),
            ((QKeySequence.StandardKey.Find,), self.focus_search),
            ((QKeySequence("Ctrl+N"),), self.new_conversation),
            ((QKeySequence("Ctrl+="), QKeySequence.StandardKey.ZoomIn), look.larger_text),
            ((QKeySequence.StandardKey.ZoomOut,), look.smaller_text),
            ((QKeySequence("Ctrl+0"),), look.reset_text),
            ((QKeySequence("Ctrl+,"),), self.open_settings),
        ):
            for key in keys:
                QShortcut(key, self, activated=slot)

    def extend_ui(self) -> None:
        """Hook: a kind of window's own widgets, added once the window is built."""

    def retranslate(self) -> None:
        """Hook: every visible word, in the current language; runs again on LanguageChange."""
        self.setWindowTitle(self.tr("CareChat"))
        self.title.setText(self.tr("CareChat"))
        self._show_where_answers_are_written()
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
        self.library_tab.set_language(self.language)
        self.status_label.setText(self.turns.status_text())
        self._show_suggestions()  # the questions to tap, in the new language

    def set_language(self, language: str) -> None:
        """Show everything in ``language`` from now on (Qt then sends LanguageChange)."""
        if language != self.language:
            self.language = language
            i18n.install_language(language)

    # --- look -------------------------------------------------------------------------
    def apply_look(self) -> None:
        """Hook: theme and text size from the profile and preferences, applied everywhere."""
        font = self.look.style_application(self.extra_style)
        scale = self.profile.font_scale
        self.title.setStyleSheet(f"font-size: {font.pointSizeF() * 1.6:.1f}pt; "
                                 "font-weight: bold;")
        self.ask.fit_to(font)
        # At large sizes the tagline would squeeze the conversation; the window title
        # and the notice below still say what CareChat is.
        self.subtitle.setVisible(scale < 1.5)
        sidebar = round(SIDEBAR_PX * min(scale, 1.6))
        self.splitter.setSizes([sidebar, max(400, self.width() - sidebar)])
        self.transcript.set_look(self.look.theme, font)
        self.read_aloud.set_rate(self.preferences.speech_rate)
        self.profile_lock.set_minutes(self.preferences.lock_minutes)

    def extra_style(self, points: float) -> str:
        """Hook: style rules a kind of window adds to the theme's (the kiosk's widgets)."""
        return ""

    def text_scale(self) -> float:
        return self.look.text_scale()

    def set_text_scale(self, scale: float) -> None:
        self.look.set_text_scale(scale)

    def larger_text(self) -> None:
        self.look.larger_text()

    def smaller_text(self) -> None:
        self.look.smaller_text()

    # --- what the window shows ---------------------------------------------------------
    def show_state(self) -> None:
        """Send or Stop, which buttons work, and the status line, as things now are."""
        self.ask.show_busy(self.turns.turn is not None)
        self._update_buttons()
        self.status_label.setText(self.turns.status_text())

    def _on_model_changed(self) -> None:
        # Send stays on while loading: the safety rules answer an emergency without it.
        self.progress.setVisible(not (self.turns.model_ready or self.turns.load_error))
        self._show_where_answers_are_written()
        self.show_state()

    def _show_where_answers_are_written(self) -> None:
        # "Nothing you type leaves it" is true only of the model on this computer.
        if self.settings.server is not None:
            self.subtitle.setText(self.tr(
                "Health information in plain words. Answers are written by your clinic's "
                "server; your conversations are kept on this computer only."))
        else:
            self.subtitle.setText(self.tr(
                "Health information in plain words. It runs on this computer: nothing you "
                "type leaves it."))

    def _show_suggestions(self) -> None:
        kind, questions = suggested(self.library, self.transcript.messages.items(),
                                    self.language)
        if self.turns.turn is not None or not self.turns.model_ready:
            questions = ()  # only what can be answered now
        self.ask.suggestions.show_questions(
            self.tr("Ask more about this:") if kind == "more" else self.tr("You could ask:"),
            questions)

    def _update_buttons(self) -> None:
        self._show_suggestions()
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

    def _on_cleared(self) -> None:
        if self.read_aloud.reading() == "answer":
            self.read_aloud.stop()
        self.banner.hide()
        self.composer.setFocus()

    def _show_lock_state(self) -> None:
        """Show the profile, or (locked) nothing of it: no messages, titles or hits."""
        locked = self.profile_lock.is_locked()
        if locked:
            if self.read_aloud.reading() in ("answer", "emergency"):
                self.read_aloud.stop()
            self.conversations.new()  # the transcript and teach-back question go
            self.banner.hide()
        self.locked_panel.setVisible(locked)
        self.tabs.setVisible(not locked)
        self.sidebar.show_locked(locked, self.profile_lock.is_protected())

    def _on_profile_switched(self) -> None:
        self.apply_look()
        self.set_language(self.profile.language)
        self.profile_lock.profile_changed()
        self._show_lock_state()

    # A waiting room's kiosk is not where a bigger model is chosen.
    suggests_models = True

    def _model_advice(self) -> str:
        """Once per data folder, at a start with the built-in model: a bigger model
        that fits this computer, and where to get it (nothing is downloaded)."""
        if not self.suggests_models:
            return ""
        entry = first_start_advice(self.state.settings)
        if entry is None:
            return ""
        mark_advised(self.state.settings, entry)
        return self.tr(
            "Answers can be much better with a bigger model. This computer can run "
            "{name} (about {size} MB to download). To get it, open Settings, then "
            "Models…"
        ).format(name=entry.name, size=f"{entry.size_mb:,}")

    def show_notice(self, message: str, tone: str = "alert") -> None:
        """A message under the conversation; "" hides it. ``tone`` "info" shows it in
        the text's colour, not the alert colour of a problem."""
        self.notice.setText(message)
        if self.notice.property("tone") != tone:
            self.notice.setProperty("tone", tone)
            self.notice.style().unpolish(self.notice)
            self.notice.style().polish(self.notice)
        self.notice.setVisible(bool(message))

    def announce(self, text: str) -> None:
        """Tell screen readers, not only the pixels (Qt 6.8's announcement event)."""
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self.transcript, text))
        self.announced.emit(text)

    # --- asking -----------------------------------------------------------------------
    def start(self) -> None:
        """Load the model in the background; the window is usable meanwhile."""
        self.turns.start()

    def send(self) -> None:
        """Hook: ask the composer's question (see TurnController.send)."""
        self.turns.send()

    def ask_question(self, question: str) -> None:
        """A tapped question (``QuestionButtons``): asked as if it had been typed."""
        if self.turns.turn is not None:
            return
        self.tabs.setCurrentIndex(0)
        self.composer.setPlainText(question)
        self.send()

    def send_or_stop(self) -> None:
        if self.turns.turn is not None:
            self.stop()
        else:
            self.send()

    def stop(self) -> None:
        self.turns.stop()

    def copy_answer(self) -> None:
        text = self.transcript.chosen_answer()
        if not text:
            self.show_notice(self.tr("There is no answer to copy yet."))
            return
        QGuiApplication.clipboard().setText(text)
        self.profile_lock.copied = text  # cleared again when a protected profile locks
        self.status_label.setText(self.tr("Answer copied."))

    # --- conversations and profiles (ConversationList) ---------------------------------
    def new_conversation(self) -> None:
        self.conversations.new()

    def open_conversation(self, conversation_id: int, message_id: int = 0) -> None:
        self.conversations.open(conversation_id, message_id)

    def switch_profile(self, profile_id: int) -> None:
        self.conversations.switch_profile(profile_id)

    def focus_search(self) -> None:
        """Hook: Ctrl+F goes to the search over past conversations."""
        self.sidebar.search.setFocus()
        self.sidebar.search.selectAll()

    # --- settings ---------------------------------------------------------------------
    def open_settings(self) -> None:
        """Hook: the settings dialog (not while an answer is being written)."""
        if self.turns.turn is not None:
            self.show_notice(self.tr("Please wait for the answer to finish, or stop it."))
            return
        dialog = SettingsDialog(self.look.shown_preferences(), self.settings.data_dir,
                                self.turns.devices, parent=self)
        if self.run_dialog(dialog):
            key = dialog.server_key_change()
            if key is not None:
                try:
                    save_key(self.settings.data_dir, key)
                except (OSError, ServerSettingsError) as exc:
                    self.show_notice(self.tr("The API key could not be saved ({problem}).")
                                     .format(problem=getattr(exc, "strerror", None) or exc))
                    key = None
            self.apply_preferences(dialog.preferences(), key_changed=key is not None)

    def apply_preferences(self, chosen: Preferences, key_changed: bool = False) -> None:
        self.look.apply_preferences(chosen, key_changed)

    # --- the health library ----------------------------------------------------------
    def open_topic(self, article_id: str = "") -> None:
        """Show the health library, at ``article_id`` when given (an answer's source)."""
        self.tabs.setCurrentIndex(1)
        browser = self.library_tab.ensure_browser()
        if browser is not None and article_id:
            browser.open_article(article_id)

    def _on_tab_changed(self, page: int) -> None:
        if self.tabs.widget(page) is self.library_tab:
            self.library_tab.ensure_browser()

    # --- handout -----------------------------------------------------------------------
    def save_handout(self) -> None:
        """Hook: the handout button (a PDF to keep; see Handouts.save)."""
        self.handouts.save()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        # Stops any answer within one token; the worker saves it as cancelled.
        self.turns.shutdown()
        self.read_aloud.stop()
        self.store.close()
        super().closeEvent(event)
