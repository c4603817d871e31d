"""What a turn is given and what it produces: plain frozen data, safe to hand
between threads and to the window."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from ..safety import Number
from ..vocabulary import Level, StopReason, TurnKind

if TYPE_CHECKING:
    from ..storage import TurnLog


@dataclass(frozen=True)
class Turn:
    """One earlier message of the conversation, as the model sees it."""

    role: str  # "user" or "assistant"
    content: str


@dataclass(frozen=True)
class Generation:
    """Who wrote the answer, and the engine's figures for it.

    For an answer CareChat wrote without the model (the safety rules, the
    library's own text) ``model`` names that writer and the figures are zero.
    """

    model: str
    device: str = ""
    ttft_ms: float = 0.0  # time to the first token
    tokens: int = 0
    tokens_per_s: float = 0.0
    prompt_tokens: int = 0
    rewrite_ms: float = 0.0  # time spent on the simpler rewrite, if one was tried


@dataclass(frozen=True)
class Emergency:
    """The safety rules found a present emergency: the model was not asked."""

    category: str  # e.g. "cardiac", "suicide"
    title: str  # the banner's heading
    numbers: tuple[Number, ...] = ()  # the numbers to call, for the patient's country


@dataclass(frozen=True)
class Edits:
    """What CareChat changed in the model's answer before keeping it."""

    doses_removed: int = 0  # sentences removed for stating a dose
    repeats_removed: int = 0  # sentences dropped because the model repeated itself
    # The streamed answer scored over the reading level and a simpler rewrite was kept.
    simplified: bool = False
    # The model wrote nothing usable (only repeats, or its prompt said back): the
    # answer is the best passage's own text (then the sources are its article),
    # or a referral to a clinician when no passage matched.
    fallback: bool = False
    # The model wrote an answer, but not from its passages (``grounding``): it
    # streamed, and the fallback above replaces it.
    off_passages: bool = False
    # How much likelier the model found its answer with the passages than without
    # (``support.passage_gain``); None where it was not measured.
    passage_gain: float | None = None


@dataclass(frozen=True)
class TurnResult:
    """What one turn produced.

    ``answer`` is the text to keep. When ``replaces_stream`` is true it is NOT the
    text that streamed (a simpler rewrite, or the library's text instead of an
    answer that was not from the passages), and the window and the CLI show
    ``answer`` in its place when the turn finishes.
    """

    question: str
    answer: str
    generation: Generation
    stop_reason: StopReason
    kind: TurnKind = TurnKind.ASK
    level: Level = Level.BASIC  # the reading level the answer was written for
    # Library articles the answer was grounded in, best first: {"id", "title",
    # "language", "url" (the article's first source), "urls" (all its sources)}.
    # Empty: the answer has no library source (the window says so).
    sources: tuple[dict, ...] = ()
    # StopReason.NOT_COVERED: the closest articles the search found (shaped like
    # ``sources``) for the patient to read; the answer was not drawn from them.
    related: tuple[dict, ...] = ()
    # The kept answer's scores (literacy.Readability.to_dict()) with "level",
    # "target_grade", "simplified", and "original" / "rewrite" (both texts' scores)
    # when a rewrite was tried: the record saved with the answer. Empty for an
    # answer of the safety rules.
    readability: dict = field(default_factory=dict)
    # Teach-back questions ({"question", "answer"}; "answer" is "" for generated
    # ones), for the window to send with the patient's reply (TurnKind.FEEDBACK).
    checks: tuple[dict, ...] = ()
    edits: Edits = Edits()
    emergency: Emergency | None = None  # set: the safety rules answered an emergency
    scope: str = ""  # "dose", "diagnosis" or "medication_change": answered by a referral
    history_left_out: int = 0  # earlier messages that did not fit the model's context
    message_id: int | None = None  # the saved answer, when the turn was saved
    storage_error: str = ""  # why the turn could not be saved, in plain words
    # StopReason.SERVER_FAULT: what went wrong with the clinic's server, in plain
    # words, for the window's notice and the CLI's standard error.
    fault: str = ""

    @property
    def stopped(self) -> bool:
        return self.stop_reason == StopReason.STOPPED

    @property
    def replaces_stream(self) -> bool:
        """Whether ``answer`` differs from the streamed text and must replace it."""
        return self.edits.simplified or self.edits.off_passages

    @property
    def target_grade(self) -> int:
        return self.level.grade

    def to_dict(self) -> dict:
        """One flat record, the one ``carechat ask --json`` prints (see the README)."""
        g, e, emergency = self.generation, self.edits, self.emergency
        return {
            "question": self.question, "answer": self.answer,
            "model": g.model, "device": g.device, "ttft_ms": g.ttft_ms, "tokens": g.tokens,
            "tokens_per_s": g.tokens_per_s, "prompt_tokens": g.prompt_tokens,
            "stop_reason": self.stop_reason.value,
            "message_id": self.message_id, "storage_error": self.storage_error,
            "emergency": emergency is not None,
            "category": emergency.category if emergency else "",
            "emergency_title": emergency.title if emergency else "",
            "numbers": [asdict(n) for n in emergency.numbers] if emergency else [],
            "scope": self.scope, "doses_removed": e.doses_removed,
            "history_left_out": self.history_left_out, "kind": self.kind.value,
            "level": self.level.value, "target_grade": self.target_grade,
            "sources": [dict(s) for s in self.sources], "readability": dict(self.readability),
            "simplified": e.simplified, "checks": [dict(c) for c in self.checks],
            "repeats_removed": e.repeats_removed, "rewrite_ms": g.rewrite_ms,
            "fallback": e.fallback, "off_passages": e.off_passages,
            "related": [dict(r) for r in self.related], "fault": self.fault,
        }


def where_saved(log: TurnLog | None) -> dict:
    """A result's ``message_id`` and ``storage_error`` for a turn ``log`` saved."""
    return {"message_id": log.answer_id if log is not None else None,
            "storage_error": str(log.error) if log is not None and log.error else ""}
