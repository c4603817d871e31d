"""One conversation turn, Qt-free; the GUI worker and ``carechat ask`` share it.

DESIGN.md's pipeline is safety → knowledge → literacy → model → storage. This is
the model step with the system prompt and the conversation so far; the other
steps plug in here as they land.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from .resources import read_text
from .safety import Number, triage
from .safety.scope import DoseFilter, scope_request

if TYPE_CHECKING:  # importing the engine pulls in torch; the GUI defers that
    from model import Engine

    from .storage import TurnLog

MAX_QUESTION_CHARS = 4000
SAFETY_RULES = "CareChat safety rules"  # the "model" of a turn the rules answered
DEFAULT_MAX_NEW_TOKENS = 320


class QuestionError(ValueError):
    """The patient's text cannot be sent as it is; the message says why."""


@dataclass(frozen=True)
class Turn:
    role: str  # "user" or "assistant"
    content: str


@dataclass(frozen=True)
class TurnResult:
    question: str
    answer: str
    model: str
    device: str
    ttft_ms: float
    tokens: int
    tokens_per_s: float
    prompt_tokens: int
    stop_reason: str  # "eos", "length" or "stopped"
    message_id: int | None = None  # the saved answer, when the turn was saved
    storage_error: str = ""  # why the turn could not be saved, in plain words
    emergency: bool = False  # answered by the safety rules; the model was not asked
    category: str = ""  # the emergency's category
    emergency_title: str = ""  # its heading, for the banner
    numbers: tuple[Number, ...] = ()  # numbers to call, for an emergency
    scope: str = ""  # "dose", "diagnosis" or "medication_change": answered by a referral
    doses_removed: int = 0  # sentences of the model's answer removed for stating a dose
    history_left_out: int = 0  # earlier messages that did not fit the model's context

    @property
    def stopped(self) -> bool:
        return self.stop_reason == "stopped"

    def to_dict(self) -> dict:
        return asdict(self)


def system_prompt() -> str:
    return read_text("prompts", "system.md").strip()


def clean_question(text: str) -> str:
    question = text.strip()
    if not question:
        raise QuestionError("Please type a question first.")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"Your message is {len(question):,} characters long. Please keep it under "
            f"{MAX_QUESTION_CHARS:,} characters, or ask one question at a time."
        )
    return question


