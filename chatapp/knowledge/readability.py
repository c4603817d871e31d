"""The library README's writing rules that a test can measure on every article.

Reading level comes from chatapp.literacy's ``score_text`` (the same scores the
app shows for answers), on the body without its headings; literacy removes list
markers and counts each list item as a sentence. English: Flesch-Kincaid grade
6.0 or lower. Chinese: 20 Han characters or fewer per sentence on average.
Section size: 40 to 150 words (Chinese: 60 to 250 Han characters).

Not part of loading: these are the writers' targets for built-in articles, checked
by the test suite; a clinic's own article is not refused for its reading grade.
"""

from __future__ import annotations

import re

from .model import Article
from .text import HAN

MAX_GRADE = 6.0
MAX_ZH_SENTENCE = 20.0
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
