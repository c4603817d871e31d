"""What the store writes and reads, row by row: names, titles and values checked, rows
turned into records. Plain functions, no connection: ``store.Store`` uses them."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from ..text_input import normalize_text
from ..vocabulary import AnswerStyle, Level, MessageStatus
from .errors import StorageError
from .records import Message, Profile

TITLE_CHARS = 60
PROFILE_NAME_CHARS = 60
OWNER_COLUMNS = ("owner_pid", "owner_started")
PROFILE_FIELDS = ("literacy_level", "target_grade", "language", "font_scale", "high_contrast",
                  "answer_style")


def now() -> str:
    # Microseconds: "newest first" must tell apart two saves in the same millisecond.
    return datetime.now(UTC).isoformat(timespec="microseconds")


def title_from(question: str) -> str:
    """A conversation's default title: the start of its first question."""
    text = re.sub(r"\s+", " ", question).strip()
    if len(text) <= TITLE_CHARS:
        return text
    cut = text[:TITLE_CHARS].rsplit(" ", 1)[0] or text[:TITLE_CHARS]
    return cut.rstrip(" ,.;:") + "…"


def profile_name(name: str) -> str:
    """A profile's name as kept: trimmed, without control characters (it is printed
    back: "Saved Ana's conversations"), not empty, at most PROFILE_NAME_CHARS long."""
    name = name_form(name)
    if not name:
        raise StorageError("A profile needs a name.")
    if len(name) > PROFILE_NAME_CHARS:
        raise StorageError(
            f"A profile's name can be at most {PROFILE_NAME_CHARS} characters long; "
            f"this one has {len(name)}.",
            "Choose a shorter name.")
    return name


def name_form(name: str) -> str:
    return normalize_text(name).strip()


def fts_query(text: str) -> str:
    """``text`` as an FTS5 query that finds messages with all of its words, literally.

    Each word becomes an FTS5 string (double quotes, any inside doubled), so no
    character of it is query syntax. Empty when there is nothing to search for.
    """
    # FTS5 ends a string at a NUL, and SQLite takes no lone surrogate: neither can
    # be part of a word the index holds.
    text = text.replace("\x00", " ").encode("utf-8", "replace").decode("utf-8")
    return " ".join('"' + word.replace('"', '""') + '"' for word in text.split())


def check_status(status: str) -> None:
    if status not in tuple(MessageStatus):
        raise ValueError(f"unknown message status {status!r}")


def profile_values(prefs: dict[str, Any]) -> dict[str, Any]:
    unknown = set(prefs) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"unknown profile fields: {', '.join(sorted(unknown))}")
    values = dict(prefs)
    level = values.get("literacy_level")
    if level is not None:
        if level not in tuple(Level):
            raise StorageError(
                f"Unknown reading level {level!r}.", f"Use one of: {', '.join(Level)}."
            )
        values.setdefault("target_grade", Level(level).grade)
    style = values.get("answer_style")
    if style is not None and style not in tuple(AnswerStyle):
        raise StorageError(
            f"Unknown answer length {style!r}.", f"Use one of: {', '.join(AnswerStyle)}."
        )
    scale = values.get("font_scale")
    if scale is not None and not 1.0 <= float(scale) <= 2.0:
        raise StorageError("Text size must be between 100% and 200%.")
    if "high_contrast" in values:
        values["high_contrast"] = int(bool(values["high_contrast"]))
    return values


def profile_record(row: dict) -> Profile:
    return Profile(**{**row, "high_contrast": bool(row["high_contrast"])})


def message_record(row: dict) -> Message:
    for column in OWNER_COLUMNS:  # bookkeeping between processes, not the patient's record
        row.pop(column, None)
    return Message(
        **{**row,
           "sources": tuple(json.loads(row["sources"])),
           "readability": json.loads(row["readability"]),
           "timings": json.loads(row["timings"])}
    )
