"""The health-literacy screener: questions from resources/literacy/screener_*.toml → level.

The items are published brief screeners (the Single Item Literacy Screener and two
of Chew's questions), with their answer scales and cut-offs kept as data. The
scoring rule is explained in screener_en.toml: a skip or any answer at a cut-off
→ basic; the most confident answer everywhere → advanced; otherwise → standard.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..vocabulary import AnswerStyle
from . import _data
from .levels import Level

TEXT_SIZE_RANGE = (100, 200)  # percent; the profile stores 1.0 to 2.0


@dataclass(frozen=True)
class Source:
    title: str
    authors: str
    journal: str
    year: int
    reference: str = ""
    url: str = ""


@dataclass(frozen=True)
class Option:
    value: int
    label: str


@dataclass(frozen=True)
class Item:
    id: str
    question: str
    options: tuple[Option, ...]
    limited_from: int  # an answer with this value or more is a positive screen
    sources: tuple[Source, ...]

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(o.value for o in self.options)


@dataclass(frozen=True)
class ChoiceQuestion:
    question: str
    default: str
    options: tuple[tuple[str, str], ...]  # (value, label)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.options)


@dataclass(frozen=True)
class SizeQuestion:
    question: str
    default: int
    min: int
    max: int
    step: int


@dataclass(frozen=True)
class Screener:
    language: str
    title: str
    intro: str
    skip_label: str
    translation_note: str  # "" for the published wording; else says it is ours
    items: tuple[Item, ...]
    advanced_max_value: int
    language_question: ChoiceQuestion
    text_size_question: SizeQuestion
    answer_style_question: ChoiceQuestion

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


@dataclass(frozen=True)
class Preferences:
    language: str = "en"
    text_size: int = 100  # percent of the normal text size
    answer_style: str = AnswerStyle.SHORT  # how much answers say

    @property
    def font_scale(self) -> float:
        """The profile's font_scale (1.0 to 2.0) for this text size."""
        return self.text_size / 100


@dataclass(frozen=True)
class ScreenerResult:
    level: Level
    # (item id, answer value or None when skipped), in the screener's order.
    answers: tuple[tuple[str, int | None], ...]
    preferences: Preferences = field(default_factory=Preferences)

    @property
    def skipped(self) -> bool:
        return all(value is None for _, value in self.answers)

    def to_dict(self) -> dict:
        return {
            "level": self.level.value,
            "target_grade": self.level.grade,
            "answers": dict(self.answers),
            "language": self.preferences.language,
            "text_size": self.preferences.text_size,
            "answer_style": self.preferences.answer_style,
        }


@cache
def load_screener(language: str) -> Screener:
    """The screener in ``language`` ("en" or "zh") from resources/literacy."""
    language = _data.language(language)
    return read_screener(_data.data_path(f"screener_{language}.toml"))


def read_screener(path: Path) -> Screener:
    """Read and check one screener file; a LiteracyDataError names file and field."""
    top = _data.Fields(_data.load(path), path)
    language = top.text("language")
    if language not in _data.LANGUAGES:
        top.fail("language", f"must be one of {', '.join(_data.LANGUAGES)}, not {language!r}")
    items = tuple(_item(t) for t in top.tables("item"))
    ids = [item.id for item in items]
    if len(set(ids)) != len(ids):
        top.fail("item", f"has a repeated id: {', '.join(sorted(ids))}")
    scoring = top.table("scoring")
    advanced_max = scoring.integer("advanced_max_value")
    for i, item in enumerate(items):
        # Otherwise an answer could be both "limited" and "most confident".
        if not min(item.values) <= advanced_max < item.limited_from:
            scoring.fail(
                "advanced_max_value",
                f"must be at least the lowest value and below limited_from of item[{i}]",
            )
    prefs = top.table("preferences")
    return Screener(
        language=language,
        title=top.text("title"),
        intro=top.text("intro"),
        skip_label=top.text("skip_label"),
        translation_note=top.text("translation_note", allow_empty=True),
        items=items,
        advanced_max_value=advanced_max,
        language_question=_choice(prefs.table("language"), _data.LANGUAGES),
        text_size_question=_size(prefs.table("text_size")),
        answer_style_question=_choice(prefs.table("answer_style"), tuple(AnswerStyle)),
    )


