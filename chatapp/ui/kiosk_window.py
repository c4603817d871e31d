"""Kiosk mode for a clinic's waiting room: the chat window, touch-first and private.

A visit starts from the welcome screen (language, topic tiles, "Ask a question")
and ends with "I'm done" or when nobody has touched the screen for a while. Each
visit is a guest store in memory only; ending it swaps in a fresh one for the
window and the model's thread alike, so nothing the visitor typed is ever written
to disk, and the next visitor starts from nothing. Leaving the kiosk or opening
settings needs the administrator PIN.

What the operating system must still lock down (Alt+Tab, the Windows key, a
task manager) is the clinic's kiosk or assigned-access setting; see the README.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..admin_pin import PinGate
from ..config import Settings
from ..kiosk_config import KioskConfig
from ..session import OpenedStore, current_profile
from ..storage import StorageError, StoreLocation, open_store
from . import idle_guard, onscreen_keyboard
from .a11y import describe
from .clipboard import clear_ours
from .handout import HandoutError, HandoutItem, print_handout, printer_names
from .idle_guard import IdleGuard
from .kiosk_welcome import TILE_PX, KioskWelcome
from .main_window import MainWindow
from .onscreen_keyboard import KeyboardAutoShow, OnScreenKeyboard
from .pin_dialog import AdminDialog, PinDialog
from .question_buttons import QuestionButtons, first_questions
from .window_state import guarded

KIOSK_TARGET_PX = 48  # the smallest touch target in kiosk mode
KIOSK_TEXT_SCALE = 1.25  # read standing, at arm's length
WELCOME_QUESTIONS = 6  # two rows on a kiosk screen; the tiles hold the rest
Printer = Callable[..., None]  # (items, **handout options): send a handout to paper


def _guest_store(language: str) -> OpenedStore:
    """A visit's store, in memory only; its profile has the kiosk's text size."""
    store = open_store(StoreLocation.guest())
    profile = current_profile(store, language)
    try:
        store.update_profile(profile.id, font_scale=KIOSK_TEXT_SCALE)
    except StorageError as exc:  # shown like any storage failure; the visit still runs
        return OpenedStore(store, [str(exc)])
    return OpenedStore(store, [])


class KioskWindow(MainWindow):
    """The chat window for a waiting room: a welcome screen, visits that leave nothing.

    Built on ``MainWindow``'s hooks (its docstring lists them): ``extend_ui`` adds
    the welcome screen, the on-screen keyboard, the idle guard and the staff
    button; ``retranslate``, ``apply_look`` and ``extra_style`` add the kiosk's
    words and looks; ``send`` waits for an ended visit's answer to stop;
    ``save_handout`` prints; ``open_settings`` asks for the PIN; ``focus_search``
    does nothing (a visit has no history). It also listens to
    ``library_tab.index_ready`` (the topic tiles) and ``library_tab.browser_made``
    (large touch targets), and overrides Qt's ``closeEvent`` and ``eventFilter``.

    Signals:
        visit_ended(str): a visit was wiped: "done" or "idle".
    """

    EXTERNAL_LINKS = False

    visit_ended = Signal(str)  # "done" or "idle"
    suggests_models = False  # the clinic chooses the model, not a patient in a visit

    def __init__(
        self,
        settings: Settings,
        config: KioskConfig,
        printer: Printer | None = None,
        parent: QWidget | None = None,
    ) -> None:
        self.kiosk = config
        language = settings.language if "language" in settings.explicit else config.language
        self.home_language = language
        self.gate = PinGate(settings.data_dir)  # one count of wrong tries for the whole run
        self._leaving = False
        self._printer = printer  # None: the configured or default printer
        super().__init__(replace(settings, language=language), _guest_store(language), parent)

    # --- layout -------------------------------------------------------------------------
    def extend_ui(self) -> None:
        super().extend_ui()
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.banner.kiosk = True  # an emergency also says: tell the front desk now
        self.sidebar.hide()
        self.copy_button.hide()  # a shared machine's clipboard is the next visitor's

        visit = self.takeCentralWidget()
        column_layout = self.column.layout()
        column_layout.removeWidget(self.title)
        top = QHBoxLayout()
        top.addWidget(self.title, stretch=1)
        self.done_button = QPushButton(self, objectName="primary")
        self.done_button.clicked.connect(lambda: self.end_visit("done"))
        top.addWidget(self.done_button)
        column_layout.insertLayout(0, top)
        self.handout_button.setVisible(self.kiosk.handouts and self._can_print())

        self.welcome = KioskWelcome(self.language)
        self.welcome.language_chosen.connect(self.choose_language)
        self.welcome.ask_chosen.connect(self.begin_visit)
        self.welcome.topic_chosen.connect(self._read_topic)
        self.welcome.question_chosen.connect(self._ask_from_welcome)
        self.read_aloud.word.connect(lambda *_: self._listening())
        self.library_tab.index_ready.connect(lambda _index: self._fill_tiles())
        self.library_tab.browser_made.connect(self._enlarge)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(visit)
        root = QWidget(self)
        layout = QVBoxLayout(root)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.pages, stretch=1)
        self.keyboard = OnScreenKeyboard(root)
        self.keyboard.hide()
        layout.addWidget(self.keyboard)
        self.setCentralWidget(root)
        self.keyboard.set_pinyin(self.language == "zh")
        # While the visitor types, the keys take the questions' room on the screen.
        self.keyboard.shown.connect(self.ask.suggestions.set_held)
        self.keyboard_auto = KeyboardAutoShow(self.keyboard, self)

        self.staff_button = QPushButton(self, objectName="staff")
        self.staff_button.clicked.connect(self.open_settings)
        self.statusBar().addPermanentWidget(self.staff_button)

        self.idle = IdleGuard(self, self.kiosk.idle_seconds * 1000,
                              self.kiosk.countdown_seconds * 1000)
        self.idle.expired.connect(lambda: self.end_visit("idle"))
        self._clipboard_used = False
        clipboard = QGuiApplication.clipboard()
        for signal in (clipboard.dataChanged, clipboard.selectionChanged):
            signal.connect(self._on_clipboard)
        # Context menus would offer copy, paste and undo of the last visitor's words.
        QApplication.instance().installEventFilter(self)
        self._enlarge(self)

    def _enlarge(self, widget: QWidget) -> None:
        for questions in widget.findChildren(QuestionButtons):  # buttons made later too
            questions.target_px = KIOSK_TARGET_PX
        for button in widget.findChildren(QPushButton):
            button.setMinimumHeight(max(button.minimumHeight(), KIOSK_TARGET_PX))
            button.setMinimumWidth(max(button.minimumWidth(), KIOSK_TARGET_PX))

    def retranslate(self) -> None:
        super().retranslate()
        self.done_button.setText(self.tr("I'm done, clear my session"))
        describe(self.done_button, self.tr("I'm done, clear my session"),
                 self.tr("Clear everything from this visit and go back to the start"))
        self.staff_button.setText(self.tr("Staff"))
        describe(self.staff_button, self.tr("Staff only"),
                 self.tr("For clinic staff: needs the administrator PIN"))
        self.handout_button.setText(self.tr("Print my handout"))
        describe(self.handout_button, self.tr("Print my handout"),
                 self.tr("Print the answers of this visit and their sources to take home"))
        self._fill_tiles()  # their titles are articles in the new language

    def apply_look(self) -> None:
        super().apply_look()
        # The tagline's room goes to the conversation, above the on-screen keyboard;
        # the welcome screen already says what CareChat is.
        self.subtitle.hide()

    def extra_style(self, points: float) -> str:
        # theme.py cannot import the widgets these rules are for, so they come here.
        return (onscreen_keyboard.style_rules(self.theme, points)
                + idle_guard.style_rules(self.theme, points)
                + f"QLabel#welcomeTitle {{ font-size: {points * 2.2:.1f}pt; font-weight: bold; }}"
                + f"QPushButton#topicTile {{ min-height: {TILE_PX}px; }}")

    # --- visits -------------------------------------------------------------------------
    def in_visit(self) -> bool:
        return self.pages.currentIndex() == 1  # the chat, not the welcome screen

    def begin_visit(self) -> None:
        """Leave the welcome screen for the chat; the idle wait starts."""
        self.pages.setCurrentIndex(1)
        self.tabs.setCurrentIndex(0)
        self.idle.start()
        # A kiosk session often runs without a window manager to hand out focus.
        self.activateWindow()
        self.composer.setFocus()

    def _ask_from_welcome(self, question: str) -> None:
        self.begin_visit()
        self.ask_question(question)

    def _listening(self) -> None:
        # Listening is using the kiosk: a long article read aloud does not run out
        # the idle wait. Once the "are you still there?" countdown shows, only a
        # touch keeps the visit.
        if self.idle.is_active() and not self.idle.is_warning():
            self.idle.reset()

    def _read_topic(self, article_id: str) -> None:
        self.begin_visit()
        self.open_topic(article_id)

    def choose_language(self, language: str) -> None:
        if language != self.language:
            guarded(lambda: self.state.update_profile(language=language), self.show_notice)
            self.set_language(language)  # retranslate: the tiles and the topics too
        self.welcome.show_language(language)
        # Left on the welcome screen, the choice still goes back for the next visitor.
        self.idle.start()

    def set_language(self, language: str) -> None:
        super().set_language(language)
        # A Chinese visit types Chinese: pinyin on the on-screen keyboard (中/EN switches).
        self.keyboard.set_pinyin(self.language == "zh")

    def end_visit(self, reason: str = "done") -> None:
        """Wipe everything of this visit and show the welcome screen again."""
        self.idle.stop()
        self.read_aloud.stop()  # nothing of this visit is read to the next visitor
        self.turns.discard()  # any answer stops; its result, when it comes, is dropped
        # A new guest store for the window and the model's thread; the worker closes
        # the old one after any answer still stopping, and with it the last copy.
        old, self.store = self.store, _guest_store(self.home_language).store
        self.turns.use_store(self.store.location)
        old.close()
        self.profile = current_profile(self.store, self.home_language)
        self.composer.clear()
        self.composer.document().clearUndoRedoStacks()
        self.show_notice("")
        self.library_tab.close_browser()  # its search box, undo history and open article
        self._clear_clipboard()
        self.set_language(self.home_language)
        self.welcome.show_language(self.language)
        self.new_conversation()  # no messages, banner or teach-back question left
        self.keyboard.attach(None)
        self.keyboard.hide()
        self.tabs.setCurrentIndex(0)
        self.pages.setCurrentIndex(0)
        self.apply_look()
        self.show_state()
        self.visit_ended.emit(reason)

    def _on_clipboard(self) -> None:
        # Full screen, nothing else runs in front of the visitor: a change during a
        # visit is CareChat's (a copy in the composer or the reader).
        if self.in_visit():
            self._clipboard_used = True

    def _clear_clipboard(self) -> None:
        used = self._clipboard_used  # during the visit: CareChat's, see _on_clipboard
        clear_ours(lambda _mode: used)
        self._clipboard_used = False

    # --- turns of an ended visit ---------------------------------------------------------
    def send(self) -> None:
        if self.turns.discarding:  # the ended visit's answer is still stopping
            self.show_notice(self.tr("One moment, please: CareChat is getting ready."))
            return
        super().send()

    # --- library --------------------------------------------------------------------------
    def _fill_tiles(self) -> None:
        if self.library is None:
            return
        topics = self.tile_topics()
        self.welcome.set_topics(topics)
        # One common question of each tile topic, in the kiosk's language.
        self.welcome.set_questions(first_questions(
            self.library, (article_id for article_id, _title in topics), self.language,
            WELCOME_QUESTIONS))

    def tile_topics(self) -> list[tuple[str, str]]:
        """The welcome screen's topics: kiosk.toml's list, those the library has."""
        found = [article for article_id in self.kiosk.topics
                 if (article := self.library.article(article_id, self.language)) is not None]
        native = [a for a in found if a.language == self.language]
        english = [a for a in found if a.language != self.language]
        # A topic the library has only in English would greet a Chinese reader in
        # English: put another topic written in their language in its place, and
        # the English one only where the library has too few in this language.
        ids = {a.id for a in native}
        spare = [a for a in self.library.articles(self.language)
                 if a.language == self.language and a.id not in ids]
        chosen = (native + spare + english)[:len(found)]
        return [(article.id, article.title) for article in chosen]

    def focus_search(self) -> None:
        pass  # the history's search is not there: a visit has no history

    # --- handout --------------------------------------------------------------------------
    def _can_print(self) -> bool:
        return self._printer is not None or bool(printer_names())

    def _to_printer(self, items: Sequence[HandoutItem], **options) -> None:
        print_handout(items, self.kiosk.printer, **options)

    def save_handout(self) -> None:
        """Print this visit's answers: a kiosk saves no files, not even a PDF."""
        items = self.handouts.items()
        if not items:
            self.show_notice(self.tr("There is no finished answer to print yet."))
            return
        try:
            (self._printer or self._to_printer)(items, **self.handouts.options())
        except HandoutError as exc:
            self.show_notice(str(exc))
            return
        self.show_notice(self.tr("Your handout is printing. Please collect it from the "
                                 "printer or ask at the front desk."))

    # --- the administrator -----------------------------------------------------------------
    def open_settings(self) -> None:
        """Staff only: the PIN, then leave the kiosk or change settings for this run."""
        if not self.run_dialog(PinDialog(self.gate, self)):
            return
        choice = AdminDialog(self)
        if not self.run_dialog(choice):
            return
        if choice.chosen == AdminDialog.LEAVE:
            self.leave()
        elif choice.chosen == AdminDialog.SETTINGS:
            super().open_settings()

    def leave(self) -> None:
        """Close the kiosk (after the PIN): the visit is wiped first."""
        self.end_visit("done")
        self._leaving = True
        self.close()

    def allow_close(self) -> None:
        """Let the next close through without the PIN (tests; the app quitting)."""
        self._leaving = True

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if not self._leaving:
            event.ignore()  # Alt+F4 and friends do not leave the kiosk
            return
        self.idle.stop()
        QApplication.instance().removeEventFilter(self)
        super().closeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.ContextMenu and isinstance(watched, QWidget) and \
                (watched is self or self.isAncestorOf(watched)):
            return True
        return super().eventFilter(watched, event)
