"""What happens to a patient's message, top to bottom. Start reading here.

``Assistant.answer`` runs one turn, the same for the window and ``carechat ask``:

1. **safety** (``rules``): an emergency (the rules or the learned screen) or an
   out-of-scope request gets a fixed, reviewed answer; the model is not asked. A
   borderline message's answer starts with the "get help now if" signs.
2. **knowledge**: the best library passages for the question (``Assistant.retrieve``),
   in the question's language. No article on it: a fixed "not covered" answer.
3. **literacy**: the reading level's writing rules and the passages at that level go
   into the prompt (``prompts``).
4. **model** (``generate``): the answer streams through the dose filter, the repeat
   guard and the level's plain words (``filters``); an answer not written from its
   passages is replaced by the library's own text (``grounding``).
5. **literacy** (``TurnRun.read``): the answer is scored; one grade or more over the
   level's tolerance, the model rewrites it once, and the simpler text is kept only
   if it scores better.
6. **storage** (``TurnRun.finish``): the question was saved before the model
   started; the answer was saved as it streamed, and now with its sources and scores.

Besides a question (``TurnKind.ASK``) a turn can be one of the window's buttons
about an earlier answer (``buttons``): explain it simpler, check my understanding,
and the feedback on the patient's own-words answer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from model.errors import ServerError

from ..literacy import score_text
from ..vocabulary import (
    AnswerStyle,
    Level,
    MessageStatus,
    StopReason,
    TurnKind,
    parse_answer_style,
    parse_level,
    parse_turn_kind,
)
from . import buttons
from .grounding import keeps_to_passages
from .prompts import DEFAULT_MAX_NEW_TOKENS, Prompts, passage_label, passage_text, sources_of
from .questions import clean_question, turn_language
from .results import Turn, TurnResult
from .rules import SafetyCheck, answer_by_rules, check_safety
from .run import TurnRun, retrieve
from .support import passage_gain
from .texts import is_small_talk, system_prompt, turn_texts

if TYPE_CHECKING:  # importing the engine pulls in torch; the GUI defers that
    from model import Engine

    from ..knowledge import LibraryIndex, Passage
    from ..storage import TurnLog

PASSAGES = 3  # library passages per prompt


class Assistant:
    """Answers a question in the context of the conversation so far.

    ``library``: the knowledge step's index; None answers without the library
    (the ungrounded baseline of benchmarks/eval_grounding.py, and tests).
    ``literacy``: False leaves out the level's writing rules and the rewrite (the
    plain baseline of benchmarks/eval_readability.py); answers are still scored.
    ``level`` and ``answer_style`` are the defaults of turns that give none.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS,
        temperature: float = 0.0,
        instructions: str | None = None,
        language: str = "en",
        country: str = "",
        library: LibraryIndex | None = None,
        level: Level | str = Level.BASIC,
        answer_style: AnswerStyle | str = AnswerStyle.SHORT,
        literacy: bool = True,
        passages: int = PASSAGES,
    ) -> None:
        self.engine = engine
        self.language = language
        self.country = country
        self.max_new_tokens = max_new_tokens
        # Greedy by default: the same question gets the same answer, which a
        # clinic can review and a patient can trust to be stable.
        self.temperature = temperature
        self.library = library
        self.level = parse_level(level)
        self.answer_style = parse_answer_style(answer_style)
        self.literacy = literacy
        self.passages = passages
        self.prompts = Prompts(engine, system_prompt() if instructions is None else instructions,
                               literacy=literacy, grounded=library is not None)

    def retrieve(self, question: str, language: str) -> tuple[Passage, ...]:
        """The knowledge step: the best passages for ``question``, or none without a library."""
        return retrieve(self.library, question, language, self.passages)

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
        kind: TurnKind | str = TurnKind.ASK,
        level: Level | str | None = None,
        answer_style: AnswerStyle | str | None = None,
        target_text: str = "",
        checks: Iterable[Mapping[str, str]] = (),
        sources: Iterable[Mapping] = (),
        on_status: Callable[[str], None] | None = None,
        safety: SafetyCheck | None = None,
    ) -> TurnResult:
        """Run one turn; with ``log``, it is saved as it happens.

        ``text`` is what the patient sent, saved as the question: the question
        (``ASK``), the patient's own-words reply (``FEEDBACK``), or the button's
        words ("Explain it simpler", "Check my understanding"). Safety comes first
        for every kind. ``target_text``, ``checks`` and ``sources`` are the earlier
        answer a button is about (see ``buttons``).

        ``level`` and ``answer_style`` override the assistant's own for this turn
        (the profile's); ``max_new_tokens`` and ``temperature`` too (the window's
        answer length; "Regenerate" samples). ``on_status`` hears what the turn is
        doing while nothing streams (the rewrite). ``safety``: the safety step the
        window already ran on this question (used when it is for the same text),
        so the screens do not run twice.
        """
        kind = parse_turn_kind(kind)
        question = clean_question(text)
        level = parse_level(level or self.level)
        answer_style = parse_answer_style(answer_style or self.answer_style)
        checked = safety
        if checked is None or checked.question != question:
            checked = check_safety(question, self.language, self.country,
                                   reply=kind == TurnKind.FEEDBACK)
        ruled = answer_by_rules(question, self.language, self.country, on_token, log,
                                checked=checked)
        if ruled is not None:
            return replace(ruled, kind=kind, level=level)
        target = target_text.strip()
        checks = tuple(buttons.check_dict(c) for c in checks)
        buttons.require_target(kind, target, checks)
        run = TurnRun(
            self.engine, self.prompts, self.library, question, level, answer_style,
            max_new_tokens or self.max_new_tokens,
            self.temperature if temperature is None else temperature,
            language=self.language, literacy=self.literacy, on_token=on_token,
            on_status=on_status, stop_event=stop_event, log=log, passages=self.passages,
            preface=checked.preface)
        if log is not None:
            log.begin(question)  # committed before the model starts
        run.show_preface()
        try:
            if kind == TurnKind.ASK:
                return ask(run, history)
            return buttons.answer(run, kind, target, checks, tuple(dict(s) for s in sources))
        except BaseException as exc:
            if log is not None:
                log.finish(MessageStatus.CANCELLED if isinstance(exc, KeyboardInterrupt)
                           else MessageStatus.ERROR)
            raise