def score(
    screener: Screener,
    answers: Mapping[str, int | None] | None = None,
    preferences: Preferences | None = None,
) -> ScreenerResult:
    """The level for ``answers`` (item id → option value; missing or None = skipped).

    ``answers=None`` is the whole screener skipped. Unknown ids or values are a
    ValueError: they mean the screen and the data disagree, not a patient's choice.
    """
    answers = dict(answers or {})
    unknown = set(answers) - {item.id for item in screener.items}
    if unknown:
        raise ValueError(f"unknown screener item(s): {', '.join(sorted(unknown))}")
    given: list[tuple[str, int | None]] = []
    for item in screener.items:
        value = answers.get(item.id)
        if value is not None and (isinstance(value, bool) or value not in item.values):
            raise ValueError(
                f"answer {value!r} is not an option of item {item.id!r} "
                f"(options: {', '.join(map(str, item.values))})"
            )
        given.append((item.id, value))
    prefs = check_preferences(screener, preferences or default_preferences(screener))
    return ScreenerResult(_level(screener, dict(given)), tuple(given), prefs)


def skip(language: str) -> ScreenerResult:
    """The result when a patient skips the whole screener: basic, default preferences."""
    return score(load_screener(language))


def default_preferences(screener: Screener) -> Preferences:
    return Preferences(
        language=screener.language_question.default,
        text_size=screener.text_size_question.default,
        answer_style=screener.answer_style_question.default,
    )


def check_preferences(screener: Screener, prefs: Preferences) -> Preferences:
    if prefs.language not in screener.language_question.values:
        raise ValueError(f"Unknown language {prefs.language!r}.")
    size = screener.text_size_question
    if isinstance(prefs.text_size, bool) or not size.min <= prefs.text_size <= size.max:
        raise ValueError(f"Text size must be between {size.min}% and {size.max}%.")
    if prefs.answer_style not in screener.answer_style_question.values:
        raise ValueError(
            f"Unknown answer length {prefs.answer_style!r}. "
            f"Use one of: {', '.join(screener.answer_style_question.values)}."
        )
    return prefs


def _level(screener: Screener, answers: dict[str, int | None]) -> Level:
    values = []
    for item in screener.items:
        value = answers.get(item.id)
        # Skipped, or past the published cut-off: plain language is the safe side.
        if value is None or value >= item.limited_from:
            return Level.BASIC
        values.append(value)
    if all(value <= screener.advanced_max_value for value in values):
        return Level.ADVANCED
    return Level.STANDARD


def _item(t: _data.Fields) -> Item:
    options = []
    for o in t.tables("options"):
        options.append(Option(o.integer("value"), o.text("label")))
    values = [o.value for o in options]
    if values != list(range(1, len(values) + 1)):
        t.fail("options", f"values must run 1, 2, 3… in order, not {values}")
    limited_from = t.integer("limited_from")
    if limited_from not in values:
        t.fail("limited_from", f"must be one of the option values {values}, not {limited_from}")
    return Item(
        id=t.text("id"),
        question=t.text("question"),
        options=tuple(options),
        limited_from=limited_from,
        sources=tuple(_source(s) for s in t.tables("sources")),
    )


def _source(s: _data.Fields) -> Source:
    url = s.text("url", allow_empty=True)
    if url and not url.startswith(("https://", "http://")):
        s.fail("url", f"must be a web address or empty, not {url!r}")
    return Source(
        title=s.text("title"),
        authors=s.text("authors"),
        journal=s.text("journal"),
        year=s.integer("year"),
        reference=s.text("reference", allow_empty=True),
        url=url,
    )


def _choice(t: _data.Fields, allowed: tuple[str, ...]) -> ChoiceQuestion:
    options = tuple((o.text("value"), o.text("label")) for o in t.tables("options"))
    values = [value for value, _ in options]
    if sorted(values) != sorted(allowed):
        t.fail("options", f"values must be {', '.join(allowed)}, not {', '.join(values)}")
    default = t.text("default")
    if default not in values:
        t.fail("default", f"must be one of {', '.join(values)}, not {default!r}")
    return ChoiceQuestion(t.text("question"), default, options)


def _size(t: _data.Fields) -> SizeQuestion:
    low, high = TEXT_SIZE_RANGE
    size = SizeQuestion(
        question=t.text("question"),
        default=t.integer("default"),
        min=t.integer("min"),
        max=t.integer("max"),
        step=t.integer("step"),
    )
    if not low <= size.min <= size.default <= size.max <= high:
        t.fail("default", f"needs {low} <= min <= default <= max <= {high}")
    if size.step <= 0:
        t.fail("step", "must be more than 0")
    return size
