"""Plain, frozen records returned by the store; safe to pass between threads."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Profile:
    id: int
    name: str
    literacy_level: str  # a vocabulary.Level
    target_grade: int
    language: str
    font_scale: float
    high_contrast: bool
    created: str
    updated: str
    answer_style: str = "short"  # a vocabulary.AnswerStyle


@dataclass(frozen=True)
class Conversation:
    id: int
    profile_id: int
    title: str
    created: str
    updated: str


@dataclass(frozen=True)
class Message:
    id: int
    conversation_id: int
    role: str  # "user" or "assistant"
    content: str
    status: str  # a vocabulary.MessageStatus
    model: str | None
    created: str
    # Library articles the answer was grounded in: dicts with "id", "title",
    # "language", "url" (the first source) and "urls" (every source).
    sources: tuple = ()
    # The kept answer's scores (literacy.Readability.to_dict()), with "level",
    # "target_grade", "simplified", and "original" / "rewrite" when a rewrite was tried.
    readability: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SearchHit:
    conversation_id: int
    conversation_title: str
    message_id: int
    role: str
    snippet: str  # the matching words wrapped in the markers asked for
