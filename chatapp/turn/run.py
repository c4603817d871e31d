"""One turn in progress: what every kind of turn shares, and the steps after the model
(the literacy step's score and rewrite, then saving and the result)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..literacy import choose, needs_rewrite, score_text
from ..vocabulary import AnswerStyle, Level, MessageStatus, StopReason, TurnKind
from .generate import Output, generate
from .prompts import Prompts, rewrite_echoes
from .results import Edits, Generation, TurnResult, where_saved
from .texts import turn_texts

if TYPE_CHECKING:
    from model import Engine

    from ..knowledge import LibraryIndex, Passage
    from ..storage import TurnLog


@dataclass(frozen=True)
class Read:
    """The literacy step's verdict on an answer: the text to keep and its scores."""

    text: str
    record: dict  # saved with the answer (TurnResult.readability)
    simplified: bool = False
    rewrite_ms: float = 0.0
    doses_removed: int = 0  # by the rewrite, when it was kept


@dataclass
class TurnRun:
    """One turn: the question, where its text goes as it streams, and its settings.

    ``show`` sends a piece of the answer to the patient (``on_token``) and to the
    saved message (``log``); ``generate``, ``read`` and ``finish`` are the model
    step, the literacy step and the storage step that every kind of turn uses.
    """

    engine: Engine
    prompts: Prompts
    library: LibraryIndex | None
    question: str
    level: Level
    answer_style: AnswerStyle
    max_new_tokens: int
    temperature: float
    language: str = "en"  # the window's language, for text that has none of its own
    literacy: bool = True  # False: no writing rules, no plain words, no rewrite
    on_token: Callable[[str], None] | None = None
    on_status: Callable[[str], None] | None = None
    stop_event: threading.Event | None = None
    log: TurnLog | None = None
    passages: int = 3  # library passages per prompt
    # Shown before the answer and kept at its start: the "get help now if" signs
    # of a borderline message (safety.triage); empty for most turns.
    preface: str = ""
    streamed: str = ""  # what ``show`` has sent so far, the preface included

    def show_preface(self) -> None:
        if self.preface:
            self.show(f"{self.preface}\n\n")

    def with_preface(self, text: str) -> str:
        return f"{self.preface}\n\n{text}" if self.preface else text

    def show(self, piece: str) -> None:
        if piece:
            self.streamed += piece
            if self.on_token is not None:
                self.on_token(piece)
            if self.log is not None:
                self.log.progress(piece)

    def generate(self, messages: list[dict], language: str, *, max_new_tokens: int | None = None,
                 temperature: float | None = None, shown: bool = True,
                 echoes: Iterable[str] = (), plain: Level | None = None) -> Output:
        """The model step (``generate.generate``) with this turn's settings; ``plain``
        applies that level's plain words when literacy is on."""
        return generate(
            self.engine, messages,
            max_new_tokens=max_new_tokens or self.max_new_tokens,
            temperature=self.temperature if temperature is None else temperature,
            stop_event=self.stop_event, language=language,
            show=self.show if shown else None, echoes=echoes,
            plain=plain if self.literacy else None)

    def read(self, text: str, language: str, *, level: Level | None = None,
             rewrite: bool = False, grounded: Callable[[str], bool] | None = None) -> Read:
        """The literacy step after the model: score ``text`` at ``level`` (the turn's);
        with ``rewrite``, one grade or more over the level's tolerance, the model
        rewrites it once and the simpler text is kept only if it scores better and,
        given ``grounded``, still keeps to the passages (a rewrite may add a claim)."""
        level = level or self.level
        scores = score_text(text, language)
        record = {**scores.to_dict(), "level": level.value, "target_grade": level.grade,
                  "simplified": False}
        if not (rewrite and self.literacy and needs_rewrite(scores, level)):
            return Read(text, record)
        if self.on_status is not None:
            self.on_status(turn_texts(language).rewriting)
        started = time.perf_counter()
        messages = self.prompts.rewrite(text, level, self.answer_style, language,
                                        self.max_new_tokens)
        try:
            out = self.generate(messages, language, temperature=0.0, shown=False,
                                echoes=rewrite_echoes(level, language), plain=level)
        except Exception as exc:  # the first answer stands; the rewrite was a bonus
            return Read(text, {**record, "rewrite_error": f"{type(exc).__name__}: {exc}"},
                        rewrite_ms=_ms_since(started))
        elapsed = _ms_since(started)
        if out.stop_reason == StopReason.STOPPED:  # Stop during the rewrite: keep what was shown
            return Read(text, record, rewrite_ms=elapsed)
        if grounded is not None and not grounded(out.text):
            return Read(text, {**record, "rewrite_not_grounded": True}, rewrite_ms=elapsed)
        choice = choose(text, out.text, language)
        record = {**choice.readability.to_dict(), "level": level.value,
                  "target_grade": level.grade, "simplified": choice.rewritten,
                  "original": scores.to_dict(), "rewrite": score_text(out.text, language).to_dict()}
        return Read(choice.text, record, choice.rewritten, elapsed,
                    out.doses_removed if choice.rewritten else 0)

    def finish(self, kind: TurnKind, out: Output, read: Read, sources: tuple[dict, ...], *,
               level: Level | None = None, history_left_out: int = 0,
               checks: tuple[dict, ...] = (), fallback: bool = False,
               off_passages: bool = False, passage_gain: float | None = None) -> TurnResult:
        """The storage step for a model's answer, and the turn's result."""
        stats, info = out.stats, self.engine.info
        generation = Generation(info.name, info.device, stats.ttft_ms, stats.tokens,
                                stats.tokens_per_s, stats.prompt_tokens, read.rewrite_ms)
        if self.log is not None:
            self.log.finish(
                MessageStatus.CANCELLED if out.stop_reason == StopReason.STOPPED
                else MessageStatus.COMPLETE,
                model=info.name,
                timings={"ttft_ms": stats.ttft_ms, "tokens": stats.tokens,
                         "tokens_per_s": stats.tokens_per_s, "total_ms": stats.total_ms,
                         "prompt_tokens": stats.prompt_tokens, "rewrite_ms": read.rewrite_ms},
                content=self.with_preface(read.text), sources=sources,
                readability=read.record,
            )
        edits = Edits(doses_removed=out.doses_removed + read.doses_removed,
                      repeats_removed=out.repeats_removed, simplified=read.simplified,
                      fallback=fallback, off_passages=off_passages,
                      passage_gain=None if passage_gain is None else round(passage_gain, 3))
        return self.result(self.with_preface(read.text), generation, out.stop_reason, kind=kind,
                           level=level or self.level, sources=sources, readability=read.record,
                           checks=checks, edits=edits, history_left_out=history_left_out)

    def fixed_answer(self, text: str, stop_reason: StopReason, language: str, *,
                     kind: TurnKind = TurnKind.ASK, level: Level | None = None,
                     sources: tuple[dict, ...] = (), related: tuple[dict, ...] = (),
                     checks: tuple[dict, ...] = (), scored: bool = True,
                     scores: Mapping = (), content: str | None = None) -> TurnResult:
        """An answer CareChat writes itself, without the model: shown and saved like any.

        It is scored like a model's answer unless ``scored`` is False (a list of
        questions); ``scores`` are added to its readability record (the original's,
        for "simpler"). ``content``: the whole answer when ``text`` only ends what
        already streamed (a server's answer cut off); saved as it streamed.
        """
        level = level or self.level
        writer = turn_texts(language).library_model
        self.show(text)
        record = {}
        if scored:
            record = {**score_text(text, language).to_dict(), "level": level.value,
                      "target_grade": level.grade, "simplified": False, **dict(scores)}
        if self.log is not None:
            self.log.finish(MessageStatus.COMPLETE, model=writer, readability=record or None,
                            sources=sources,
                            content=self.with_preface(text) if self.preface else None)
        return self.result(self.with_preface(text if content is None else content),
                           Generation(writer), stop_reason,
                           kind=kind, level=level,
                           sources=sources, related=related, readability=record, checks=checks)

    def result(self, answer: str, generation: Generation, stop_reason: StopReason,
               **fields) -> TurnResult:
        """The turn's result, with where it was saved (or why it could not be)."""
        return TurnResult(question=self.question, answer=answer, generation=generation,
                          stop_reason=stop_reason, **where_saved(self.log), **fields)


def retrieve(library: LibraryIndex | None, question: str, language: str,
             limit: int) -> tuple[Passage, ...]:
    """The knowledge step: the best ``limit`` passages for ``question``; none without
    a library."""
    if library is None or limit <= 0:
        return ()
    return library.search(question, language, limit=limit)


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
