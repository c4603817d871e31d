"""The library README's writing rules that a test can measure on every article.

Reading level comes from chatapp.literacy's ``score_text`` (the same scores the
app shows for answers), on the body without its headings; literacy removes list
markers and counts each list item as a sentence. English: Flesch-Kincaid grade
6.0 or lower. Chinese: 20 Han characters or fewer per sentence on average.
Section size: 40 to 150 words (Chinese: 60 to 250 Han characters). The standard
and advanced versions each have a band of their own (``level_grade_problems``).

Not part of loading: these are the writers' targets for built-in articles, checked
by the test suite; a clinic's own article is not refused for its reading grade.
"""

from __future__ import annotations

import re

from ..vocabulary import Level
from .level_texts import LEVEL_FOLDERS
from .model import Article
from .text import HAN

MAX_GRADE = 6.0
MAX_ZH_SENTENCE = 20.0
# The level versions (knowledge.level_texts), on the body without headings.
# English, Flesch-Kincaid: the whole grade the answer badge shows (rounded half
# up) is 7-8 for standard and 9-10 for advanced. Chinese, Han characters per
# sentence: from just over the level below's target to the level's own
# (resources/literacy/readability.toml: 15, 20 and 25), and the level's share of
# common characters.
GRADE_BANDS = {Level.STANDARD: (6.5, 8.49), Level.ADVANCED: (8.5, 10.49)}
ZH_SENTENCE_BANDS = {Level.STANDARD: (15.5, 20.0), Level.ADVANCED: (20.5, 25.0)}
SECTION_SIZE = {"en": (40, 150), "zh": (60, 250)}
HAN_CHAR = re.compile(f"[{HAN}]")
WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")


def body_without_headings(article: Article) -> str:
    return "\n\n".join(section.text for section in article.sections)


def reading_problems(article: Article) -> list[str]:
    """What makes the article harder to read than the README allows."""
    # Imported here: only the test suite grades articles, and literacy loads textstat.
    from ..literacy import score_text

    scores = score_text(body_without_headings(article), article.language)
    if article.language == "zh":
        if scores.sentence_length > MAX_ZH_SENTENCE:
            return [f"sentences average {scores.sentence_length:.1f} Han characters "
                    f"(at most {MAX_ZH_SENTENCE:.0f})"]
    elif scores.fk_grade is not None and scores.fk_grade > MAX_GRADE:
        return [f"Flesch-Kincaid grade {scores.fk_grade:.1f} (at most {MAX_GRADE})"]
    return []


def section_size(text: str, language: str) -> int:
    """Words in an English section, Han characters in a Chinese one."""
    if language == "zh":
        return len(HAN_CHAR.findall(text))
    return len(WORD.findall(text))


def section_size_problems(article: Article) -> list[str]:
    low, high = SECTION_SIZE.get(article.language, SECTION_SIZE["en"])
    unit = "characters" if article.language == "zh" else "words"
    return [
        f"section {s.heading!r} has {size} {unit} ({low} to {high})"
        for s in article.sections
        if not low <= (size := section_size(s.text, article.language)) <= high
    ]


def level_grade_problems(article: Article) -> list[str]:
    """Level versions of an article that score outside their level's band."""
    from ..literacy import meets_target, score_text

    problems = []
    for level in LEVEL_FOLDERS:
        texts = [s.text_at(level) for s in article.sections if s.has_level(level)]
        if not texts:
            continue
        scores = score_text("\n\n".join(texts), article.language)
        if article.language == "zh":
            low, high = ZH_SENTENCE_BANDS[level]
            if not low <= scores.sentence_length <= high or not meets_target(scores, level):
                problems.append(
                    f"the {level} version has {scores.sentence_length:.1f} Han characters a "
                    f"sentence ({low} to {high}) and {scores.common_share:.1%} common "
                    "characters (resources/literacy/readability.toml)")
        else:
            low, high = GRADE_BANDS[level]
            if scores.fk_grade is not None and not low <= scores.fk_grade <= high:
                problems.append(f"the {level} version scores grade {scores.fk_grade:.1f} "
                                f"(Flesch-Kincaid {low} to {high})")
    return problems
