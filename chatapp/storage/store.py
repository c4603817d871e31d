"""The patient's data: profiles, conversations, messages, settings; export and erase.

One ``Store`` wraps one SQLite connection, which belongs to the thread that
opened it: the UI and the model worker each open their own on the same location.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from ..vocabulary import AnswerStyle, Level, MessageStatus
from .database import DB_FILENAME, connect, open_database
from .errors import NotFoundError, StorageError, translate
from .migrations import apply_migrations
from .records import Conversation, Message, Profile, SearchHit

TITLE_CHARS = 60
PROFILE_FIELDS = ("literacy_level", "target_grade", "language", "font_scale", "high_contrast",
                  "answer_style")


@dataclass(frozen=True)
class StoreLocation:
    """Where a store lives: a file, or a named in-memory database (a guest visit)."""

    path: Path | None = None
    memory_name: str | None = None

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> StoreLocation:
        return cls(path=Path(data_dir) / DB_FILENAME)

    @classmethod
    def guest(cls) -> StoreLocation:
        return cls(memory_name=f"carechat-guest-{uuid.uuid4().hex}")

    @property
    def in_memory(self) -> bool:
        return self.memory_name is not None


def open_store(location: StoreLocation) -> Store:
    """Open a store; a damaged file is moved aside (see ``Store.moved_aside``)."""
    if location.in_memory:
        try:
            db = connect(None, memory_name=location.memory_name)
            apply_migrations(db)
        except sqlite3.Error as exc:
            raise translate(exc) from exc
        return Store(db, location)
    opened = open_database(location.path)
    return Store(opened.db, location, opened.moved_aside)


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


def _friendly(method):
    """sqlite3 errors leave the store as StorageError, which the UI and CLI show."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except sqlite3.Error as exc:
            raise translate(exc) from exc

    return wrapper