class Assistant:
    """Answers a question in the context of the conversation so far."""

    def __init__(
        self,
        engine: Engine,
        *,
        max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS,
        temperature: float = 0.0,
        instructions: str | None = None,
        language: str = "en",
        country: str = "",
    ) -> None:
        self.engine = engine
        self.language = language
        self.country = country
        self.max_new_tokens = max_new_tokens
        # Greedy by default: the same question gets the same answer, which a
        # clinic can review and a patient can trust to be stable.
        self.temperature = temperature
        self.instructions = instructions if instructions is not None else system_prompt()

    def messages_for(
        self, question: str, history: Sequence[Turn] = (), max_new_tokens: int | None = None
    ) -> list[dict]:
        """System prompt, as much recent history as fits, then the question.

        The oldest exchanges are left out of the prompt first (never out of the
        saved history); the question and the rules always stay.
        """
        system = {"role": "system", "content": self.instructions}
        asked = {"role": "user", "content": question}
        turns = [{"role": t.role, "content": t.content} for t in history]
        budget = self.engine.info.context_length - (max_new_tokens or self.max_new_tokens)
        while turns and self.engine.count_tokens([system, *turns, asked]) > budget:
            turns = turns[2:] if len(turns) > 1 else []
        return [system, *turns, asked]

    def answer(
        self,
        text: str,
        history: Sequence[Turn] = (),
        on_token: Callable[[str], None] | None = None,
        stop_event: threading.Event | None = None,
        log: TurnLog | None = None,
        *,
        max_new_tokens: int | None = None,
        temperature: float | None = None,
    ) -> TurnResult:
        """Answer ``text``; with ``log``, the turn is saved as it happens.

        ``max_new_tokens`` and ``temperature`` override the assistant's own for
        this turn (the window's answer length; "Regenerate" samples).

        Safety comes first: an emergency gets the fixed, reviewed message and
        the numbers to call, and the model is not asked.
        """
        question = clean_question(text)
        ruled = answer_by_rules(question, self.language, self.country, on_token, log)
        if ruled is not None:
            return ruled
        if log is not None:
            log.begin(question)  # committed before the model starts
        doses = DoseFilter(self.language)
        pieces: list[str] = []

        def show(piece: str) -> None:
            if piece:
                pieces.append(piece)
                if on_token is not None:
                    on_token(piece)
                if log is not None:
                    log.progress(piece)

        max_new_tokens = max_new_tokens or self.max_new_tokens
        messages = self.messages_for(question, history, max_new_tokens)
        try:
            stream = self.engine.stream(
                messages,
                max_new_tokens=max_new_tokens,
                temperature=self.temperature if temperature is None else temperature,
                stop_event=stop_event,
            )
            for piece in stream:
                show(doses.feed(piece))
            show(doses.flush())
        except BaseException as exc:
            if log is not None:
                log.finish("cancelled" if isinstance(exc, KeyboardInterrupt) else "error")
            raise
        stats = stream.stats
        assert stats is not None  # set when the stream is exhausted
        info = self.engine.info
        if log is not None:
            log.finish(
                "cancelled" if stats.stop_reason == "stopped" else "complete",
                model=info.name,
                timings={"ttft_ms": stats.ttft_ms, "tokens": stats.tokens,
                         "tokens_per_s": stats.tokens_per_s, "total_ms": stats.total_ms},
            )
        return TurnResult(
            question=question,
            answer="".join(pieces).strip(),
            model=info.name,
            device=info.device,
            ttft_ms=stats.ttft_ms,
            tokens=stats.tokens,
            tokens_per_s=stats.tokens_per_s,
            prompt_tokens=stats.prompt_tokens,
            stop_reason=stats.stop_reason,
            message_id=log.answer_id if log is not None else None,
            storage_error=str(log.error) if log is not None and log.error else "",
            doses_removed=doses.removed,
            history_left_out=len(history) - (len(messages) - 2),
        )


def answer_by_rules(
    question: str,
    language: str = "en",
    country: str = "",
    on_token: Callable[[str], None] | None = None,
    log: TurnLog | None = None,
) -> TurnResult | None:
    """The turn, if reviewed rules answer it: an emergency, or a request out of scope.

    Needs no model, so the window can run it even while the model is loading or
    could not load: an emergency is never kept waiting.
    """
    triaged = triage(question, language, country)
    if triaged.emergency:
        return _rules_answer(question, triaged.message, on_token, log, emergency=True,
                             category=triaged.category, emergency_title=triaged.title,
                             numbers=triaged.numbers)
    request = scope_request(question, language)
    if request is not None:
        # Measured on the built-in model: asked for a dose, it invents one; asked
        # about stopping a medicine, it invents claims. These get the reviewed
        # referral, not the model.
        return _rules_answer(question, request.referral, on_token, log, scope=request.kind)
    return None


def _rules_answer(question, message, on_token, log, **fields) -> TurnResult:
    if log is not None:
        log.begin(question)
    if on_token is not None:
        on_token(message)
    if log is not None:
        log.progress(message)
        log.finish("complete", model=SAFETY_RULES)
    return TurnResult(
        question=question,
        answer=message,
        model=SAFETY_RULES,
        device="",
        ttft_ms=0.0,
        tokens=0,
        tokens_per_s=0.0,
        prompt_tokens=0,
        stop_reason="rules",
        message_id=log.answer_id if log is not None else None,
        storage_error=str(log.error) if log is not None and log.error else "",
        **fields,
    )
