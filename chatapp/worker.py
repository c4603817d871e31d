"""The model's own thread: load it, run turns, stream tokens back as signals.

Only strings and frozen dataclasses cross the thread boundary; the worker never
touches a widget. ``ChatController`` lives in the UI thread and owns the thread.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from model import ModelError

from .assistant import Assistant, QuestionError
from .config import Settings
from .session import history_turns
from .storage import StorageError, Store, StoreLocation, TurnLog, open_store


@dataclass(frozen=True)
class TurnRequest:
    question: str
    conversation_id: int | None = None  # saved there, with its history, when given
    max_new_tokens: int | None = None  # None: the assistant's default
    # "Regenerate": the last exchange is left out of the prompt and the answer is
    # sampled, so the patient gets a different wording of the same question's answer.
    regenerate: bool = False


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


class ChatWorker(QObject):
    """Parentless QObject moved to a QThread; slots run in that thread."""

    status = Signal(str)
    ready = Signal(object)  # model.ModelInfo
    devices = Signal(list)  # the devices this machine can run on, e.g. ["cpu", "cuda"]
    load_failed = Signal(str)
    token = Signal(str)
    finished = Signal(object)  # assistant.TurnResult
    failed = Signal(str)

    def __init__(self, settings: Settings, location: StoreLocation | None = None) -> None:
        super().__init__()
        self._settings = settings
        self._location = location
        self._store: Store | None = None
        self._store_error = ""
        self._assistant: Assistant | None = None
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

        self._open_store()
        s = self._settings
        self.devices.emit(model.available_devices())
        try:
            engine = model.load(s.model, s.device, s.model_cache_dir, self.status.emit)
        except Exception as exc:  # every failure must reach the window, not kill the thread
            self.load_failed.emit(describe_error(exc))
            return
        self._assistant = Assistant(engine, language=s.language, country=s.country)
        self.ready.emit(engine.info)

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
    def run_turn(self, request: TurnRequest) -> None:
        if self._assistant is None:
            self.failed.emit("The model is not ready yet. Please wait a moment.")
            return
        history, log, store_error = [], None, self._store_error
        try:
            if self._store is not None and request.conversation_id is not None:
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
            )
        except Exception as exc:  # reported to the patient; the thread lives on
            self.failed.emit(describe_error(exc))
            return
        if store_error and not result.storage_error:
            result = replace(result, storage_error=store_error)
        self.finished.emit(result)


def _without_last_exchange(history: list, question: str) -> list:
    """History before the last time ``question`` was asked (for "Regenerate")."""
    for i in range(len(history) - 1, -1, -1):
        if history[i].role == "user" and history[i].content == question:
            return history[:i]
    return history


class ChatController(QObject):
    """Starts the worker thread, forwards requests, and shuts it down cleanly.

    It re-emits the worker's signals from the UI thread, so every listener
    (widgets, tests) receives them there, whatever kind of callable it is.
    """

    status = Signal(str)
    ready = Signal(object)
    devices = Signal(list)
    load_failed = Signal(str)
    token = Signal(str)
    finished = Signal(object)
    failed = Signal(str)
    _load_requested = Signal()
    _turn_requested = Signal(object)

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
        for name in ("status", "ready", "devices", "load_failed", "token", "finished", "failed"):
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

    def shutdown(self) -> None:
        """Stop any answer within one token, then end and join the thread."""
        if not self._running:
            return
        self._running = False
        self.worker.request_stop()
        self.thread.quit()
        self.thread.wait()
