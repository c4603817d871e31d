"""One conversation turn, Qt-free; the GUI worker and ``carechat ask`` share it.

DESIGN.md's pipeline, in order:

1. **safety**: reviewed rules answer an emergency or an out-of-scope request;
   the model is not asked.
2. **knowledge**: the best library passages for the question (``library``), in
   the question's language; the prompt tells the model to answer from them only.
3. **literacy**: the reading level's writing rules go into the prompt.
4. **model**: the answer streams through the dose filter and the repeat guard.
5. **literacy**: the answer is scored; one grade or more over the level's
   tolerance, the model rewrites it once, and the simpler text is kept only if
   it scores better (``TurnResult.simplified``).
6. **storage**: the question was saved before the model started; the answer is
   saved as it streams, then with its sources and scores.

Besides a question (``kind="ask"``) a turn can be one of the window's buttons:
``"simpler"`` (explain an answer again, one reading level down), ``"teach_back"``
(1-2 "say it in your own words" questions about an answer) and ``"feedback"``
(a kind reply to the patient's own-words answer). See :meth:`Assistant.answer`.
"""

from __future__ import annotations

import re
import threading
import time
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING

from .knowledge.text import HAN_RUN, content_words, normalize
from .literacy import (
    ANSWER_LENGTHS,
    ORDER,
    Level,
    choose,
    feedback_prompt,
    needs_rewrite,
    parse_level,
    rewrite_instruction,
    score_text,
    simpler,
    simplify_sentence,
    steps_for,
    style_instructions,
    teach_back,
)
from .resources import read_text, resource_path
from .safety import Number, triage
from .safety.scope import (
    DoseFilter,
    SentenceChecks,
    SentenceFilter,
    scope_request,
)
from .sentences import SENTENCE_END

if TYPE_CHECKING:  # importing the engine pulls in torch; the GUI defers that
    from model import Engine
    from model.engine import GenerationStats

    from .knowledge import LibraryIndex, Passage, Section
    from .storage import TurnLog

MAX_QUESTION_CHARS = 4000
SAFETY_RULES = "CareChat safety rules"  # the "model" of a turn the rules answered
DEFAULT_MAX_NEW_TOKENS = 320
KINDS = ("ask", "simpler", "teach_back", "feedback")
PASSAGES = 3  # library passages per prompt
# Characters of one passage in the prompt. The built-in model reads about 4 English
# characters (or 0.7 Chinese ones) per token and its first-token time grows with the
# prompt (benchmarks/eval_grounding.py measures it): three clipped passages add
# about 300 tokens. A passage is cut at a sentence end, never mid-word.
PASSAGE_CHARS = {"en": 450, "zh": 160}
REPEATS_TO_STOP = 3  # sentences said again before the answer is cut off as a loop
TEACH_BACK_TOKENS = 96  # a generated teach-back is one or two short questions

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")
LIST_MARK = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s*")


class QuestionError(ValueError):
    """The patient's text cannot be sent as it is; the message says why."""


@dataclass(frozen=True)
class Turn:
    role: str  # "user" or "assistant"
    content: str


@dataclass(frozen=True)
class TurnResult:
    """What one turn produced; plain data, safe to hand to the UI thread.

    ``answer`` is the text to keep. When ``simplified`` is True it is NOT the text
    that was streamed: the streamed answer scored over the reading level and a
    simpler rewrite was kept, so the window replaces the streamed text with
    ``answer`` when the turn finishes (see :attr:`replaces_stream`).
    """

    question: str
    answer: str
    model: str
    device: str
    ttft_ms: float
    tokens: int
    tokens_per_s: float
    prompt_tokens: int
    # "eos", "length" or "stopped" (the patient's Stop); "repeating" when the model
    # began to say the same sentences again and was cut off; "rules" for an answer
    # of the safety rules, "library" for teach-back questions from an article or a
    # "simpler" answer that is the library's own easier text, and
    # "not_covered" when the library has no article on the question (see ``related``),
    # "small_talk" for a greeting or thanks (both written without the model).
    stop_reason: str
    message_id: int | None = None  # the saved answer, when the turn was saved
    storage_error: str = ""  # why the turn could not be saved, in plain words
    emergency: bool = False  # answered by the safety rules; the model was not asked
    category: str = ""  # the emergency's category
    emergency_title: str = ""  # its heading, for the banner
    numbers: tuple[Number, ...] = ()  # numbers to call, for an emergency
    scope: str = ""  # "dose", "diagnosis" or "medication_change": answered by a referral
    doses_removed: int = 0  # sentences of the model's answer removed for stating a dose
    history_left_out: int = 0  # earlier messages that did not fit the model's context
    kind: str = "ask"  # one of KINDS
    level: str = Level.BASIC.value  # the reading level the answer was written for
    target_grade: int = Level.BASIC.grade  # that level's highest school grade
    # Library articles the answer was grounded in, best first: {"id", "title",
    # "language", "url" (the article's first source), "urls" (all its sources)}.
    # Empty: the answer has no library source (the window says so).
    sources: tuple[dict, ...] = ()
    # The kept answer's scores (literacy.Readability.to_dict(): "fk_grade", "smog",
    # "grade" in English; "sentence_length", "common_share" in Chinese), with
    # "level", "target_grade", "simplified", and "original" / "rewrite" (both texts'
    # scores) when a rewrite was tried. Empty for an answer of the safety rules.
    readability: dict = field(default_factory=dict)
    simplified: bool = False  # a simpler rewrite replaced the streamed answer
    # Teach-back questions ({"question", "answer"}; "answer" is "" for generated
    # ones), for the window to send with the patient's reply (kind="feedback").
    checks: tuple[dict, ...] = ()
    repeats_removed: int = 0  # sentences dropped because the model repeated itself
    rewrite_ms: float = 0.0  # time spent on the simpler rewrite, if one was tried
    # The model wrote nothing usable (only repeats, or its prompt said back): the
    # answer is the best passage's own text (then ``sources`` is its article), or
    # a referral to a clinician when no passage matched.
    fallback: bool = False
    # The model wrote an answer, but not from its passages ("You've already written
    # a great summary…", "You are a doctor."): it streamed, and ``answer`` (the
    # fallback above) replaces it.
    off_passages: bool = False
    # stop_reason "not_covered": the library has no article on the question, so
    # the model was not asked; the answer says so and refers to a clinician.
    # ``related`` are the closest articles the search found (shaped like
    # ``sources``), for the patient to read; the answer was not drawn from them.
    related: tuple[dict, ...] = ()

    @property
    def stopped(self) -> bool:
        return self.stop_reason == "stopped"

    @property
    def replaces_stream(self) -> bool:
        """Whether ``answer`` differs from the streamed text and must replace it."""
        return self.simplified or self.off_passages

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class TurnTexts:
    """What a turn adds to the prompt in one language (resources/prompts/turns.toml)."""

    grounding: str
    no_passages: str
    passages: str
    rewrite_label: str
    rewriting: str
    library_model: str
    fallback_library: str
    fallback_none: str
    not_covered: str
    closest_topics: str
    small_talk: str


