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
from pathlib import Path

from ..vocabulary import Level
from .model import Article, Problem
from .parse import content_messages, read_front_matter, split_sections

LEVEL_FOLDERS = (Level.STANDARD, Level.ADVANCED)  # basic is the article itself
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


def parse_level_text(path: Path, article: Article) -> tuple[dict[str, str], list[Problem]]:
    """``{heading: text}`` of the level version of ``article`` in ``path``, or {}
    and its problems."""
    read = read_front_matter(path)
    if isinstance(read, Problem):
        return {}, [read]
    data, body = read
    problems: list[str] = []
    level = path.parent.name
    for name in sorted(set(data) - {"id", "level"}):
        problems.append(f"unknown field {name!r}: a level version has only 'id' and 'level' "
                        "(the rest is the article's)")
    if data.get("id") != path.stem:
        problems.append(f"id {data.get('id')!r} must equal the file name {path.stem!r}")
    if data.get("level") != level:
        problems.append(f"level {data.get('level')!r} must equal the folder name {level!r}")
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
        where = f"section {heading!r}"
        if not section_text:
            problems.append(f"{where} is empty")
        problems += content_messages(where, f"{heading}\n{section_text}")
        new = sorted(set(NUMBER.findall(section_text)) - known)
        if new:
            problems.append(f"{where} has numbers the basic article does not: "
                            f"{', '.join(new)} (a level version adds no facts)")
    if problems:
        return {}, [Problem(path, m) for m in problems]
    return dict(sections), []
