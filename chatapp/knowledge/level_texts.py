"""An article's sections written again for the standard and advanced reading levels.

The article file itself is written for ``basic`` (grade 6 or lower). A level
version lives in ``<lang>/<level>/<id>.md`` next to it: front matter with only
``id`` and ``level``, then the article's own ``## `` headings, all of them, in
the same order, each with the section's text for that level.

Why the library and not the model: the built-in model is small, and asked to
write at grade 8 or 10 it writes what it always writes (measured with
benchmarks/eval_readability.py: the three levels' answers were 17, 13 and 14 of
24 times word for word the same). It copies its passages well, so the passages
are given at the patient's level, and the levels really differ.

A level version says the same as the basic text and no more; a reviewer reads
them side by side. What a machine can check is checked on loading: the same
headings, no dose, statistic or phone number, and no number the basic article
does not have (a new number would be a new fact). A file that fails is reported
and skipped; the article is still used, at its basic text for that level.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from .content import content_problems
from .model import Article, Problem
from .parse import split_front_matter, split_sections

LEVEL_FOLDERS = ("standard", "advanced")
# Flesch-Kincaid, on the body without headings: the whole grade the answer badge
# shows (rounded half up) is 7-8 for standard and 9-10 for advanced. Checked by
# the test suite on the built-in library, like the basic articles' grade 6.
GRADE_BANDS = {"standard": (6.5, 8.49), "advanced": (8.5, 10.49)}
# Chinese: Han characters per sentence, from just over the level below's target to
# the level's own (resources/literacy/readability.toml: 15, 20 and 25); the share
# of common characters must meet the level's target too.
ZH_SENTENCE_BANDS = {"standard": (15.5, 20.0), "advanced": (20.5, 25.0)}
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def level_files(language_dir: Path) -> list[Path]:
    """The level versions under one language folder, level by level."""
    found: list[Path] = []
    for level in LEVEL_FOLDERS:
        folder = language_dir / level
        if folder.is_dir():
            found += sorted(p for p in folder.glob("*.md")
                            if p.is_file() and not p.name.startswith("."))
    return found


def parse_level_text(path: Path, article: Article | None) -> tuple[dict[str, str], list[Problem]]:
    """``{heading: text}`` of the level version in ``path``, or {} and its problems.

    ``article`` is the basic article of the same id and language (None: there is none).
    """
    problems: list[str] = []
    level = path.parent.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return {}, [Problem(path, f"cannot read the file as UTF-8 text: {error}")]
    split = split_front_matter(text)
    if split is None:
        return {}, [Problem(path, "no front matter: the file must start with a '+++' line "
                                  "and the front matter must end with another")]
    front, body = split
    try:
        data = tomllib.loads(front)
    except tomllib.TOMLDecodeError as error:
        return {}, [Problem(path, f"front matter is not valid TOML: {error}")]
    for name in sorted(set(data) - {"id", "level"}):
        problems.append(f"unknown field {name!r}: a level version has only 'id' and 'level' "
                        "(the rest is the article's)")
    if data.get("id") != path.stem:
        problems.append(f"id {data.get('id')!r} must equal the file name {path.stem!r}")
    if data.get("level") != level:
        problems.append(f"level {data.get('level')!r} must equal the folder name {level!r}")
    if article is None:
        problems.append(f"there is no article {path.stem!r} in "
                        f"{path.parent.parent.name!r} for this to be a level version of")
        return {}, [Problem(path, m) for m in problems]
    lead, sections = split_sections(body)
    if lead:
        problems.append("text before the first '## ' heading")
    headings = [h for h, _ in sections]
    wanted = [s.heading for s in article.sections]
    if headings != wanted:
        problems.append(f"the headings must be the article's, in its order: {wanted}; "
                        f"found {headings}")
    known = set(NUMBER.findall(article.body)) | set(NUMBER.findall(article.title))
    for heading, section_text in sections:
        if not section_text:
            problems.append(f"section {heading!r} is empty")
        for found in content_problems(f"{heading}\n{section_text}"):
            problems.append(f"section {heading!r} has {found}: articles never give doses, "
                            "statistics or phone numbers")
        new = sorted(set(NUMBER.findall(section_text)) - known)
        if new:
            problems.append(f"section {heading!r} has numbers the basic article does not: "
                            f"{', '.join(new)} (a level version adds no facts)")
    if problems:
        return {}, [Problem(path, m) for m in problems]
    return dict(sections), []


def level_grade_problems(article: Article) -> list[str]:
    """Level versions of an article that score outside their level's band."""
    from ..literacy import meets_target, score_text  # loads textstat; only tests grade

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
            continue
        low, high = GRADE_BANDS[level]
        if scores.fk_grade is not None and not low <= scores.fk_grade <= high:
            problems.append(f"the {level} version scores grade {scores.fk_grade:.1f} "
                            f"(Flesch-Kincaid {low} to {high})")
    return problems
