"""The model's own thread: load it, run turns, stream tokens back as signals.

Only strings and frozen dataclasses cross the thread boundary; the worker never
touches a widget. ``ChatController`` lives in the UI thread and owns the thread.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from model import ModelError

from .config import Settings
from .session import answer_sources, conversation_profile, history_turns, open_library
from .storage import StorageError, Store, StoreLocation, TurnLog, open_store
from .turn import Assistant, QuestionError, SafetyCheck, warm_up
from .vocabulary import TurnKind


@dataclass(frozen=True)
class TurnRequest:
    """One turn for the worker; every field but ``question`` has a default that asks
    a plain question, as before the library and reading levels.

    ``kind`` (see ``turn.Assistant.answer``):
      - ``ASK``: ``question`` is the patient's question.
      - ``SIMPLER`` ("Explain it simpler"): ``target_text`` is the answer to explain
        again, one reading level down; ``question`` is the visible request
        ("Explain it simpler"), saved as the patient's message of a new exchange.
      - ``TEACH_BACK`` ("Check my understanding"): 1-2 questions about
        ``target_text``; ``TurnResult.checks`` carries them, to send back with the
        reply.
      - ``FEEDBACK``: ``question`` is the patient's reply; ``target_text`` is the
        teach-back question and ``checks`` the ``TurnResult.checks`` it came with
        (their "answer" is the expected answer, when known).

    ``sources`` of the answer in ``target_text`` ("simpler" keeps them; teach-back
    uses their articles' check questions); when empty, the worker finds them with
    the saved answer in the conversation.
    """

    question: str
    conversation_id: int | None = None  # saved there, with its history, when given
    max_new_tokens: int | None = None  # None: the assistant's default
    # "Regenerate": the last exchange is left out of the prompt and the answer is
    # sampled, so the patient gets a different wording of the same question's answer.
    regenerate: bool = False
    kind: TurnKind = TurnKind.ASK
    level: str | None = None  # None: the conversation's profile's level, else basic
    answer_style: str | None = None  # "short" / "more_detail"; None: the profile's
    target_text: str = ""
    checks: tuple[dict, ...] = ()
    sources: tuple[dict, ...] = ()
    safety: SafetyCheck | None = None  # the window's safety step on this question


REGENERATE_TEMPERATURE = 0.7


def describe_error(exc: BaseException) -> str:
    """A message a patient can act on; never a bare traceback."""
    if isinstance(exc, ModelError):
        return f"{exc.message} {exc.hint}".strip()
    if isinstance(exc, (QuestionError, StorageError)):
        return str(exc)
    return (
        f"Something went wrong inside CareChat ({type(exc).__name__}: {exc}). "
        "Please try again; if it keeps happening, restart CareChat."
    )


class ChatSignals(QObject):
    """What the model's thread tells the window, declared once.

    ``ChatWorker`` emits these in its own thread; ``ChatController`` re-emits the
    same signals in the UI thread (see ``SIGNALS``).
    """

    status = Signal(str)
    ready = Signal(object)  # model.ModelInfo
    devices = Signal(list)  # the devices this machine can run on, e.g. ["cpu", "cuda"]
    load_failed = Signal(str)
    # The health library, loaded before the model (knowledge.LibraryIndex, read-only
    # and safe to search from the UI thread too: the topics browser may use it).
    library_ready = Signal(object)
    token = Signal(str)
    turn_status = Signal(str)  # what a turn is doing while nothing streams (a rewrite)
    finished = Signal(object)  # turn.TurnResult
    failed = Signal(str)


# The names of ChatSignals' signals, in the order they are declared.
SIGNALS = tuple(name for name, value in vars(ChatSignals).items() if isinstance(value, Signal))


class ChatWorker(ChatSignals):
    """Parentless QObject moved to a QThread; slots run in that thread."""

    def __init__(self, settings: Settings, location: StoreLocation | None = None) -> None:
        super().__init__()
        self._settings = settings
        self._location = location
        self._store: Store | None = None
        self._store_error = ""
        self._assistant: Assistant | None = None
        self._library = None
        # Set from the UI thread: the worker's event loop is busy while it
        # generates, so a queued "stop" slot would only run after the answer.
        self._stop = threading.Event()

    def request_stop(self) -> None:
        self._stop.set()

    def clear_stop(self) -> None:
        self._stop.clear()

    @Slot()
    def load_model(self) -> None:
        import model  # torch and transformers load here, off the UI thread

        from .engines import open_engine

        self._open_store()
        s = self._settings
        self._load_library()
        self.devices.emit(model.available_devices())
        try:
            engine = open_engine(s, self.status.emit)
        except Exception as exc:  # every failure must reach the window, not kill the thread
            self.load_failed.emit(describe_error(exc))
            return
        self._assistant = Assistant(engine, language=s.language, country=s.country,
                                    library=self._library)
        self.ready.emit(engine.info)

    def _load_library(self) -> None:
        """Index the library and warm up the reading scores, here and once.

        Before the model, so that the articles can be read even when no model
        loads. A library that cannot load leaves answers without sources; it
        never stops the model.
        """
        if self._library is not None:
            return
        try:
            self._library = open_library(self._settings)
            warm_up()
        except Exception as exc:
            self.status.emit(f"The health library could not be loaded ({exc}).")
            return
        self.library_ready.emit(self._library)

    def _open_store(self) -> None:
        # This thread's own connection: a sqlite3 connection belongs to its thread.
        if self._location is None or self._store is not None:
            return
        try:
            self._store = open_store(self._location)
        except StorageError as exc:
            self._store_error = str(exc)

    @Slot()
    def close_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    @Slot(object)
    def use_store(self, location: StoreLocation) -> None:
        """Save turns in ``location`` from now on (a kiosk's next visit).

        Queued behind any turn still running, so that turn ends in the old
        store; closing the last connection to a guest store discards it.
        """
        self.close_store()
        self._location = location
        self._store_error = ""
        self._open_store()

    @Slot()
    def forget_prompt(self) -> None:
        """Drop the model's kept prompt (queued behind any turn still running)."""
        if self._assistant is not None:
            self._assistant.engine.forget()

    @Slot(object)
    def run_turn(self, request: TurnRequest) -> None:
        if self._assistant is None:
            self.failed.emit("The model is not ready yet. Please wait a moment.")
            return
        history, log, store_error = [], None, self._store_error
        options = {"level": request.level, "answer_style": request.answer_style,
                   "sources": request.sources}
        try:
            if self._store is not None and request.conversation_id is not None:
                options.update(self._from_store(request))
                if request.kind == TurnKind.ASK:
                    history = history_turns(self._store, request.conversation_id)
                    if request.regenerate:
                        history = _without_last_exchange(history, request.question)
                log = TurnLog(self._store, request.conversation_id)
        except StorageError as exc:
            store_error = str(exc)  # answer anyway; the patient is told
        try:
            result = self._assistant.answer(
                request.question, history, self.token.emit, self._stop, log,
                max_new_tokens=request.max_new_tokens,
                temperature=REGENERATE_TEMPERATURE if request.regenerate else None,
                kind=request.kind, target_text=request.target_text, checks=request.checks,
                on_status=self.turn_status.emit, safety=request.safety, **options,
            )
        except Exception as exc:  # reported to the patient; the thread lives on
            self.failed.emit(describe_error(exc))
            return
        if store_error and not result.storage_error:
            result = replace(result, storage_error=store_error)
        self.finished.emit(result)

    def _from_store(self, request: TurnRequest) -> dict:
        """What the request leaves to the conversation: its profile's reading level and
        answer length, and the sources of the answer a button turn is about."""
        found = {}
        profile = conversation_profile(self._store, request.conversation_id)
        found["level"] = request.level or profile.literacy_level
        found["answer_style"] = request.answer_style or profile.answer_style
        if not request.sources and request.target_text:
            found["sources"] = answer_sources(self._store, request.conversation_id,
                                              request.target_text)
        return found


def _without_last_exchange(history: list, question: str) -> list:
    """History before the last time ``question`` was asked (for "Regenerate")."""
    for i in range(len(history) - 1, -1, -1):
        if history[i].role == "user" and history[i].content == question:
            return history[:i]
    return history


class ChatController(ChatSignals):
    """Starts the worker thread, forwards requests, and shuts it down cleanly.

    It re-emits the worker's signals (``ChatSignals``) from the UI thread, so every
    listener (widgets, tests) receives them there, whatever kind of callable it is.
    """

    _load_requested = Signal()
    _turn_requested = Signal(object)
    _store_changed = Signal(object)
    _forget_requested = Signal()

    def __init__(
        self,
        settings: Settings,
        location: StoreLocation | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.thread = QThread()
        self.thread.setObjectName("carechat-model")
        self.worker = ChatWorker(settings, location)
        self.worker.moveToThread(self.thread)
        # finished is emitted in the worker thread itself: close its connection there.
        self.thread.finished.connect(self.worker.close_store, Qt.ConnectionType.DirectConnection)
        self.thread.finished.connect(self.worker.deleteLater)
        # Queued across threads: the slots run in the worker's thread.
        self._load_requested.connect(self.worker.load_model)
        self._turn_requested.connect(self.worker.run_turn)
        self._store_changed.connect(self.worker.use_store)
        self._forget_requested.connect(self.worker.forget_prompt)
        for name in SIGNALS:  # worker thread -> this (UI) thread, queued
            getattr(self.worker, name).connect(getattr(self, name))
        self._running = False

    def start(self) -> None:
        self.thread.start()
        self._running = True
        self._load_requested.emit()

    def ask(self, question: str, conversation_id: int | None = None, **options) -> None:
        """Queue a turn; ``options`` are further ``TurnRequest`` fields."""
        # Cleared here, not in the worker, so a shutdown that set it stays set
        # for any turn still queued.
        self.worker.clear_stop()
        self._turn_requested.emit(TurnRequest(question, conversation_id, **options))

    def stop(self) -> None:
        self.worker.request_stop()

    def use_store(self, location: StoreLocation) -> None:
        """Turns asked from now on are saved in ``location`` (see ``ChatWorker.use_store``)."""
        self._store_changed.emit(location)

    def forget_prompt(self) -> None:
        """The model forgets the last conversation it read (``ChatWorker.forget_prompt``)."""
        self._forget_requested.emit()

    def shutdown(self) -> None:
        """Stop any answer within one token, then end and join the thread."""
        if not self._running:
            return
        self._running = False
        self.worker.request_stop()
        self.thread.quit()
        self.thread.wait()
