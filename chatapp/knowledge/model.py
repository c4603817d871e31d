"""The library's plain data: articles, their parts, search results and problems.

All frozen, so they can be handed between threads (docs/ARCHITECTURE.md: only strings and
frozen dataclasses cross threads).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from ..vocabulary import Level

LANGUAGES = ("en", "zh")
BUILTIN = "builtin"
CLINIC = "clinic"


class Problem(NamedTuple):
    """A file that failed validation, and what is wrong with it: ``(path, message)``."""

    path: Path
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class Source:
    title: str
    url: str

    def to_dict(self) -> dict:
        return {"title": self.title, "url": self.url}


@dataclass(frozen=True)
class CheckQuestion:
    """A "check your understanding" question with its answer."""

    question: str
    answer: str

    def to_dict(self) -> dict:
        return {"question": self.question, "answer": self.answer}


class _Leveled:
    """``text`` is for the basic level; ``levels`` holds other levels' texts."""

    text: str
    levels: tuple[tuple[str, str], ...]

    def text_at(self, level: str) -> str:
        """The text written for ``level`` ("standard", "advanced"), else the basic one."""
        return next((t for name, t in self.levels if name == level), self.text)

    def has_level(self, level: str) -> bool:
        return any(name == level for name, _ in self.levels)


@dataclass(frozen=True)
class Section(_Leveled):
    heading: str
    text: str  # Markdown, without the heading line; for the basic reading level
    # (level, text) for the levels the library has this section written for
    # (knowledge.level_texts); a level not here reads ``text``.
    levels: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Article:
    id: str
    language: str
    title: str
    summary: str
    keywords: tuple[str, ...]
    synonyms: tuple[str, ...]
    last_reviewed: dt.date
    reviewed_by: str
    sources: tuple[Source, ...]
    check: tuple[CheckQuestion, ...]
    sections: tuple[Section, ...]
    path: Path
    origin: str = BUILTIN  # BUILTIN (ships with the app) or CLINIC (the data folder)
    # Common patient questions the article answers, for buttons that ask them.
    questions: tuple[str, ...] = ()

    @property
    def body(self) -> str:
        """The article's Markdown body, headings included."""
        return self.body_at(Level.BASIC)

    def body_at(self, level: str) -> str:
        """The body as written for a reading level (basic where it has no such version)."""
        return "\n\n".join(f"## {s.heading}\n\n{s.text_at(level)}" for s in self.sections)

    @property
    def levels(self) -> tuple[str, ...]:
        """The reading levels, besides basic, the article has a version for."""
        return tuple(dict.fromkeys(name for s in self.sections for name, _ in s.levels))

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "language": self.language,
            "title": self.title,
            "summary": self.summary,
            "keywords": list(self.keywords),
            "synonyms": list(self.synonyms),
            "last_reviewed": self.last_reviewed.isoformat(),
            "reviewed_by": self.reviewed_by,
            "sources": [s.to_dict() for s in self.sources],
            "check": [c.to_dict() for c in self.check],
            "questions": list(self.questions),
            "sections": [{"heading": s.heading, "text": s.text, "levels": dict(s.levels)}
                         for s in self.sections],
            "origin": self.origin,
        }


@dataclass(frozen=True)
class Passage(_Leveled):
    """One section of an article, as found by a search.

    ``language`` is the article's language, which is English when the patient's
    language has no article on that topic.
    """

    article_id: str
    language: str
    title: str
    heading: str
    text: str
    score: float
    sources: tuple[Source, ...]
    origin: str = BUILTIN
    levels: tuple[tuple[str, str], ...] = ()  # the section's (see Section)

    def to_dict(self) -> dict:
        return {
            "article_id": self.article_id,
            "language": self.language,
            "title": self.title,
            "heading": self.heading,
            "text": self.text,
            "score": round(self.score, 4),
            "sources": [s.to_dict() for s in self.sources],
            "origin": self.origin,
        }