def ask(run: TurnRun, history: Sequence[Turn]) -> TurnResult:
    """A question, after the safety step: knowledge → literacy → model → literacy → storage."""
    language = turn_language(run.question, run.language)
    texts = turn_texts(language)
    # With the library, "hello" would be "not covered"; without it, the model
    # may answer small talk as before.
    if run.library is not None and is_small_talk(run.question, language):
        return run.fixed_answer(texts.small_talk, StopReason.SMALL_TALK, language)

    found = retrieve(run.library, run.question, language, run.passages)
    if not covered(run, history, language):
        return not_covered(run, found, language)

    prompt = run.prompts.for_question(
        run.question, history, found, level=run.level, answer_style=run.answer_style,
        language=language, max_new_tokens=run.max_new_tokens)
    used = prompt.passages
    shown_at = run.prompts.shown_level(run.level)
    before = len(run.streamed)
    try:
        out = run.generate(prompt.messages, language, plain=run.level,
                           echoes=[passage_label(p) for p in used] + [texts.passages])
    except ServerError as exc:
        return server_fault(run, exc, run.streamed[before:], used, language, shown_at)

    stopped = out.stop_reason == StopReason.STOPPED
    judged = bool(out.text) and not stopped
    gain = None
    # The model reads its answer again only when the checks on its words keep it:
    # an answer they replace needs no gain (the reading takes up to 2 s on the 1.5B).
    if judged and used and keeps_to_passages(out.text, used, run.question, language, shown_at):
        gain = passage_gain(run.engine, prompt.messages, run.question, out.stats.token_ids,
                            out.stats.logprobs)
    off = judged and not keeps_to_passages(out.text, used, run.question, language, shown_at,
                                           gain=gain)
    fallback = (not out.text and not stopped) or off
    if fallback:
        # Nothing usable was written (all of it repeats or the prompt said back),
        # or not from the passages: give the library's own words, or a referral,
        # never nothing.
        text = (f"{texts.fallback_library}\n\n{passage_text(used[0], shown_at)}"
                if used else texts.fallback_none)
        if not off:  # else it replaces what streamed (TurnResult.replaces_stream)
            run.show(text)
        out = replace(out, text=text)

    # The library's own words are reviewed text written for this level: the model
    # does not rewrite them (they are still scored).
    read = run.read(out.text, language, rewrite=not stopped and not fallback,
                    grounded=lambda text: keeps_to_passages(text, used, run.question, language,
                                                            shown_at))
    return run.finish(TurnKind.ASK, out, read, sources_of(used[:1] if fallback else used),
                      history_left_out=prompt.history_left_out, fallback=fallback,
                      off_passages=off, passage_gain=gain)


