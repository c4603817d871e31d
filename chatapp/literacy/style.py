"""Writing instructions for the prompt, per level and language (resources/literacy/style_*.toml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..vocabulary import AnswerStyle
from . import _data
from .levels import ORDER, Level, parse_level


@dataclass(frozen=True)
class _LevelStyle:
    max_sentence: int  # words (en) or Han characters (zh)
    rules: tuple[str, ...]


@dataclass(frozen=True)
class _Style:
    heading: str
    levels: dict[Level, _LevelStyle]
    answer_styles: dict[str, str]
    rewrite: str


def style_instructions(
    level: Level | str, language: str, answer_style: AnswerStyle | str = AnswerStyle.SHORT
) -> str:
    """The writing rules for the system prompt: a heading, then one "- " line per rule."""
    style = _style(_data.language(language))
    if answer_style not in style.answer_styles:
        raise ValueError(
            f"Unknown answer length {answer_style!r}. Use one of: {', '.join(AnswerStyle)}."
        )
    lines = [*level_rules(level, language), style.answer_styles[answer_style]]
    return "\n".join([style.heading, *(f"- {line}" for line in lines)])


def level_rules(level: Level | str, language: str) -> tuple[str, ...]:
    """The level's rules with its grade and sentence length filled in."""
    level = parse_level(level)
    entry = _style(_data.language(language)).levels[level]
    return tuple(rule.format(grade=level.grade, max_sentence=entry.max_sentence)
                 for rule in entry.rules)


def max_sentence(level: Level | str, language: str) -> int:
    """The longest sentence the level asks for: words (en) or Han characters (zh)."""
    return _style(_data.language(language)).levels[parse_level(level)].max_sentence


def rewrite_preamble(level: Level | str, language: str) -> str:
    return _style(_data.language(language)).rewrite.format(grade=parse_level(level).grade)


@cache
def _style(language: str) -> _Style:
    path = _data.data_path(f"style_{language}.toml")
    top = _data.Fields(_data.load(path), path)
    if top.text("language") != language:
        top.fail("language", f"must be {language!r}")
    levels = {}
    for level in ORDER:
        t = top.table("level").table(level.value)
        levels[level] = _LevelStyle(int(t.number("max_sentence", low=1, high=100)),
                                    t.texts("rules"))
        for i, rule in enumerate(levels[level].rules):
            try:
                rule.format(grade=0, max_sentence=0)
            except (KeyError, IndexError, ValueError) as exc:
                t.fail(f"rules[{i}]", f"has an unknown placeholder ({exc})")
    lengths = top.table("answer_style")
    return _Style(
        heading=top.text("heading"),
        levels=levels,
        answer_styles={key: lengths.text(key) for key in AnswerStyle},
        rewrite=top.table("rewrite").text("instruction"),
    )
