"""Is an answer too hard to read, how to ask for a simpler one, and which one to keep."""

from __future__ import annotations

from dataclasses import dataclass

from . import _data
from .levels import Level
from .readability import Readability, near_target, score_text
from .style import level_rules, rewrite_preamble


@dataclass(frozen=True)
class Choice:
    text: str
    readability: Readability
    rewritten: bool  # True when the rewrite was kept


def needs_rewrite(readability: Readability, level: Level | str) -> bool:
    """More than the tolerance over the level's target (readability.toml).

    English: the whole Flesch-Kincaid grade is more than one grade over the target
    (grade 8 or more for basic). Chinese: sentences more than 2.5 characters longer
    than the target, or a common-character share more than 1 point under it. An
    empty or unmeasurable answer is never rewritten.
    """
    return not near_target(readability, level)


def rewrite_instruction(level: Level | str, language: str) -> str:
    """The prompt that asks the model to rewrite its answer at the level, with its rules."""
    rules = level_rules(level, _data.language(language))
    return "\n".join([rewrite_preamble(level, language), *(f"- {rule}" for rule in rules)])


def choose(original: str, rewritten: str, language: str) -> Choice:
    """Keep ``rewritten`` only if it scores better than ``original``; else the original."""
    before = score_text(original, language)
    after = score_text(rewritten, language)
    if is_easier(after, before):
        return Choice(rewritten, after, rewritten=True)
    return Choice(original, before, rewritten=False)


def is_easier(candidate: Readability, than: Readability) -> bool:
    """Does ``candidate`` score strictly easier than ``than``?

    English: a lower Flesch-Kincaid grade. Chinese: no longer sentences and no fewer
    common characters, and better on at least one, so a rewrite never buys shorter
    sentences with rarer words. A text that cannot be measured (empty, or a Chinese
    answer rewritten without any Chinese) is never easier.
    """
    if not (candidate.measurable and than.measurable) or candidate.language != than.language:
        return False
    if candidate.language == "en":
        return candidate.fk_grade < than.fk_grade
    shorter = candidate.sentence_length <= than.sentence_length
    commoner = candidate.common_share >= than.common_share
    return shorter and commoner and (
        candidate.sentence_length < than.sentence_length
        or candidate.common_share > than.common_share
    )
