"""The model step: stream one answer through the filters, stoppable at any token."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from model.errors import ServerError

from ..literacy import steps_for
from ..safety.scope import DoseFilter
from ..sentences import SentenceChecks
from ..vocabulary import Level, StopReason
from .filters import PlainWords, RepeatGuard

if TYPE_CHECKING:
    from model import Engine
    from model.engine import GenerationStats


@dataclass(frozen=True)
class Output:
    """One streamed answer, as the patient saw it."""

    text: str
    stats: GenerationStats
    stop_reason: StopReason
    doses_removed: int = 0
    repeats_removed: int = 0


class Halt(threading.Event):
    """The engine's stop signal: the patient's Stop, or CareChat's own (a loop)."""

    def __init__(self, patient: threading.Event | None) -> None:
        super().__init__()
        self._patient = patient

    def is_set(self) -> bool:
        return self.halted or (self._patient is not None and self._patient.is_set())

    @property
    def halted(self) -> bool:
        """Whether CareChat itself stopped the answer."""
        return threading.Event.is_set(self)


def generate(
    engine: Engine,
    messages: list[dict],
    *,
    max_new_tokens: int,
    temperature: float,
    stop_event: threading.Event | None,
    language: str,
    show: Callable[[str], None] | None = None,
    echoes: Iterable[str] = (),
    plain: Level | None = None,
) -> Output:
    """Stream one answer through the dose filter, the repeat guard and, with
    ``plain``, that level's plain-language edits; ``show`` hears each shown piece.

    The system prompt, and ``echoes``, are never shown back to the patient. A loop
    stops the engine (StopReason.REPEATING), and so does ``stop_event``.
    """
    doses = DoseFilter(language)
    guard = RepeatGuard(echoes=[messages[0]["content"], *echoes])
    words = [PlainWords(plain, language)] if plain is not None and steps_for(plain, language) \
        else []
    checks = SentenceChecks(doses, guard, *words)
    halt = Halt(stop_event)
    pieces: list[str] = []

    def emit(piece: str) -> None:
        if piece:
            pieces.append(piece)
            if show is not None:
                show(piece)

    stream = engine.stream(messages, max_new_tokens=max_new_tokens, temperature=temperature,
                           stop_event=halt)
    try:
        for piece in stream:
            if halt.halted:
                continue  # an engine that cannot stop early: drain it unseen
            emit(checks.feed(piece))
            if guard.looping:
                halt.set()
    except ServerError:
        # The server failed mid-answer: its unfinished sentence is shown (checked,
        # as at Stop) before the pipeline marks the answer as cut off.
        if not halt.halted:
            emit(checks.flush())
        raise
    if not halt.halted:  # cut off in a loop, the unfinished sentence goes too
        emit(checks.flush())
    stats = stream.stats
    assert stats is not None  # set when the stream is exhausted
    reason = StopReason(stats.stop_reason)
    if halt.halted and not (stop_event is not None and stop_event.is_set()):
        reason = StopReason.REPEATING
    return Output("".join(pieces).strip(), stats, reason, doses.removed, guard.removed)