def system_prompt() -> str:
    return read_text("prompts", "system.md").strip()


@cache
def _turns_table(language: str) -> dict:
    with resource_path("prompts", "turns.toml").open("rb") as fh:
        return tomllib.load(fh)[language]


@cache
def turn_texts(language: str) -> TurnTexts:
    table = _turns_table(language)
    return TurnTexts(**{name: table[name].strip() for name in TurnTexts.__dataclass_fields__})


@cache
def _small_talk_phrases(language: str) -> frozenset[str]:
    return frozenset(_bare(p) for p in _turns_table(language)["small_talk_phrases"])


def _bare(text: str) -> str:
    return re.sub(r"[\W_]+", "", normalize(text))


def is_small_talk(text: str, language: str = "en") -> bool:
    """Only a greeting or thanks ("Hi!", "thank you", "谢谢"), no question in it."""
    return _bare(text) in _small_talk_phrases(language)


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


def turn_language(text: str, default: str = "en") -> str:
    """The language a turn is in: its text's, whatever the window's language is.

    A question in Chinese is searched, answered and scored as Chinese even in an
    English window (and the other way round); a Han character counts as much as
    two Latin letters. Text with neither (digits, emoji) keeps ``default``.
    """
    han = len(HAN.findall(text))
    latin = len(LATIN.findall(text))
    if han and 2 * han >= latin:
        return "zh"
    if latin:
        return "en"
    return default


def warm_up() -> None:
    """Load the readability dictionaries now (the first English score takes ~1 s).

    Call it once off the UI thread, so that the first answer is not kept waiting.
    """
    score_text("Drink water when you feel thirsty.", "en")
    score_text("口渴的时候要喝水。", "zh")


@dataclass(frozen=True)
class GroundingRule:
    """How ``keeps_to_passages`` judges an answer in one language."""

    min_units: int  # shorter: not an answer ("You are a doctor.")
    loop_share: float  # at most this share of different units: a loop
    min_share: float  # at least this share of the answer must be in the passages
    # Chinese: the share counts runs of this many characters (length and loops
    # count pairs); English counts content words for all three.
    gram: int = 2


# English, measured with benchmarks/eval_grounding.py: the answers that copied the
# library had 80-100 % of their content words in the passages (and the question),
# the ones that read the passages as the patient's own text ("You've already
# written a great summary…") 0-29 %, and "You are a doctor." had one word. The
# lowest share of different content words among the 96 grounded answers of
# benchmarks/eval_readability.py was 0.42; a loop inside a sentence has far fewer.
#
# Chinese, measured on the built-in model's answers to the first 12 questions of
# benchmarks/eval_readability.py --language zh at each level: the answers that
# copied the library had 88-100 % of their four-character runs in the passages and
# 82-100 % different character pairs; the rest were loops ("病病病…", "感冒和流感 -
# 感冒和流感 - …", 2-39 % different pairs), made-up mixtures of passage words
# ("糖糖高血压的风险…", 0-71 % of their runs in the passages) or a heading ("戒烟 -
# 怎样帮忙？", under 12 pairs). Four-character runs, not pairs, because a mixture of
# the passages' own words has most of their pairs but few of their longer runs.
# Checked on the other 8 questions: of 24 answers, 21 were replaced (20 junk by
# my reading, one a copy of its passage said twice) and 2 kept (one copy, one
# list with a garbled item).
GROUNDING = {
    "en": GroundingRule(min_units=6, loop_share=0.3, min_share=0.6),
    "zh": GroundingRule(min_units=12, loop_share=0.5, min_share=0.8, gram=4),
}