def server_fault(run: TurnRun, exc: ServerError, partial: str, used: Sequence[Passage],
                 language: str, shown_at: Level) -> TurnResult:
    """The clinic's server failed during the answer: what it wrote stays, marked as
    cut off, and the best passage's own text follows (or a referral without one).

    Saved as complete, since the library's text is whole; ``TurnResult.fault``
    says what went wrong, for the window and the CLI.
    """
    texts = turn_texts(language)
    parts = [f"\n\n{texts.server_cut}\n\n"] if partial.strip() else []
    parts.append(f"{texts.server_library}\n\n{passage_text(used[0], shown_at)}" if used
                 else texts.server_none)
    result = run.fixed_answer("".join(parts), StopReason.SERVER_FAULT, language,
                              sources=sources_of(used[:1]), scored=False,
                              content=(partial + "".join(parts)).strip())
    return replace(result, fault=str(exc))


def covered(run: TurnRun, history: Sequence[Turn], language: str) -> bool:
    """Whether the library has an article on the question, or, for a follow-up
    ("how long does it last?"), on the question together with the one before."""
    library = run.library
    if library is None or run.passages <= 0 or library.covers(run.question, language):
        return True
    previous = next((t.content for t in reversed(history) if t.role == "user"), "")
    # Only when the follow-up brings no topic word of its own that the library
    # lacks: "and what about lupus?" after the flu is still not covered.
    return (bool(previous) and not library.unknown_words(run.question)
            and library.covers(f"{previous}\n{run.question}", language))


def not_covered(run: TurnRun, found: Sequence[Passage], language: str) -> TurnResult:
    """The fixed answer for a question the library has no article on.

    Told that the library has nothing on the question, the built-in model answered
    from its own "knowledge" anyway (benchmarks/RESULTS.md, "Questions the library
    does not cover"), and passages that only share common words with the question
    hold nothing right for it to copy. So the model is not asked: the answer says
    the library does not cover it, refers to a clinician, and names the closest
    articles for the patient to read.
    """
    texts = turn_texts(language)
    related = sources_of(found)
    text = texts.not_covered
    if related:
        text += f"\n\n{texts.closest_topics}\n" + "\n".join(f"- {r['title']}" for r in related)
    return run.fixed_answer(text, StopReason.NOT_COVERED, language, related=related)


def warm_up() -> None:
    """Load the readability dictionaries (the first English score takes ~1 s) and the
    learned safety screens now.

    Call it once off the UI thread, so that the first answer is not kept waiting.
    """
    score_text("Drink water when you feel thirsty.", "en")
    score_text("口渴的时候要喝水。", "zh")
    check_safety("Drink water when you feel thirsty.")

