"""Teach-back: one or two "say it in your own words" questions after an answer.

The article behind the answer usually has its own reviewed check questions; those
come first. Without them, CareChat gives the model a prompt to write some. The
patient's reply gets a gentle, level-aware feedback prompt. Texts are in
resources/literacy/teachback_*.toml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from . import _data
from .levels import Level, parse_level
from .readability import HAN


class CheckLike(Protocol):
    """An article's check question (the library's ``[[check]]``)."""

    question: str
    answer: str


@dataclass(frozen=True)
class Check:
    question: str
    answer: str = ""


@dataclass(frozen=True)
class TeachBack:
    intro: str  # shown before the questions
    questions: tuple[Check, ...]  # the article's own, best first; may be empty
    prompt: str  # "" when questions were found; else asks the model to write them


@dataclass(frozen=True)
class _Texts:
    max_questions: int
    intro: str
    generate: str
    feedback: str
    expected_line: str
    ignore: frozenset[str]


def teach_back(
    answer: str,
    language: str,
    level: Level | str = Level.BASIC,
    checks: Iterable[CheckLike | Mapping[str, str]] = (),
) -> TeachBack:
    """Questions for ``answer``: the article's own ``checks`` if any, else a prompt."""
    texts = _texts(_data.language(language))
    found = [c for c in (_as_check(c) for c in checks) if c.question]
    if found:
        # The answer may cover only part of the article: ask first about what it said.
        topic = _keys(answer, language, texts.ignore)
        ranked = sorted(
            range(len(found)),
            key=lambda i: (-len(topic & _keys(found[i].question, language, texts.ignore)), i),
        )
        chosen = sorted(ranked[: texts.max_questions])  # keep the article's order
        return TeachBack(texts.intro, tuple(found[i] for i in chosen), "")
    prompt = texts.generate.format(
        count=texts.max_questions, grade=parse_level(level).grade, answer=answer.strip()
    )
    return TeachBack(texts.intro, (), prompt)


def feedback_prompt(
    question: str,
    reply: str,
    language: str,
    level: Level | str = Level.BASIC,
    expected: str = "",
) -> str:
    """The prompt for a kind reply to the patient's own-words answer."""
    texts = _texts(_data.language(language))
    expected = expected.strip()
    expected_line = texts.expected_line.format(expected=expected) if expected else ""
    prompt = texts.feedback.format(
        question=question.strip(),
        reply=reply.strip(),
        expected_line=expected_line,
        grade=parse_level(level).grade,
    )
    return re.sub(r"\n{2,}", "\n", prompt).strip()


def _as_check(item: CheckLike | Mapping[str, str]) -> Check:
    if isinstance(item, Mapping):
        return Check(str(item.get("question", "")).strip(), str(item.get("answer", "")).strip())
    return Check(str(item.question).strip(), str(getattr(item, "answer", "") or "").strip())


def _keys(text: str, language: str, ignore: frozenset[str]) -> set[str]:
    if language == "zh":
        han = "".join(HAN.findall(text))
        return {han[i:i + 2] for i in range(len(han) - 1)} - ignore
    words = re.findall(r"[a-z]{4,}", text.lower())
    return set(words) - ignore


@cache
def _texts(language: str) -> _Texts:
    path = _data.data_path(f"teachback_{language}.toml")
    top = _data.Fields(_data.load(path), path)
    if top.text("language") != language:
        top.fail("language", f"must be {language!r}")
    count = top.integer("max_questions")
    if not 1 <= count <= 2:
        top.fail("max_questions", "must be 1 or 2")
    texts = _Texts(
        max_questions=count,
        intro=top.text("intro"),
        generate=top.text("generate"),
        feedback=top.text("feedback"),
        expected_line=top.text("expected_line"),
        ignore=frozenset(top.texts("ignore_words")),
    )
    for key, fields in (("generate", ("count", "grade", "answer")),
                        ("feedback", ("question", "reply", "expected_line", "grade")),
                        ("expected_line", ("expected",))):
        try:
            getattr(texts, key).format(**dict.fromkeys(fields, ""))
        except (KeyError, IndexError, ValueError) as exc:
            top.fail(key, f"has an unknown placeholder ({exc})")
    return texts