def answer_units(text: str, language: str, gram: int = 2) -> list[str]:
    """What ``keeps_to_passages`` counts: English content words (``gram`` does not
    apply), or runs of ``gram`` Chinese characters."""
    if language == "zh":
        return [run[i:i + gram] for run in HAN_RUN.findall(text)
                for i in range(len(run) - gram + 1)]
    return content_words(text)


def keeps_to_passages(answer: str, passages: Sequence[Passage], question: str,
                      language: str = "en", level: Level | None = Level.BASIC) -> bool:
    """Whether ``answer`` is written from ``passages`` as the prompt gave them at
    ``level`` (see ``passage_text``), and is not a loop (see ``GROUNDING``).

    Passages in another language than the answer's (a Chinese question on a topic
    the library has only in English) cannot be compared word for word: then only
    the length and the loop are checked.
    """
    if not passages:
        return True
    rule = GROUNDING.get(language, GROUNDING["en"])
    said = answer_units(answer, language)
    if len(said) < rule.min_units or len(set(said)) / len(said) <= rule.loop_share:
        return False
    same_language = [p for p in passages if p.language == language]
    if not same_language:
        return True
    shown = " ".join(passage_text(p, level) for p in same_language)
    units = answer_units(answer, language, rule.gram) if language == "zh" else said
    if not units:
        return False
    known = set(answer_units(f"{question} {shown}", language, rule.gram))
    return sum(unit in known for unit in units) / len(units) >= rule.min_share


def passage_text(passage: Passage | Section, level: Level | None,
                 language: str | None = None) -> str:
    """What the prompt shows of a passage (or of an article's section, in
    ``language``): the library's text for the reading level (knowledge.level_texts;
    None: the article's own, basic text), clipped."""
    text = passage.text if level is None else passage.text_at(level.value)
    language = language or passage.language
    return clip(text, PASSAGE_CHARS.get(language, PASSAGE_CHARS["en"]))


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a sentence end (or a word end)."""
    text = text.strip()
    if len(text) <= limit:
        return text
    head = text[:limit]
    ends = [m.end() for m in SENTENCE_END.finditer(head)]
    if ends and ends[-1] >= limit // 3:
        return head[: ends[-1]].rstrip()
    cut = head.rsplit(" ", 1)[0] if " " in head else head
    return cut.rstrip(" ,;:") + "…"


def sources_of(passages: Iterable[Passage]) -> tuple[dict, ...]:
    """One source per article, in the passages' order: what an answer cites."""
    found: dict[tuple[str, str], dict] = {}
    for p in passages:
        key = (p.article_id, p.language)
        if key not in found:
            urls = [s.url for s in p.sources]
            found[key] = {"id": p.article_id, "title": p.title, "language": p.language,
                          "url": urls[0] if urls else "", "urls": urls}
    return tuple(found.values())


def rewrite_echoes(level: Level, language: str) -> tuple[str, ...]:
    """What a rewrite must not say back: its instruction (not the text to rewrite,
    whose plain sentences it may well keep)."""
    return rewrite_instruction(level, language), turn_texts(language).rewrite_label


def passage_label(passage: Passage) -> str:
    """The line above a passage in the prompt: its article and section."""
    return f"{passage.title} - {passage.heading}:"


class RepeatGuard(SentenceFilter):
    """Drops sentences the answer already said, or that say the prompt back; reports a loop.

    The small built-in model, decoding greedily, often starts to repeat one or two
    sentences until it runs out of tokens, and with library passages in the
    prompt it sometimes recites its instructions ("You are CareChat...", the
    writing rules) or the passages' labels. Such a sentence is dropped (text is
    held until its sentence ends, like the dose filter): the patient never sees
    the prompt. After ``REPEATS_TO_STOP`` repeats, or as many echoes, the answer
    is cut off, which also saves the time of generating the rest.
    """

    def __init__(self, limit: int = REPEATS_TO_STOP, echoes: Iterable[str] = ()) -> None:
        super().__init__()
        self.limit = limit
        self.removed = 0
        self.echoed = 0
        # Sentences of the prompt the model must not say back.
        # Cut both at line ends (a rule per line) and, with lines joined, at
        # sentence ends only (a sentence the prompt wraps over two lines).
        self._echoes = {_sentence_key(part) for text in echoes
                        for cut in (text, re.sub(r"(?<=\S)\n(?=\S)", " ", text))
                        for part in SENTENCE_END.split(cut)} - {""}
        self._seen: set[str] = set()

    @property
    def looping(self) -> bool:
        return self.removed >= self.limit or self.echoed >= self.limit

    def _check(self, sentence: str) -> str:
        key = _sentence_key(sentence)
        if not key:
            return sentence  # spacing, list numbers, punctuation: keep the layout
        if key in self._echoes or ROLE_ECHO.match(key):
            self.echoed += 1
            return ""
        if key in self._seen:
            self.removed += 1
            return ""
        self._seen.add(key)
        return sentence


class PlainWords(SentenceFilter):
    """The level's plain-language edits (``literacy.simplify_sentence``), as the text streams.

    Applied to each sentence as it is shown (one of ``_generate``'s checks), not
    after, so the answer does not change under the patient's eyes.
    """

    def __init__(self, level: Level, language: str) -> None:
        super().__init__()
        self.level = level
        self.language = language

    def _check(self, sentence: str) -> str:
        return simplify_sentence(sentence, self.level, self.language)


