"""What the model reads: the rules, the level's writing rules, the library's
passages and the history, fitted to the model's context."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..literacy import rewrite_instruction, style_instructions
from ..sentences import SENTENCE_END
from ..vocabulary import AnswerStyle, Level
from .questions import turn_language
from .results import Turn
from .texts import turn_texts

if TYPE_CHECKING:  # importing the engine pulls in torch; the GUI defers that
    from model import Engine

    from ..knowledge import Passage, Section

DEFAULT_MAX_NEW_TOKENS = 320
# Characters of one passage in the prompt. The built-in model reads about 4 English
# characters (or 0.7 Chinese ones) per token and its first-token time grows with the
# prompt (benchmarks/eval_grounding.py reports it): three clipped passages add about 300 tokens. A
# passage is cut at a sentence end, never mid-word.
PASSAGE_CHARS = {"en": 450, "zh": 160}


@dataclass(frozen=True)
class Prompt:
    """A question's messages for the model, and what fitted in them."""

    messages: list[dict]
    passages: tuple[Passage, ...]  # the passages that fitted, best first
    history_left_out: int  # earlier messages left out (never out of the saved history)


class Prompts:
    """Builds every prompt of a turn for one engine (its context length and tokenizer).

    ``literacy``: False leaves out the level's writing rules (the plain baseline of
    benchmarks/eval_readability.py); ``grounded``: False is a prompt without the
    library at all (the ungrounded baseline of benchmarks/eval_grounding.py).
    """

    def __init__(self, engine: Engine, instructions: str, *, literacy: bool = True,
                 grounded: bool = True) -> None:
        self.engine = engine
        self.instructions = instructions
        self.literacy = literacy
        self.grounded = grounded

    def shown_level(self, level: Level) -> Level | None:
        """The level passages are shown at: the turn's, or None (their basic text) for
        the plain prompt without literacy."""
        return level if self.literacy else None

    def system(self, level: Level, answer_style: AnswerStyle, language: str,
               grounding: str = "", *, styled: bool = True) -> dict:
        """The rules, then the level's writing rules, then what to do with the library."""
        parts = [self.instructions]
        if self.literacy and styled:
            parts.append(style_instructions(level, language, answer_style))
        if grounding:
            parts.append(grounding)
        return {"role": "system", "content": "\n\n".join(parts)}

    def for_question(
        self,
        question: str,
        history: Sequence[Turn] = (),
        passages: Sequence[Passage] = (),
        *,
        level: Level = Level.BASIC,
        answer_style: AnswerStyle = AnswerStyle.SHORT,
        language: str | None = None,
        max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS,
    ) -> Prompt:
        """System prompt, as much recent history as fits, then the question with its
        ``passages``.

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
        language = language or turn_language(question)
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
        return Prompt([system, *turns, asked], tuple(used), len(history) - len(turns))

    def _system_and_question(self, question: str, passages: Sequence[Passage], level: Level,
                             answer_style: AnswerStyle, language: str,
                             styled: bool) -> tuple[dict, dict]:
        if not self.grounded:
            return self.system(level, answer_style, language, styled=styled), {
                "role": "user", "content": question}
        texts = turn_texts(language)
        if not passages:
            return self.system(level, answer_style, language, texts.no_passages,
                               styled=styled), {"role": "user", "content": question}
        blocks = [f"{passage_label(p)}\n{passage_text(p, self.shown_level(level))}"
                  for p in passages]
        content = "\n\n".join([question, texts.passages, *blocks])
        return (self.system(level, answer_style, language, texts.grounding, styled=styled),
                {"role": "user", "content": content})

    def rewrite(self, text: str, level: Level, answer_style: AnswerStyle, language: str,
                max_new_tokens: int) -> list[dict]:
        """Ask for ``text`` again at ``level``: the literacy step's rewrite, and "simpler".

        One user turn (instruction, then the text), which every chat template
        accepts; the library passages are not repeated, since a rewrite adds nothing.
        """
        texts = turn_texts(language)
        ask = f"{rewrite_instruction(level, language)}\n\n{texts.rewrite_label}\n{text.strip()}"
        return self.task(ask, level, answer_style, language, max_new_tokens)

    def task(self, prompt: str, level: Level, answer_style: AnswerStyle, language: str,
             max_new_tokens: int) -> list[dict]:
        """The rules and the level's writing rules, then one task (a rewrite, teach-back,
        feedback); without the writing rules when they leave the answer no room, so a
        model with a short context still gets the safety rules."""
        def build(styled: bool) -> list[dict]:
            return [self.system(level, answer_style, language, styled=styled),
                    {"role": "user", "content": prompt}]

        messages = build(True)
        budget = self.engine.info.context_length - max_new_tokens
        if self.literacy and self.engine.count_tokens(messages) > budget:
            return build(False)
        return messages


def rewrite_echoes(level: Level, language: str) -> tuple[str, ...]:
    """What a rewrite must not say back: its instruction (not the text to rewrite,
    whose plain sentences it may well keep)."""
    return rewrite_instruction(level, language), turn_texts(language).rewrite_label


def passage_label(passage: Passage) -> str:
    """The line above a passage in the prompt: its article and section."""
    return f"{passage.title} - {passage.heading}:"


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

