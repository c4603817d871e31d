"""One turn, from the question to the saved answer, and the model's thread that writes it.

The path of a question: ``send`` checks it and asks the ``ChatController``; the
worker thread streams tokens, which a ``TokenBuffer`` merges into one repaint
about every 30 ms (``_on_tokens``); the worker's ``TurnResult`` ends the turn in
``_on_finished``, the one place that reads a result's fields.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, Signal

from ..storage import Message, StorageError, StoreLocation, TurnLog
from ..text_input import normalize_text
from ..turn import MAX_QUESTION_CHARS, TurnResult, answer_by_rules, check_safety
from ..vocabulary import MessageStatus, TurnKind
from ..worker import ChatController
from .ask_panel import AskPanel
from .message_model import ChatItem
from .settings_dialog import MAX_TOKENS_BY_LENGTH
from .status_text import translate_status
from .token_buffer import TokenBuffer
from .transcript_view import TranscriptView
from .window_state import WindowState


@dataclass
class PendingTurn:
    """The answer being written: it belongs to the conversation that asked it."""

    conversation_id: int
    question: str
    text: str = ""


class TurnController(QObject):
    """Asks the model (or the safety rules) and shows the answer as it comes.

    An answer belongs to the conversation that asked it: the patient may open
    another one meanwhile, and the answer still lands where it was asked.

    Attributes:
        controller: the ``ChatController`` of the model's thread (a new one after
            ``restart``).
        buffer: the ``TokenBuffer`` that merges streamed tokens into repaints.
        turn: the ``PendingTurn`` being answered, or None.
        teach_back: the teach-back questions the next message answers
            (``{"text", "checks"}``), or None.
        model_ready: the model has loaded; load_error: why it could not ("").
        on_server: the loaded engine is a clinic's server (``model.server``).
        devices: where the model can run on this machine, e.g. ["cpu", "cuda"].
        discarding: a discarded turn is still stopping (see ``discard``).

    Signals:
        busy_changed(bool): a turn began (True) or ended (False).
        model_changed(): the model is ready, could not load, or loads again.
        status(str): a line for the status bar, translated (the model's progress).
        notice(str): something to tell the patient ("": clear the last one).
        emergency(str, str, object): an emergency's title, message and numbers to
            call (``safety.Number`` tuple), for the banner.
        announce(str): what screen readers should be told (an answer, a failure).
        turn_ended(): a turn is over and saved (the conversation list may change).
        library_ready(object): the health library's index, from the model's thread.
    """

    busy_changed = Signal(bool)
    model_changed = Signal()
    status = Signal(str)
    notice = Signal(str)
    emergency = Signal(str, str, object)
    announce = Signal(str)
    turn_ended = Signal()
    library_ready = Signal(object)

    def __init__(self, state: WindowState, transcript: TranscriptView, ask: AskPanel,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.transcript = transcript
        self.ask = ask
        self.turn: PendingTurn | None = None
        self.teach_back: dict | None = None
        self.devices: list[str] = ["cpu"]
        self.model_ready = False
        self.on_server = False  # a clinic's server writes the answers (model.server)
        self.load_error = ""
        self.discarding = False
        self._model_name = ""
        self._started = False
        self._told_left_out: set[int] = set()  # conversations told their start is left out
        self.buffer = TokenBuffer(parent=self)
        self.buffer.flushed.connect(self._on_tokens)
        self.controller = self._new_controller()

    # --- the model's thread ----------------------------------------------------------
    def _new_controller(self) -> ChatController:
        state = self.state
        ctrl = ChatController(replace(state.settings, language=state.language),
                              state.store.location, self)
        ctrl.status.connect(self._on_status)
        ctrl.ready.connect(self._on_ready)
        ctrl.devices.connect(self._on_devices)
        ctrl.load_failed.connect(self._on_load_failed)
        ctrl.library_ready.connect(self.library_ready)
        ctrl.turn_status.connect(self._on_status)
        ctrl.token.connect(self.buffer.push)
        ctrl.finished.connect(self._on_finished)
        ctrl.failed.connect(self._on_failed)
        return ctrl

    def start(self) -> None:
        """Load the model in the background."""
        self._started = True
        self.controller.start()

    def restart(self) -> None:
        """Load the model of ``state.settings`` again (another model or device chosen)."""
        self.controller.shutdown()
        self.controller.deleteLater()
        self.model_ready = False
        self.load_error = ""
        self.controller = self._new_controller()
        self.model_changed.emit()
        if self._started:
            self.controller.start()

    def shutdown(self) -> None:
        """Stop any answer within one token (the worker saves it as cancelled); end the thread."""
        self.controller.shutdown()
        self.buffer.flush()

    def use_store(self, location: StoreLocation) -> None:
        """Turns asked from now on are saved in ``location`` (a kiosk's next visit)."""
        self.controller.use_store(location)
        self._told_left_out.clear()  # those were conversations of the old store

    def status_text(self) -> str:
        """The status bar's line for the turn and the model as they are now."""
        if self.turn is not None:
            return self.tr("Writing the answer… (Esc stops it)")
        if self.load_error:
            return self.tr("The model could not start.")
        if self.model_ready and self.on_server:
            return self.tr("Ready: answers are written by your clinic's server ({model})"
                           ).format(model=self._model_name)
        if self.model_ready:
            return self.tr("Ready: {model}").format(model=self._model_name)
        return self.tr("Starting…")

    def _on_status(self, message: str) -> None:
        self.status.emit(translate_status(message))

    def _on_devices(self, devices: list) -> None:
        self.devices = list(devices)

    def _on_ready(self, info) -> None:
        self.model_ready = True
        self.on_server = info.device == "server"
        self._model_name = info.name if self.on_server else f"{info.name} · {info.device}"
        if info.notice:
            self.notice.emit(info.notice)
        self.model_changed.emit()

    def _on_load_failed(self, message: str) -> None:
        self.load_error = message
        self.notice.emit(self.tr(
            "{problem} You can still read your conversations, and questions about "
            "emergencies are still answered. To fix this, choose another model in Settings."
        ).format(problem=message))
        self.model_changed.emit()

    # --- asking -------------------------------------------------------------------
    def send(self) -> None:
        """Ask the composer's question: the model answers it, or the safety rules alone."""
        if self.turn is not None:
            return
        state = self.state
        # The same normaliser as every way in (text_input): no control or invisible
        # characters reach the rules, the transcript, the store or the model.
        question = normalize_text(self.ask.composer.toPlainText()).strip()
        if not question:
            self.notice.emit(self.tr("Please type a question first."))
            return
        if len(question) > MAX_QUESTION_CHARS:
            self.notice.emit(self.ask.too_long(len(question)))
            return
        replying = self.model_ready and self.teach_back is not None
        # Once, here: the worker reuses it (TurnRequest.safety).
        checked = check_safety(question, state.language, state.settings.country,
                               reply=replying)
        rules = answer_by_rules(question, state.language, state.settings.country,
                                checked=checked)
        if not self.model_ready and rules is None:
            self.notice.emit(self._not_ready())
            return
        self.notice.emit("")
        if state.conversation_id is None and not self._start_conversation():
            return
        self.ask.composer.clear()
        self._begin(question)
        if replying and rules is None:
            # The patient's reply to the teach-back questions: gentle feedback.
            asked = self.teach_back
            self.forget_teach_back()
            self.controller.ask(question, state.conversation_id, kind=TurnKind.FEEDBACK,
                                target_text=asked["text"], checks=asked["checks"],
                                safety=checked)
        elif self.model_ready:
            self.controller.ask(question, state.conversation_id,
                                max_new_tokens=self._max_new_tokens(), safety=checked)
        else:
            # The rules need no model: an emergency is answered (and saved) at once,
            # even while the model loads or after it failed to load.
            log = TurnLog(state.store, state.conversation_id)
            self._on_finished(answer_by_rules(question, state.language, state.settings.country,
                                              on_token=self.buffer.push, log=log,
                                              checked=checked))

    def regenerate(self) -> None:
        """Ask the last question again, for a new answer."""
        question = self.transcript.last_question()
        if self.turn is not None or question is None or not self.model_ready:
            return
        self._begin(question)
        self.controller.ask(question, self.state.conversation_id, regenerate=True,
                            max_new_tokens=self._max_new_tokens())

    def explain_simpler(self) -> None:
        """Write the last answer again, one reading level down, as a new exchange."""
        answer = self.transcript.last_answer()
        if self.turn is not None or answer is None or not self.model_ready:
            return
        request = self.tr("Explain it simpler")
        self._begin(request)
        self.controller.ask(request, self.state.conversation_id, kind=TurnKind.SIMPLER,
                            target_text=answer.text, sources=tuple(answer.sources),
                            max_new_tokens=self._max_new_tokens())

    def check_understanding(self) -> None:
        """Teach-back: short questions about the last answer; the next message answers them."""
        answer = self.transcript.last_answer()
        if self.turn is not None or answer is None or not self.model_ready:
            return
        request = self.tr("Check my understanding")
        self._begin(request)
        self.controller.ask(request, self.state.conversation_id, kind=TurnKind.TEACH_BACK,
                            target_text=answer.text, sources=tuple(answer.sources))

    def stop(self) -> None:
        """Stop the answer being written (within one token); it is kept as stopped."""
        if self.turn is not None:
            self.controller.stop()
            self.status.emit(self.tr("Stopping…"))

    def discard(self) -> None:
        """Stop the answer being written and drop its result when it comes (a kiosk
        visit ended); ``discarding`` until then."""
        if self.turn is not None:
            self.controller.stop()
            self.discarding = True
            self.turn = None
            self.busy_changed.emit(False)

    def forget_teach_back(self) -> None:
        """The next message is a question again, not a reply to teach-back questions."""
        self.teach_back = None
        self.ask.show_teach_back(False)

    def _start_conversation(self) -> bool:
        state = self.state
        try:
            state.conversation_id = state.store.create_conversation(state.profile.id).id
        except StorageError as exc:
            self.notice.emit(str(exc))
            return False
        return True

    def _begin(self, question: str) -> None:
        self.turn = PendingTurn(self.state.conversation_id, question)
        self.transcript.begin_answer(question)
        self.busy_changed.emit(True)

    def _max_new_tokens(self) -> int:
        return MAX_TOKENS_BY_LENGTH[self.state.preferences.answer_length]

    def _not_ready(self) -> str:
        if self.load_error:
            return self.tr(
                "The model could not start, so CareChat cannot answer this. You can still "
                "read your conversations. If you think you may have an emergency, call your "
                "local emergency number now.")
        return self.tr(
            "The model is still loading, so CareChat cannot answer this yet. Please try again "
            "in a moment. If you think you may have an emergency, call your local emergency "
            "number now.")

    # --- the answer on screen ----------------------------------------------------------
    def displayed(self) -> bool:
        """Whether the answer being written is in the conversation shown."""
        return self.turn is not None and self.turn.conversation_id == self.state.conversation_id

    def items_for(self, conversation_id: int, messages: list[Message]) -> list[ChatItem]:
        """The rows of a saved conversation, with the answer being written, if it is its."""
        items = [ChatItem.from_message(m) for m in messages]
        turn = self.turn
        if turn is not None and turn.conversation_id == conversation_id:
            # The answer being written is ahead of what was saved: draw it from memory.
            while items and items[-1].status == MessageStatus.STREAMING:
                items.pop()
            if items and items[-1].speaker == "user" and items[-1].text == turn.question:
                items.pop()
            items += [ChatItem("user", turn.question),
                      ChatItem("assistant", turn.text, status=MessageStatus.STREAMING)]
        return items

    def _on_tokens(self, text: str) -> None:
        if self.turn is None:
            return
        self.turn.text += text
        if self.displayed():
            self.transcript.add_to_answer(text)

    def _on_finished(self, result: TurnResult) -> None:
        # The one place that reads a TurnResult's fields.
        if self.discarding:
            self.discarding = False
            return
        self.buffer.flush()
        turn, self.turn = self.turn, None
        generation = result.generation
        if result.emergency is not None:
            self.emergency.emit(result.emergency.title, result.answer, result.emergency.numbers)
        if turn is not None and turn.conversation_id == self.state.conversation_id:
            self.transcript.end_answer(
                text=result.answer,
                status=MessageStatus.CANCELLED if result.stopped else MessageStatus.COMPLETE,
                message_id=result.message_id,
                model=generation.model,
                sources=result.sources,
                readability=dict(result.readability),
                meta="" if generation.tokens == 0 else self.tr(
                    "{model} · {tokens} tokens · {speed:.1f} tokens/s").format(
                        model=generation.model, tokens=generation.tokens,
                        speed=generation.tokens_per_s),
            )
            if result.history_left_out and turn.conversation_id not in self._told_left_out:
                self._told_left_out.add(turn.conversation_id)
                self.transcript.add_note(self.tr(
                    "This conversation is now longer than the model can read at once, so "
                    "its oldest messages were left out of this answer. They are still "
                    "saved here."))
        if result.kind == TurnKind.TEACH_BACK and not result.stopped:
            # The next message the patient sends answers these questions.
            self.teach_back = {"text": result.answer, "checks": result.checks}
            self.ask.show_teach_back(True)
        if result.fault:  # the server failed: what it wrote is kept, the library's text follows
            self.notice.emit(result.fault)
        if result.storage_error:
            self.notice.emit(result.storage_error)
        self.busy_changed.emit(False)
        self.turn_ended.emit()
        self.announce.emit(self.tr("CareChat answered: {answer}").format(answer=result.answer))

    def _on_failed(self, message: str) -> None:
        if self.discarding:
            self.discarding = False
            return
        self.buffer.flush()
        turn, self.turn = self.turn, None
        if turn is not None and turn.conversation_id == self.state.conversation_id:
            self.transcript.end_answer(status=MessageStatus.ERROR, text=turn.text, meta=message)
        self.notice.emit(message)
        self.busy_changed.emit(False)
        self.turn_ended.emit()
        self.announce.emit(message)