# The model talking to itself in its instructions' words, however garbled ("You're
# CareChat, a patient-education assistant.", "You are CareChat, a patient who is
# caring for a patient."): never part of an answer to a patient.
ROLE_ECHO = re.compile(r"(?:you are|you re|your|你是) carechat\b")


def _sentence_key(sentence: str) -> str:
    """A sentence's words, lower case, without list marks or punctuation."""
    return " ".join(re.findall(r"\w+", LIST_MARK.sub("", sentence).lower()))


class _Halt(threading.Event):
    """The engine's stop signal: the patient's Stop, or CareChat's own (a loop)."""

    def __init__(self, patient: threading.Event | None) -> None:
        super().__init__()
        self._patient = patient

    def is_set(self) -> bool:
        return self.halted or (self._patient is not None and self._patient.is_set())

    @property
    def halted(self) -> bool:
        return threading.Event.is_set(self)


@dataclass(frozen=True)
class _Output:
    text: str
    stats: GenerationStats
    stop_reason: str
    doses_removed: int
    repeats_removed: int


@dataclass(frozen=True)
class _Read:
    """The literacy step's verdict on an answer."""

    text: str
    record: dict
    simplified: bool = False
    rewrite_ms: float = 0.0
    doses_removed: int = 0


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
        answer_style: str = "short",
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
        self.instructions = instructions if instructions is not None else system_prompt()
        self.library = library
        self.level = parse_level(level)
        self.answer_style = _answer_style(answer_style)
        self.literacy = literacy
        self.passages = passages

    # --- prompts ---------------------------------------------------------------------

    def system_message(self, level: Level, answer_style: str, language: str,
                       grounding: str = "", *, styled: bool = True) -> dict:
        """The rules, then the level's writing rules, then what to do with the library."""
        parts = [self.instructions]
        if self.literacy and styled:
            parts.append(style_instructions(level, language, answer_style))
        if grounding:
            parts.append(grounding)
        return {"role": "system", "content": "\n\n".join(parts)}

    def _fitting(self, build: Callable[[bool], list[dict]], max_new_tokens: int) -> list[dict]:
        """``build(styled=True)``, or without the writing rules when that leaves the
        answer no room: a model with a short context still gets the safety rules."""
        messages = build(True)
        budget = self.engine.info.context_length - max_new_tokens
        if self.literacy and self.engine.count_tokens(messages) > budget:
            return build(False)
        return messages

    def shown_level(self, level: Level) -> Level | None:
        """The level passages are shown at: the turn's, or None (their basic text) for
        the plain prompt without literacy."""
        return level if self.literacy else None

    def retrieve(self, question: str, language: str) -> tuple[Passage, ...]:
        """The knowledge step: the best passages for ``question``, or none without a library."""
        if self.library is None or self.passages <= 0:
            return ()
        return self.library.search(question, language, limit=self.passages)

    def messages_for(
        self,
        question: str,
        history: Sequence[Turn] = (),
        max_new_tokens: int | None = None,
        *,
        passages: Sequence[Passage] = (),
        level: Level | str | None = None,
        answer_style: str | None = None,
        language: str | None = None,
    ) -> list[dict]:
        """System prompt, as much recent history as fits, then the question with
        ``passages`` (see ``retrieve``); what a turn of kind "ask" sends the model."""
        return self._prompt(question, history, max_new_tokens or self.max_new_tokens,
                            passages, parse_level(level or self.level),
                            _answer_style(answer_style or self.answer_style),
                            language or turn_language(question, self.language))[0]

    def _prompt(self, question: str, history: Sequence[Turn], max_new_tokens: int,
                passages: Sequence[Passage], level: Level, answer_style: str,
                language: str) -> tuple[list[dict], tuple[Passage, ...]]:
        """The messages, and the passages that fit in them.

        The passages go in the patient's turn, after the question, where the
        small built-in model heeds them most (measured on four layouts: with the
        passages in the system prompt it ignored them and made up numbers; with
        them before the question it mostly echoed the labels); the instruction to
        keep to them is also in the system prompt with the other rules. Saved
        history holds the bare questions, so earlier passages never pile up in
        later prompts.

        When the rules, the question and the answer's room do not fit with
        everything, the level's writing rules are left out first, then passages
        from the weakest; then the oldest exchanges are left out of the prompt
        (never out of the saved history). Only a model with a short context ever
        needs this: the built-in one reads 8192 tokens.
        """
        budget = self.engine.info.context_length - max_new_tokens
        used, styled = list(passages), True
        while True:
            system, asked = self._system_and_question(question, used, level, answer_style,
                                                      language, styled)
            if self.engine.count_tokens([system, asked]) <= budget:
                break
            if styled and self.literacy:
                styled = False  # the writing rules go first, then the weakest passage
            elif used:
                used.pop()
            else:
                break  # the rules and the question stay; the engine says if even they are too long
        turns = [{"role": t.role, "content": t.content} for t in history]
        while turns and self.engine.count_tokens([system, *turns, asked]) > budget:
            turns = turns[2:] if len(turns) > 1 else []
        return [system, *turns, asked], tuple(used)

    def _system_and_question(self, question: str, passages: Sequence[Passage], level: Level,
                             answer_style: str, language: str,
                             styled: bool = True) -> tuple[dict, dict]:
        if self.library is None:
            return self.system_message(level, answer_style, language, styled=styled), {
                "role": "user", "content": question}
        texts = turn_texts(language)
        if not passages:
            return self.system_message(level, answer_style, language, texts.no_passages,
                                       styled=styled), {"role": "user", "content": question}
        blocks = [f"{passage_label(p)}\n{passage_text(p, self.shown_level(level))}"
                  for p in passages]
        content = "\n\n".join([question, texts.passages, *blocks])
        return (self.system_message(level, answer_style, language, texts.grounding,
                                    styled=styled),
                {"role": "user", "content": content})

    def rewrite_messages(self, text: str, level: Level, answer_style: str, language: str,
                         max_new_tokens: int | None = None) -> list[dict]:
        """Ask for ``text`` again at ``level``: the literacy step's rewrite, and "simpler".

        One user turn (instruction, then the text), which every chat template
        accepts; the library passages are not repeated, since a rewrite adds nothing.
        """
        texts = turn_texts(language)
        ask = f"{rewrite_instruction(level, language)}\n\n{texts.rewrite_label}\n{text.strip()}"
        return self._fitting(
            lambda styled: [self.system_message(level, answer_style, language, styled=styled),
                            {"role": "user", "content": ask}],
            max_new_tokens or self.max_new_tokens)

    def task_messages(self, prompt: str, level: Level, answer_style: str, language: str,
                      max_new_tokens: int | None = None) -> list[dict]:
        """The rules and the level's writing rules, then one task (teach-back, feedback)."""
        return self._fitting(
            lambda styled: [self.system_message(level, answer_style, language, styled=styled),
                            {"role": "user", "content": prompt}],
            max_new_tokens or self.max_new_tokens)

    # --- one turn --------------------------------------------------------------------

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
        kind: str = "ask",
        level: Level | str | None = None,
        answer_style: str | None = None,
        target_text: str = "",
        checks: Iterable[Mapping[str, str]] = (),
        sources: Iterable[Mapping] = (),
        on_status: Callable[[str], None] | None = None,
    ) -> TurnResult:
        """Run one turn; with ``log``, it is saved as it happens.

        ``text`` is what the patient sent, saved as the question: the question
        (``"ask"``), the patient's own-words reply (``"feedback"``), or the
        button's words ("Explain it simpler", "Check my understanding").
        Safety comes first for every kind: an emergency gets the fixed, reviewed
        message and the numbers to call, and the model is not asked.

        ``kind``:
          - ``"ask"``: grounded in the library, written for ``level``, scored, and
            rewritten once when too hard (see the module docstring).
          - ``"simpler"``: ``target_text`` (an earlier answer) again, one level down
            (``literacy.simpler``); ``sources`` are that answer's and are kept.
          - ``"teach_back"``: 1-2 questions about ``target_text``; the library
            article's own check questions when ``checks`` are given or ``sources``
            name an article that has them, else written by the model.
            ``TurnResult.checks`` carries them.
          - ``"feedback"``: a gentle reply to ``text``; ``target_text`` is the
            teach-back question, ``checks`` may carry its expected ``"answer"``.

        ``level`` and ``answer_style`` override the assistant's own for this turn
        (the profile's); ``max_new_tokens`` and ``temperature`` too (the window's
        answer length; "Regenerate" samples). ``on_status`` hears what the turn is
        doing while nothing streams (the rewrite).
        """
        if kind not in KINDS:
            raise ValueError(f"Unknown kind of turn {kind!r}. Use one of: {', '.join(KINDS)}.")
        question = clean_question(text)
        level = parse_level(level or self.level)
        answer_style = _answer_style(answer_style or self.answer_style)
        ruled = answer_by_rules(question, self.language, self.country, on_token, log)
        if ruled is not None:
            return replace(ruled, kind=kind, level=level.value, target_grade=level.grade)
        target = target_text.strip()
        if kind in ("simpler", "teach_back") and not target:
            raise QuestionError("There is no answer to go over yet. Please ask a question first.")
        checks = tuple(_check_dict(c) for c in checks)
        if kind == "feedback" and not (target or checks):
            raise QuestionError("There is no question to answer yet. "
                                "Please press \u201cCheck my understanding\u201d first.")
        turn = _TurnRun(self, question, on_token, stop_event, log,
                        max_new_tokens or self.max_new_tokens,
                        self.temperature if temperature is None else temperature,
                        level, answer_style)
        if log is not None:
            log.begin(question)  # committed before the model starts
        try:
            if kind == "ask":
                return turn.ask(history, on_status)
            if kind == "simpler":
                return turn.simpler(target, tuple(dict(s) for s in sources))
            if kind == "teach_back":
                return turn.teach_back(target, checks, tuple(dict(s) for s in sources))
            return turn.feedback(target, checks, tuple(dict(s) for s in sources))
        except BaseException as exc:
            if log is not None:
                log.finish("cancelled" if isinstance(exc, KeyboardInterrupt) else "error")
            raise

    def _generate(
        self,
        messages: list[dict],
        *,
        max_new_tokens: int,
        temperature: float,
        stop_event: threading.Event | None,
        language: str,
        show: Callable[[str], None] | None = None,
        echoes: Iterable[str] = (),
        level: Level | None = None,
    ) -> _Output:
        """Stream one answer through the dose filter, the repeat guard and, with
        ``level`` (and literacy on), that level's plain-language edits.

        The system prompt, and ``echoes``, are never shown back to the patient.
        """
        doses = DoseFilter(language)
        guard = RepeatGuard(echoes=[messages[0]["content"], *echoes])
        plain = ([PlainWords(level, language)]
                 if level is not None and self.literacy and steps_for(level, language)
                 else [])
        checks = SentenceChecks(doses, guard, *plain)
        halt = _Halt(stop_event)
        pieces: list[str] = []

        def emit(piece: str) -> None:
            if piece:
                pieces.append(piece)
                if show is not None:
                    show(piece)

        stream = self.engine.stream(messages, max_new_tokens=max_new_tokens,
                                    temperature=temperature, stop_event=halt)
        for piece in stream:
            if halt.halted:
                continue  # an engine that cannot stop early: drain it unseen
            emit(checks.feed(piece))
            if guard.looping:
                halt.set()
        if not halt.halted:  # cut off in a loop, the unfinished sentence goes too
            emit(checks.flush())
        stats = stream.stats
        assert stats is not None  # set when the stream is exhausted
        reason = stats.stop_reason
        if halt.halted and not (stop_event is not None and stop_event.is_set()):
            reason = "repeating"
        return _Output("".join(pieces).strip(), stats, reason, doses.removed, guard.removed)

    def _read(self, text: str, level: Level, answer_style: str, language: str, *,
             rewrite: bool, max_new_tokens: int,
             stop_event: threading.Event | None = None,
             on_status: Callable[[str], None] | None = None) -> _Read:
        """The literacy step after the model: score ``text``; maybe rewrite it once."""
        scores = score_text(text, language)
        record = {**scores.to_dict(), "level": level.value, "target_grade": level.grade,
                  "simplified": False}
        if not (rewrite and self.literacy and needs_rewrite(scores, level)):
            return _Read(text, record)
        if on_status is not None:
            on_status(turn_texts(language).rewriting)
        started = time.perf_counter()
        try:
            out = self._generate(self.rewrite_messages(text, level, answer_style, language,
                                                       max_new_tokens),
                                 max_new_tokens=max_new_tokens, temperature=0.0,
                                 stop_event=stop_event, language=language,
                                 echoes=rewrite_echoes(level, language), level=level)
        except Exception as exc:  # the first answer stands; the rewrite was a bonus
            return _Read(text, {**record, "rewrite_error": f"{type(exc).__name__}: {exc}"},
                         rewrite_ms=_ms_since(started))
        elapsed = _ms_since(started)
        if out.stop_reason == "stopped":  # Stop during the rewrite: keep what was shown
            return _Read(text, record, rewrite_ms=elapsed)
        choice = choose(text, out.text, language)
        rewritten = score_text(out.text, language)
        record = {**choice.readability.to_dict(), "level": level.value,
                  "target_grade": level.grade, "simplified": choice.rewritten,
                  "original": scores.to_dict(), "rewrite": rewritten.to_dict()}
        return _Read(choice.text, record, choice.rewritten, elapsed,
                     out.doses_removed if choice.rewritten else 0)