class Store:
    def __init__(
        self, db: Database, location: StoreLocation, moved_aside: Path | None = None
    ) -> None:
        self.db = db
        self.location = location
        self.moved_aside = moved_aside

    def close(self) -> None:
        self.db.close()

    # --- profiles ------------------------------------------------------------
    @_friendly
    def create_profile(self, name: str, **prefs: Any) -> Profile:
        name = name.strip()
        if not name:
            raise StorageError("A profile needs a name.")
        values = _profile_values(prefs)
        stamp = now()
        try:
            with self.db.atomic():
                cursor = self.db.execute(
                    "INSERT INTO profiles (name, created, updated"
                    + "".join(f", {k}" for k in values)
                    + ") VALUES (?, ?, ?" + ", ?" * len(values) + ")",
                    [name, stamp, stamp, *values.values()],
                )
        except sqlite3.IntegrityError as exc:
            raise StorageError(f"There is already a profile called {name!r}.") from exc
        return self.profile(cursor.lastrowid)

    @_friendly
    def profile(self, profile_id: int) -> Profile:
        row = self._one("SELECT * FROM profiles WHERE id = ?", [profile_id])
        if row is None:
            raise NotFoundError(f"There is no profile number {profile_id}.")
        return _profile(row)

    @_friendly
    def profile_named(self, name: str) -> Profile:
        row = self._one("SELECT * FROM profiles WHERE name = ?", [name.strip()])
        if row is None:
            known = ", ".join(p.name for p in self.profiles()) or "none yet"
            raise NotFoundError(f"There is no profile called {name!r}.", f"Profiles: {known}.")
        return _profile(row)

    def profile_or_create(self, name: str) -> Profile:
        try:
            return self.profile_named(name)
        except NotFoundError:
            return self.create_profile(name)

    @_friendly
    def profiles(self) -> list[Profile]:
        return [_profile(r) for r in self.db.query("SELECT * FROM profiles ORDER BY name")]

    @_friendly
    def update_profile(self, profile_id: int, **changes: Any) -> Profile:
        values = _profile_values(changes)
        if values:
            with self.db.atomic():
                self.db.execute(
                    "UPDATE profiles SET updated = ?"
                    + "".join(f", {k} = ?" for k in values)
                    + " WHERE id = ?",
                    [now(), *values.values(), profile_id],
                )
        return self.profile(profile_id)

    # --- conversations -----------------------------------------------------------
    @_friendly
    def create_conversation(self, profile_id: int, title: str = "") -> Conversation:
        stamp = now()
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO conversations (profile_id, title, created, updated)"
                " VALUES (?, ?, ?, ?)",
                [profile_id, title.strip(), stamp, stamp],
            )
        return self.conversation(cursor.lastrowid)

    @_friendly
    def conversation(self, conversation_id: int) -> Conversation:
        row = self._one("SELECT * FROM conversations WHERE id = ?", [conversation_id])
        if row is None:
            raise NotFoundError(f"There is no conversation number {conversation_id}.")
        return Conversation(**row)

    @_friendly
    def conversations(self, profile_id: int) -> list[Conversation]:
        """Newest (most recently active) first."""
        return [
            Conversation(**r)
            for r in self.db.query(
                "SELECT * FROM conversations WHERE profile_id = ?"
                " ORDER BY updated DESC, id DESC",
                [profile_id],
            )
        ]

    @_friendly
    def rename_conversation(self, conversation_id: int, title: str) -> Conversation:
        title = title.strip()
        if not title:
            raise StorageError("A conversation's name cannot be empty.")
        with self.db.atomic():
            self.db.execute(
                "UPDATE conversations SET title = ? WHERE id = ?", [title, conversation_id]
            )
        return self.conversation(conversation_id)

    @_friendly
    def delete_conversation(self, conversation_id: int) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM conversations WHERE id = ?", [conversation_id])

    # --- messages -------------------------------------------------------------------
    @_friendly
    def add_message(
        self,
        conversation_id: int,
        role: str,
        content: str,
        status: str = MessageStatus.COMPLETE,
        model: str | None = None,
        sources: Iterable = (),
        readability: dict | None = None,
        timings: dict | None = None,
    ) -> int:
        _check_status(status)
        stamp = now()
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO messages (conversation_id, role, content, status, model, created,"
                " sources, readability, timings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [conversation_id, role, content, status, model, stamp,
                 json.dumps(list(sources)), json.dumps(readability or {}),
                 json.dumps(timings or {})],
            )
            # The first question names the conversation, unless it was named already.
            title = title_from(content) if role == "user" else ""
            self.db.execute(
                "UPDATE conversations SET updated = ?,"
                " title = CASE WHEN title = '' THEN ? ELSE title END WHERE id = ?",
                [stamp, title, conversation_id],
            )
        return cursor.lastrowid

    @_friendly
    def update_message(
        self,
        message_id: int,
        *,
        content: str | None = None,
        status: str | None = None,
        model: str | None = None,
        sources: Iterable | None = None,
        readability: dict | None = None,
        timings: dict | None = None,
    ) -> None:
        changes: dict[str, Any] = {}
        if content is not None:
            changes["content"] = content
        if status is not None:
            _check_status(status)
            changes["status"] = status
        if model is not None:
            changes["model"] = model
        for key, value in (("sources", sources), ("readability", readability),
                           ("timings", timings)):
            if value is not None:
                changes[key] = json.dumps(list(value) if key == "sources" else value)
        if not changes:
            return
        with self.db.atomic():
            self.db.execute(
                "UPDATE messages SET " + ", ".join(f"{k} = ?" for k in changes) + " WHERE id = ?",
                [*changes.values(), message_id],
            )

    @_friendly
    def messages(self, conversation_id: int) -> list[Message]:
        return [
            _message(r)
            for r in self.db.query(
                "SELECT * FROM messages WHERE conversation_id = ? ORDER BY id", [conversation_id]
            )
        ]

    @_friendly
    def mark_interrupted(self) -> int:
        """Answers left ``streaming`` by a crash become ``interrupted``; call once at start."""
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE messages SET status = 'interrupted' WHERE status = 'streaming'"
            )
        return cursor.rowcount

    @_friendly
    def search(
        self, profile_id: int, query: str, limit: int = 50, mark: tuple[str, str] = ("**", "**")
    ) -> list[SearchHit]:
        """Full-text search over one profile's messages, best matches first."""
        if not query.strip():
            return []
        rows = self.db.query(
            """
            SELECT m.conversation_id, c.title AS conversation_title, m.id AS message_id,
                   m.role, snippet(messages_fts, 0, :open, :close, '…', 12) AS snippet
            FROM messages_fts
            JOIN messages m ON m.id = messages_fts.rowid
            JOIN conversations c ON c.id = m.conversation_id
            WHERE messages_fts MATCH :query AND c.profile_id = :profile
            ORDER BY messages_fts.rank
            LIMIT :limit
            """,
            {"open": mark[0], "close": mark[1], "query": self.db.quote_fts(query),
             "profile": profile_id, "limit": limit},
        )
        return [SearchHit(**r) for r in rows]

    # --- settings ----------------------------------------------------------------------
    @_friendly
    def setting(self, key: str, default: Any = None) -> Any:
        row = self._one("SELECT value FROM settings WHERE key = ?", [key])
        return default if row is None else json.loads(row["value"])

    @_friendly
    def set_setting(self, key: str, value: Any) -> None:
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, json.dumps(value)],
            )

    # --- privacy -------------------------------------------------------------------------
    @_friendly
    def erase_profile(self, profile_id: int) -> None:
        """Forget a profile: its rows, its search index entries, and their bytes on disk."""
        self.profile(profile_id)  # NotFoundError for a wrong id
        with self.db.atomic():
            self.db.execute("DELETE FROM profiles WHERE id = ?", [profile_id])
            # Rebuilt from what is left, the index keeps no trace of the deleted text.
            self.db.execute("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')")
        if not self.location.in_memory:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.db.execute("VACUUM")
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # --- helpers --------------------------------------------------------------------------
    def _one(self, sql: str, params: list) -> dict | None:
        return next(iter(self.db.query(sql, params)), None)


def _check_status(status: str) -> None:
    if status not in tuple(MessageStatus):
        raise ValueError(f"unknown message status {status!r}")


def _profile_values(prefs: dict[str, Any]) -> dict[str, Any]:
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


def _profile(row: dict) -> Profile:
    return Profile(**{**row, "high_contrast": bool(row["high_contrast"])})


def _message(row: dict) -> Message:
    return Message(
        **{**row,
           "sources": tuple(json.loads(row["sources"])),
           "readability": json.loads(row["readability"]),
           "timings": json.loads(row["timings"])}
    )
