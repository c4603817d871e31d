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

if TYPE_CHECKING:  # importing the engine pulls in torch; the GUI defers that
    from model import Engine

MAX_QUESTION_CHARS = 4000
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
    ) -> None:
        self.engine = engine
        self.max_new_tokens = max_new_tokens
        # Greedy by default: the same question gets the same answer, which a
        # clinic can review and a patient can trust to be stable.
        self.temperature = temperature
        self.instructions = instructions if instructions is not None else system_prompt()

    def messages_for(self, question: str, history: Sequence[Turn] = ()) -> list[dict]:
        """System prompt, as much recent history as fits, then the question."""
        system = {"role": "system", "content": self.instructions}
        asked = {"role": "user", "content": question}
        turns = [{"role": t.role, "content": t.content} for t in history]
        budget = self.engine.info.context_length - self.max_new_tokens
        # Drop the oldest exchanges first; the question and the rules always stay.
        while turns and self.engine.count_tokens([system, *turns, asked]) > budget:
            turns = turns[2:] if len(turns) > 1 else []
        return [system, *turns, asked]

    def answer(
        self,
        text: str,
        history: Sequence[Turn] = (),
        on_token: Callable[[str], None] | None = None,
        stop_event: threading.Event | None = None,
    ) -> TurnResult:
        question = clean_question(text)
        stream = self.engine.stream(
            self.messages_for(question, history),
            max_new_tokens=self.max_new_tokens,
            temperature=self.temperature,
            stop_event=stop_event,
        )
        pieces: list[str] = []
        for piece in stream:
            pieces.append(piece)
            if on_token is not None:
                on_token(piece)
        stats = stream.stats
        assert stats is not None  # set when the stream is exhausted
        info = self.engine.info
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
        )