class _TurnRun:
    """One turn in progress: what every kind needs, and the steps after the model."""

    def __init__(self, assistant: Assistant, question: str,
                 on_token: Callable[[str], None] | None, stop_event: threading.Event | None,
                 log: TurnLog | None, max_new_tokens: int, temperature: float, level: Level,
                 answer_style: str) -> None:
        self.a = assistant
        self.question = question
        self.on_token = on_token
        self.stop_event = stop_event
        self.log = log
        self.max_new_tokens = max_new_tokens
        self.temperature = temperature
        self.level = level
        self.answer_style = answer_style

    def show(self, piece: str) -> None:
        if piece:
            if self.on_token is not None:
                self.on_token(piece)
            if self.log is not None:
                self.log.progress(piece)

    def ask(self, history: Sequence[Turn], on_status) -> TurnResult:
        language = turn_language(self.question, self.a.language)
        # With the library, "hello" would be "not covered"; without it, the model
        # may answer small talk as before.
        if self.a.library is not None and is_small_talk(self.question, language):
            return self.fixed_answer(turn_texts(language).small_talk, "small_talk", (),
                                     language)
        found = self.a.retrieve(self.question, language)
        if not self.covered(history, language):
            return self.not_covered(found, language)
        messages, used = self.a._prompt(self.question, history, self.max_new_tokens, found,
                                        self.level, self.answer_style, language)
        labels = [passage_label(p) for p in used] + [turn_texts(language).passages]
        out = self.a._generate(messages, max_new_tokens=self.max_new_tokens,
                               temperature=self.temperature, stop_event=self.stop_event,
                               language=language, show=self.show, echoes=labels,
                               level=self.level)
        stopped = out.stop_reason == "stopped"
        shown_at = self.a.shown_level(self.level)
        off = bool(out.text) and not stopped and not keeps_to_passages(
            out.text, used, self.question, language, shown_at)
        fallback = (not out.text and not stopped) or off
        if fallback:
            # Nothing usable was written (all of it repeats or the prompt said
            # back), or not from the passages: give the library's own words, or
            # a referral, never nothing.
            texts = turn_texts(language)
            text = (f"{texts.fallback_library}\n\n{passage_text(used[0], shown_at)}"
                    if used else texts.fallback_none)
            if not off:  # else it replaces what streamed (replaces_stream)
                self.show(text)
            out = replace(out, text=text)
        # The library's own words are reviewed text written for this level: the
        # model does not rewrite them (they are still scored).
        read = self.a._read(out.text, self.level, self.answer_style, language,
                            rewrite=out.stop_reason != "stopped" and not fallback,
                            max_new_tokens=self.max_new_tokens, stop_event=self.stop_event,
                            on_status=on_status)
        return self.finish("ask", out, read, sources_of(used[:1] if fallback else used),
                           history_left_out=len(history) - (len(messages) - 2),
                           fallback=fallback, off_passages=off)

    def not_covered(self, found: Sequence[Passage], language: str) -> TurnResult:
        """The fixed answer for a question the library has no article on.

        Measured on the built-in model (benchmarks/eval_grounding.py, "What is
        lupus?"): told that the library has nothing on the question, it answered
        from its own "knowledge" anyway; passages that only share common words
        with the question hold nothing right for it to copy. So the model is not
        asked: the answer says the library does not cover it, refers to a
        clinician, and names the closest articles for the patient to read.
        """
        texts = turn_texts(language)
        related = sources_of(found)
        text = texts.not_covered
        if related:
            text += f"\n\n{texts.closest_topics}\n" + "\n".join(
                f"- {r['title']}" for r in related)
        return self.fixed_answer(text, "not_covered", related, language)

    def covered(self, history: Sequence[Turn], language: str) -> bool:
        """Whether the library has an article on the question, or, for a follow-up
        ("how long does it last?"), on the question together with the one before."""
        library = self.a.library
        if library is None or self.a.passages <= 0 or library.covers(self.question, language):
            return True
        previous = next((t.content for t in reversed(history) if t.role == "user"), "")
        # Only when the follow-up brings no topic word of its own that the library
        # lacks: "and what about lupus?" after the flu is still not covered.
        return (bool(previous) and not library.unknown_words(self.question)
                and library.covers(f"{previous}\n{self.question}", language))

    def fixed_answer(self, text: str, stop_reason: str, related: tuple[dict, ...],
                     language: str, *, kind: str = "ask", level: Level | None = None,
                     sources: tuple[dict, ...] = (), scores: Mapping = ()) -> TurnResult:
        """An answer CareChat writes itself, without the model: saved and scored like any.

        ``scores`` are added to its readability record (the original's, for "simpler").
        """
        texts = turn_texts(language)
        level = level or self.level
        self.show(text)
        library_model = texts.library_model
        record = {**score_text(text, language).to_dict(), "level": level.value,
                  "target_grade": level.grade, "simplified": False, **dict(scores)}
        if self.log is not None:
            self.log.finish("complete", model=library_model, readability=record,
                            sources=sources)
        return TurnResult(
            question=self.question, answer=text, model=library_model, device="",
            ttft_ms=0.0, tokens=0, tokens_per_s=0.0, prompt_tokens=0,
            stop_reason=stop_reason, kind=kind, level=level.value, target_grade=level.grade,
            readability=record, related=related, sources=sources, **self.saved())

    def library_simpler(self, target: str, sources: tuple[dict, ...], down: Level) -> str:
        """``target`` with each library passage in it swapped for the library's own
        text at ``down``; "" when it holds no passage written at a harder level.

        Most answers of the built-in model are a passage's own words (the fallback,
        measured with benchmarks/eval_readability.py); the library has them at every
        level, reviewed, which beats asking the model to rewrite them.
        """
        library = self.a.library
        if library is None:
            return ""
        text = target
        for source in sources:
            article = library.article(str(source.get("id", "")), str(source.get("language", "")))
            if article is None:
                continue
            for section in article.sections:
                easier = passage_text(section, down, article.language)
                for level in ORDER[ORDER.index(down) + 1:]:
                    harder = passage_text(section, level, article.language)
                    if harder != easier and harder in text:
                        text = text.replace(harder, easier)
        return text if text != target else ""

    def simpler(self, target: str, sources: tuple[dict, ...]) -> TurnResult:
        language = turn_language(target, self.a.language)
        down = simpler(self.level)
        from_library = self.library_simpler(target, sources, down)
        if from_library:
            return self.fixed_answer(from_library, "library", (), language, kind="simpler",
                                     level=down, sources=sources,
                                     scores={"original": score_text(target, language).to_dict()})
        messages = self.a.rewrite_messages(target, down, self.answer_style, language,
                                           self.max_new_tokens)
        out = self.a._generate(messages, max_new_tokens=self.max_new_tokens,
                               temperature=self.temperature, stop_event=self.stop_event,
                               language=language, show=self.show,
                               echoes=rewrite_echoes(down, language), level=down)
        read = self.a._read(out.text, down, self.answer_style, language, rewrite=False,
                           max_new_tokens=self.max_new_tokens)
        read = replace(read, record={**read.record,
                                     "original": score_text(target, language).to_dict()})
        return self.finish("simpler", out, read, sources, level=down)

    def teach_back(self, target: str, checks: tuple[dict, ...],
                   sources: tuple[dict, ...]) -> TurnResult:
        language = turn_language(target, self.a.language)
        given = checks or self.library_checks(sources)
        plan = teach_back(target, language, self.level, checks=given)
        if plan.questions:
            # The article's own, reviewed questions: no model needed.
            text = _numbered(plan.intro, [c.question for c in plan.questions])
            self.show(text)
            found = tuple({"question": c.question, "answer": c.answer} for c in plan.questions)
            library_model = turn_texts(language).library_model
            if self.log is not None:
                self.log.finish("complete", model=library_model, sources=sources)
            return TurnResult(
                question=self.question, answer=text, model=library_model, device="",
                ttft_ms=0.0, tokens=0, tokens_per_s=0.0, prompt_tokens=0,
                stop_reason="library", kind="teach_back", level=self.level.value,
                target_grade=self.level.grade, sources=sources, checks=found,
                **self.saved())
        self.show(f"{plan.intro}\n\n")
        most = min(self.max_new_tokens, TEACH_BACK_TOKENS)
        messages = self.a.task_messages(plan.prompt, self.level, self.answer_style, language,
                                        most)
        out = self.a._generate(messages, max_new_tokens=most,
                              temperature=self.temperature, stop_event=self.stop_event,
                              language=language, show=self.show)
        asked = _question_lines(out.text)
        out = replace(out, text=f"{plan.intro}\n\n{out.text}".strip())
        read = self.a._read(out.text, self.level, self.answer_style, language, rewrite=False,
                           max_new_tokens=self.max_new_tokens)
        return self.finish("teach_back", out, read, sources,
                           checks=tuple({"question": q, "answer": ""} for q in asked))

    def feedback(self, target: str, checks: tuple[dict, ...],
                 sources: tuple[dict, ...]) -> TurnResult:
        asked = target or "\n".join(c["question"] for c in checks)
        language = turn_language(self.question, turn_language(asked, self.a.language))
        expected = " ".join(c["answer"] for c in checks if c["answer"])
        prompt = feedback_prompt(asked, self.question, language, self.level, expected)
        messages = self.a.task_messages(prompt, self.level, self.answer_style, language,
                                        self.max_new_tokens)
        out = self.a._generate(messages, max_new_tokens=self.max_new_tokens,
                              temperature=self.temperature, stop_event=self.stop_event,
                              language=language, show=self.show)
        read = self.a._read(out.text, self.level, self.answer_style, language, rewrite=False,
                           max_new_tokens=self.max_new_tokens)
        return self.finish("feedback", out, read, sources, checks=checks)

    def library_checks(self, sources: tuple[dict, ...]) -> list[dict]:
        if self.a.library is None:
            return []
        found = []
        for source in sources:
            for check in self.a.library.check_questions(str(source.get("id", "")),
                                                        str(source.get("language", "en"))):
                found.append(check.to_dict())
        return found

    def saved(self) -> dict:
        log = self.log
        return {"message_id": log.answer_id if log is not None else None,
                "storage_error": str(log.error) if log is not None and log.error else ""}

    def finish(self, kind: str, out: _Output, read: _Read, sources: tuple[dict, ...], *,
               level: Level | None = None, history_left_out: int = 0,
               checks: tuple[dict, ...] = (), fallback: bool = False,
               off_passages: bool = False) -> TurnResult:
        level = level or self.level
        stats = out.stats
        info = self.a.engine.info
        if self.log is not None:
            self.log.finish(
                "cancelled" if out.stop_reason == "stopped" else "complete",
                model=info.name,
                timings={"ttft_ms": stats.ttft_ms, "tokens": stats.tokens,
                         "tokens_per_s": stats.tokens_per_s, "total_ms": stats.total_ms,
                         "prompt_tokens": stats.prompt_tokens, "rewrite_ms": read.rewrite_ms},
                content=read.text, sources=sources, readability=read.record,
            )
        return TurnResult(
            question=self.question,
            answer=read.text,
            model=info.name,
            device=info.device,
            ttft_ms=stats.ttft_ms,
            tokens=stats.tokens,
            tokens_per_s=stats.tokens_per_s,
            prompt_tokens=stats.prompt_tokens,
            stop_reason=out.stop_reason,
            doses_removed=out.doses_removed + read.doses_removed,
            history_left_out=history_left_out,
            kind=kind,
            level=level.value,
            target_grade=level.grade,
            sources=sources,
            readability=read.record,
            simplified=read.simplified,
            checks=checks,
            repeats_removed=out.repeats_removed,
            rewrite_ms=read.rewrite_ms,
            fallback=fallback,
            off_passages=off_passages,
            **self.saved(),
        )


def _answer_style(style: str) -> str:
    if style not in ANSWER_LENGTHS:
        raise ValueError(f"Unknown answer length {style!r}. Use one of: "
                         f"{', '.join(ANSWER_LENGTHS)}.")
    return style


def _check_dict(check: Mapping[str, str]) -> dict:
    return {"question": str(check.get("question", "")).strip(),
            "answer": str(check.get("answer", "") or "").strip()}


def _numbered(intro: str, questions: Sequence[str]) -> str:
    return "\n\n".join([intro, "\n".join(f"{i}. {q}" for i, q in enumerate(questions, 1))])


def _question_lines(text: str, most: int = 2) -> list[str]:
    """The questions a model wrote, one per line, without list marks."""
    lines = [LIST_MARK.sub("", line).strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    asked = [line for line in lines if line.endswith(("?", "？"))]
    return (asked or lines)[:most]


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


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
