"""Load the built-in library and a clinic's own articles, with every problem found.

A library folder holds ``<lang>/<id>.md`` files. The built-in one ships in
``resources/library``; a clinic adds files to ``library/<lang>/`` in the CareChat
data folder. Problems never stop the load: the file is skipped and reported (a
test makes sure the built-in library has none).

A clinic article whose id and language are already taken by a built-in article
is rejected, not used in its place: built-in articles are reviewed together
with the app and the safety rules (the heart attack article must keep saying
"call your emergency number"), so a clinic adds topics under ids of its own.
A clinic may add a language that a built-in topic lacks (its own Chinese
kidney-health article, say): that replaces nothing, and is then used instead of
the English fallback.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from ..resources import resource_path
from .level_texts import level_files, parse_level_text
from .model import BUILTIN, CLINIC, LANGUAGES, Article, Problem
from .parse import parse_article


def builtin_library_dir() -> Path:
    return resource_path("library")


@dataclass(frozen=True)
class Library:
    articles: tuple[Article, ...]
    problems: tuple[Problem, ...]

    @cached_property
    def _by_key(self) -> dict[tuple[str, str], Article]:
        return {(a.id, a.language): a for a in self.articles}

    def get(self, article_id: str, language: str) -> Article | None:
        """The article in exactly this language, or None (no fallback here)."""
        return self._by_key.get((article_id, language))

    def in_language(self, language: str) -> tuple[Article, ...]:
        return tuple(a for a in self.articles if a.language == language)


def _language_dirs(directory: Path) -> Iterator[Path]:
    if not directory.is_dir():
        return
    yield from sorted(p for p in directory.iterdir()
                      if p.is_dir() and not p.name.startswith("."))


def _article_files(directory: Path) -> Iterator[Path]:
    for folder in _language_dirs(directory):
        yield from sorted(p for p in folder.glob("*.md")
                          if p.is_file() and not p.name.startswith("."))


def _load_dir(directory: Path, origin: str) -> tuple[list[Article], list[Problem]]:
    articles: list[Article] = []
    problems: list[Problem] = []
    try:
        files = list(_article_files(directory))
    except OSError as error:
        return [], [Problem(directory, f"cannot read the library folder: {error}")]
    for path in files:
        if path.parent.name not in LANGUAGES:
            problems.append(Problem(path, f"folder {path.parent.name!r} is not a library "
                                          f"language ({', '.join(LANGUAGES)}); skipped"))
            continue
        article, found = parse_article(path, origin)
        problems.extend(found)
        if article is not None:
            articles.append(article)
    for folder in _language_dirs(directory):
        _add_levels(articles, folder, problems)
    return articles, problems


def _add_levels(articles: list[Article], folder: Path, problems: list[Problem]) -> None:
    """Give the articles in ``folder``'s language the texts of their valid level
    versions (knowledge.level_texts), in place; report the others."""
    found: dict[str, dict[str, dict[str, str]]] = {}  # id -> level -> heading -> text
    by_id = {a.id: a for a in articles if a.language == folder.name}
    for path in level_files(folder):
        article = by_id.get(path.stem)
        if article is None:
            problems.append(Problem(path, f"there is no valid article {path.stem!r} in "
                                          f"{folder.name!r} for this to be a level "
                                          "version of; skipped"))
            continue
        texts, trouble = parse_level_text(path, article)
        problems.extend(trouble)
        if texts:
            found.setdefault(article.id, {})[path.parent.name] = texts
    for index, article in enumerate(articles):
        levels = found.get(article.id) if article.language == folder.name else None
        if levels:
            articles[index] = replace(article, sections=tuple(
                replace(s, levels=tuple((level, texts[s.heading])
                                        for level, texts in levels.items()))
                for s in article.sections))


def load_library(builtin_dir: Path | None = None, extra_dirs: Iterable[Path] = ()) -> Library:
    """Every valid article, built-in first, and every problem found on the way."""
    builtin = Path(builtin_dir) if builtin_dir is not None else builtin_library_dir()
    extras = tuple(Path(d) for d in extra_dirs)
    problems: list[Problem] = []
    if not builtin.is_dir():
        problems.append(Problem(builtin, "the built-in library folder is missing"))
    articles, found = _load_dir(builtin, BUILTIN)
    problems.extend(found)
    taken = {(a.id, a.language): a for a in articles}
    for directory in extras:
        clinic_articles, found = _load_dir(directory, CLINIC)
        problems.extend(found)
        for article in clinic_articles:
            earlier = taken.get((article.id, article.language))
            if earlier is None:
                taken[(article.id, article.language)] = article
                articles.append(article)
            elif earlier.origin == BUILTIN:
                problems.append(Problem(article.path, (
                    f"id {article.id!r} is a built-in article; a clinic article cannot "
                    "replace it, so give yours an id of its own; skipped")))
            else:
                problems.append(Problem(article.path, (
                    f"id {article.id!r} is already used by {earlier.path}; skipped")))
    return Library(tuple(articles), tuple(problems))
