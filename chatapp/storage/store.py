"""The patient's data: profiles, conversations, messages, settings; export and erase.

One ``Store`` wraps one SQLite connection, which belongs to the thread that
opened it: the UI and the model worker each open their own on the same location.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from ..vocabulary import MessageStatus
from .database import DB_FILENAME, connect, open_database, open_for_reading
from .errors import NotFoundError, StorageError, translate
from .locking import BUSY_TIMEOUT_S, transaction
from .migrations import apply_migrations
from .open_index import OpenIndex
from .owner import StreamOwner, is_running
from .records import Conversation, Message, Profile, SearchHit
from .rows import (  # noqa: F401 (PROFILE_NAME_CHARS, fts_query, now: re-exported)
    PROFILE_NAME_CHARS,
    check_status,
    fts_query,
    message_record,
    name_form,
    now,
    profile_name,
    profile_record,
    profile_values,
    title_from,
)
from .vault import KEYRING, ProfileLockedError, seal, unseal

# "forget me" waits this long for other CareChats to let go of the old text.
ERASE_WAIT_S = 10.0
ERASE_PENDING_KEY = "erase_pending"  # an erase whose last step waits for the next start
# A protected profile's columns kept sealed (vault.py); the rest is bookkeeping
# (ids, times, status, the model's name).
SEALED_MESSAGE_COLUMNS = ("content", "sources", "readability", "timings")


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


def open_store(location: StoreLocation, *, read_only: bool = False) -> Store:
    """Open a store; a damaged file is moved aside (see ``Store.moved_aside``).

    ``read_only``: only read the file, where it cannot be written
    (``database.open_for_reading``); writing then raises a StorageError.
    """
    if location.in_memory:
        try:
            db = connect(None, memory_name=location.memory_name)
            apply_migrations(db)
        except sqlite3.Error as exc:
            raise translate(exc) from exc
        return Store(db, location)
    if read_only:
        return Store(open_for_reading(location.path), location)
    opened = open_database(location.path)
    return Store(opened.db, location, opened.moved_aside, opened.lost_changes)


# A row's profile, and whether that profile is sealed (Store._owner).
_OWNER_SQL = {
    "conversation": "SELECT c.profile_id, k.profile_id IS NOT NULL AS sealed"
                    " FROM conversations c LEFT JOIN profile_keys k ON k.profile_id ="
                    " c.profile_id WHERE c.id = ?",
    "message": "SELECT c.profile_id, k.profile_id IS NOT NULL AS sealed FROM messages m"
               " JOIN conversations c ON c.id = m.conversation_id LEFT JOIN profile_keys k"
               " ON k.profile_id = c.profile_id WHERE m.id = ?",
}


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
        self, db: Database, location: StoreLocation, moved_aside: Path | None = None,
        lost_changes: bool = False,
    ) -> None:
        self.db = db
        self.location = location
        self.moved_aside = moved_aside
        # The last changes of a CareChat that was killed were in a -wal file that
        # someone deleted before this start (database.lost_wal).
        self.lost_changes = lost_changes

    def close(self) -> None:
        self.db.close()

    # --- profiles ------------------------------------------------------------
    @_friendly
    def create_profile(self, name: str, **prefs: Any) -> Profile:
        try:
            return self.profile(self._insert_profile(name, prefs))
        except sqlite3.IntegrityError as exc:
            raise StorageError(
                f"There is already a profile called {profile_name(name)!r}.") from exc

    @_friendly
    def profile(self, profile_id: int) -> Profile:
        row = self._one("SELECT * FROM profiles WHERE id = ?", [profile_id])
        if row is None:
            raise NotFoundError(f"There is no profile number {profile_id}.")
        return profile_record(row)

    @_friendly
    def profile_named(self, name: str) -> Profile:
        row = self.find_profile(name)
        if row is None:
            # Other profiles' names are not listed: a shared computer's other
            # patients are nobody else's business.
            raise NotFoundError(f"There is no profile called {name.strip()!r}.",
                                "Check the name: it must match exactly, capitals included.")
        return row

    @_friendly
    def find_profile(self, name: str) -> Profile | None:
        """The profile called ``name``, or None; never creates one."""
        row = self._one("SELECT * FROM profiles WHERE name = ?", [name_form(name)])
        return None if row is None else profile_record(row)

    @_friendly
    def profile_or_create(self, name: str, **prefs: Any) -> Profile:
        """The profile called ``name``, created with ``prefs`` if there is none yet.

        Safe when two CareChats create the same new profile at once: one inserts
        it, the other finds it.
        """
        self._insert_profile(name, prefs, if_new=True)
        return self.profile_named(name)

    def _insert_profile(self, name: str, prefs: dict[str, Any], *, if_new: bool = False) -> int:
        """Insert a profile row and return its id; with ``if_new``, nothing happens
        when the name is taken (another CareChat may just have made it)."""
        name = profile_name(name)
        values = profile_values(prefs)
        stamp = now()
        with transaction(self.db):
            return self.db.execute(
                "INSERT INTO profiles (name, created, updated"
                + "".join(f", {k}" for k in values)
                + ") VALUES (?, ?, ?" + ", ?" * len(values) + ")"
                + (" ON CONFLICT(name) DO NOTHING" if if_new else ""),
                [name, stamp, stamp, *values.values()],
            ).lastrowid

    @_friendly
    def profiles(self) -> list[Profile]:
        return [profile_record(r) for r in self.db.query("SELECT * FROM profiles ORDER BY name")]

    @_friendly
    def update_profile(self, profile_id: int, **changes: Any) -> Profile:
        values = profile_values(changes)
        if values:
            with transaction(self.db):
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
        key = self.data_key(profile_id)
        title = title.strip()
        with transaction(self.db):
            cursor = self.db.execute(
                "INSERT INTO conversations (profile_id, title, created, updated)"
                " VALUES (?, ?, ?, ?)",
                [profile_id, self._seal(key, profile_id, "title", title) if title else "",
                 stamp, stamp],
            )
        return self.conversation(cursor.lastrowid)

    @_friendly
    def conversation(self, conversation_id: int) -> Conversation:
        row = self._one("SELECT * FROM conversations WHERE id = ?", [conversation_id])
        if row is None:
            raise NotFoundError(f"There is no conversation number {conversation_id}.")
        return self._conversation(row, self.data_key(row["profile_id"]))

    @_friendly
    def conversations(self, profile_id: int) -> list[Conversation]:
        """Newest (most recently active) first; ProfileLockedError for a locked profile."""
        key = self.data_key(profile_id)
        return [
            self._conversation(r, key)
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
        profile_id, key = self._owner("conversation", conversation_id)
        with transaction(self.db):
            self.db.execute(
                "UPDATE conversations SET title = ? WHERE id = ?",
                [self._seal(key, profile_id, "title", title), conversation_id]
            )
        return self.conversation(conversation_id)

    @_friendly
    def delete_conversation(self, conversation_id: int) -> None:
        profile_id = self._owner("conversation", conversation_id)[0]
        with transaction(self.db):
            self.db.execute("DELETE FROM conversations WHERE id = ?", [conversation_id])
        if (index := KEYRING.index(self.place, profile_id)) is not None:
            index.drop_conversation(conversation_id)

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
        owner: StreamOwner | None = None,
    ) -> int:
        """Add a message; ``owner``: the process that goes on writing a streaming answer
        (a streaming row without one is taken for a crash's leftover)."""
        check_status(status)
        stamp = now()
        profile_id, key = self._owner("conversation", conversation_id)
        sealed = {column: self._seal(key, profile_id, column, text) for column, text in (
            ("content", content), ("sources", json.dumps(list(sources))),
            ("readability", json.dumps(readability or {})),
            ("timings", json.dumps(timings or {})))}
        with transaction(self.db):
            cursor = self.db.execute(
                "INSERT INTO messages (conversation_id, role, content, status, model, created,"
                " sources, readability, timings, owner_pid, owner_started)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [conversation_id, role, sealed["content"], status, model, stamp,
                 sealed["sources"], sealed["readability"], sealed["timings"],
                 owner and owner.pid, owner and owner.started],
            )
            # The first question names the conversation, unless it was named already.
            title = title_from(content) if role == "user" else ""
            self.db.execute(
                "UPDATE conversations SET updated = ?,"
                " title = CASE WHEN title = '' THEN ? ELSE title END WHERE id = ?",
                [stamp, self._seal(key, profile_id, "title", title) if title else "",
                 conversation_id],
            )
        if key is not None and (index := KEYRING.index(self.place, profile_id)):
            index.put(cursor.lastrowid, conversation_id, role, content)
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
            check_status(status)
            changes["status"] = status
        if model is not None:
            changes["model"] = model
        for key, value in (("sources", sources), ("readability", readability),
                           ("timings", timings)):
            if value is not None:
                changes[key] = json.dumps(list(value) if key == "sources" else value)
        if not changes:
            return
        profile_id, key = 0, None
        if changes.keys() & set(SEALED_MESSAGE_COLUMNS):
            profile_id, key = self._owner("message", message_id)
            changes = {k: self._seal(key, profile_id, k, v) if k in SEALED_MESSAGE_COLUMNS
                       else v for k, v in changes.items()}
        with transaction(self.db):
            self.db.execute(
                "UPDATE messages SET " + ", ".join(f"{k} = ?" for k in changes) + " WHERE id = ?",
                [*changes.values(), message_id],
            )
        if key is not None and content is not None and (
                index := KEYRING.index(self.place, profile_id)):
            index.set_text(message_id, content)

    @_friendly
    def messages(self, conversation_id: int) -> list[Message]:
        profile_id, key = self._owner("conversation", conversation_id)
        return [
            message_record(self._unseal_row(r, key, profile_id, SEALED_MESSAGE_COLUMNS))
            for r in self.db.query(
                "SELECT * FROM messages WHERE conversation_id = ? ORDER BY id", [conversation_id]
            )
        ]

    @_friendly
    def mark_interrupted(self) -> int:
        """Answers left ``streaming`` by a crash become ``interrupted``; call once at start.

        An answer that another CareChat is writing right now stays as it is.
        """
        streaming = self.db.query(
            "SELECT id, owner_pid, owner_started FROM messages WHERE status = 'streaming'")
        orphans = [row["id"] for row in streaming
                   if not is_running(StreamOwner(row["owner_pid"], row["owner_started"]))]
        if not orphans:
            return 0  # nothing to write: no lock to wait for, and a read-only file is fine
        with transaction(self.db):
            cursor = self.db.execute(
                "UPDATE messages SET status = 'interrupted' WHERE status = 'streaming'"
                f" AND id IN ({', '.join('?' * len(orphans))})",
                orphans,
            )
        return cursor.rowcount

    @_friendly
    def search(
        self, profile_id: int, query: str, limit: int = 50, mark: tuple[str, str] = ("**", "**")
    ) -> list[SearchHit]:
        """Full-text search over one profile's messages, best matches first.

        Any text searches for its words literally: quotes, ``*``, ``OR`` or ``NEAR``
        are words to find, never FTS5 query syntax.
        """
        match = fts_query(query)
        if not match:
            return []
        key = self.data_key(profile_id)  # ProfileLockedError: a locked profile finds nothing
        if key is not None:  # its index holds only sealed text: search the opened text
            return self._search_sealed(profile_id, key, match, limit, mark)
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
            {"open": mark[0], "close": mark[1], "query": match,
             "profile": profile_id, "limit": limit},
        )
        try:
            return [SearchHit(**r) for r in rows]
        except sqlite3.OperationalError as exc:
            # fts_query leaves no syntax to get wrong; should FTS5 still refuse the
            # query, that is no reason to say the data cannot be read.
            if getattr(exc, "sqlite_errorname", "") != "SQLITE_ERROR":
                raise
            raise StorageError("CareChat could not search for that text.",
                               "Try other words.") from exc

    def _search_sealed(self, profile_id: int, key: bytes, match: str, limit: int,
                       mark: tuple[str, str]) -> list[SearchHit]:
        """A protected profile's search, in its index in memory (open_index.py); the
        hits' titles are read from the file, which alone keeps them current."""
        index = KEYRING.index(self.place, profile_id) or KEYRING.keep_index(
            self.place, profile_id, self._open_index(profile_id, key))
        hits = index.search(match, limit, mark)
        titles = self._titles((c for c, *_ in hits), profile_id, key)
        return [SearchHit(c, titles[c], m, role, snippet)
                for c, m, role, snippet in hits if c in titles]

    def _open_index(self, profile_id: int, key: bytes) -> OpenIndex:
        rows = self.db.execute(
            "SELECT m.id, m.conversation_id, m.role, m.content FROM messages m"
            " JOIN conversations c ON c.id = m.conversation_id WHERE c.profile_id = ?",
            [profile_id])
        return OpenIndex((m, c, role, unseal(key, text, profile_id, "content"))
                         for m, c, role, text in rows)

    # --- settings ----------------------------------------------------------------------
    @_friendly
    def setting(self, key: str, default: Any = None) -> Any:
        row = self._one("SELECT value FROM settings WHERE key = ?", [key])
        return default if row is None else json.loads(row["value"])

    @_friendly
    def set_setting(self, key: str, value: Any) -> None:
        with transaction(self.db):
            self._set(key, value)

    def _set(self, key: str, value: Any) -> None:
        self.db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, json.dumps(value)],
        )

    # --- privacy -------------------------------------------------------------------------
    @_friendly
    def erase_profile(self, profile_id: int, wait_s: float = ERASE_WAIT_S) -> bool:
        """Forget a profile: its rows, its search index entries, and their bytes on disk.

        True when no byte of it is left in the files. False when another CareChat
        still reads an older state of the file after ``wait_s`` seconds: SQLite then
        keeps the old pages for it until it lets go (its reads take milliseconds;
        a process stopped mid-read holds them until it closes). The profile is gone
        either way; the wiping ends when the other CareChat closes, or at the next
        start (``finish_erase``).
        """
        self.profile(profile_id)  # NotFoundError for a wrong id
        with transaction(self.db):
            self.db.execute("DELETE FROM profiles WHERE id = ?", [profile_id])
            # Rebuilt from what is left, the index keeps no trace of the deleted text.
            self.db.execute("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')")
            if not self.location.in_memory:
                self._set(ERASE_PENDING_KEY, True)
        return self.location.in_memory or self._wipe(wait_s)

    @_friendly
    def finish_erase(self, wait_s: float = 0.0) -> bool:
        """Finish wiping an erase that had to wait for another CareChat; call at start.

        True when nothing is (or was) left to wipe.
        """
        if self.location.in_memory or not self.setting(ERASE_PENDING_KEY, False):
            return True
        return self._wipe(wait_s)

    def mark_for_scrub(self) -> None:
        """Inside a transaction that replaces text (a profile sealed or opened): should
        this process die before ``scrub``, the next start scrubs (``finish_erase``)."""
        if not self.location.in_memory:
            self._set(ERASE_PENDING_KEY, True)

    def scrub(self, wait_s: float = ERASE_WAIT_S) -> bool:
        """Leave no copy of replaced text in the file's free pages or the WAL (after
        ``mark_for_scrub``); False when another CareChat still reads an older state
        (then the next start finishes it, as for an erase)."""
        return self.location.in_memory or self._wipe(wait_s)

    def _wipe(self, wait_s: float) -> bool:
        """Compact the file and copy the WAL into it, then empty the WAL."""
        self.db.execute("VACUUM")
        if not self._checkpoint(wait_s):
            return False
        with transaction(self.db):
            self.db.execute("DELETE FROM settings WHERE key = ?", [ERASE_PENDING_KEY])
        self._checkpoint(wait_s)  # only the flag's row: nothing erased is in it
        return True

    def _checkpoint(self, wait_s: float) -> bool:
        """Copy every change into the main file and empty the WAL, waiting up to
        ``wait_s`` for readers of older states; True when done."""
        self.db.execute(f"PRAGMA busy_timeout = {int(wait_s * 1000)}")
        try:
            busy, _, _ = self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            self.db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        return busy == 0

    # --- protected profiles (vault.py; protection.py protects and unprotects) -----------
    @property
    def place(self) -> str:
        """Which database this is, for the keyring: its file or its memory name."""
        return str(self.location.path) if self.location.path else str(self.location.memory_name)

    @_friendly
    def is_protected(self, profile_id: int) -> bool:
        return self._one("SELECT 1 AS yes FROM profile_keys WHERE profile_id = ?",
                         [profile_id]) is not None

    def is_unlocked(self, profile_id: int) -> bool:
        """True for a profile whose text can be read now (unprotected, or unlocked)."""
        return not self.is_protected(profile_id) or \
            KEYRING.get(self.place, profile_id) is not None

    def data_key(self, profile_id: int) -> bytes | None:
        """The profile's unlocked data key; None when it is not protected;
        ProfileLockedError when it is protected and locked."""
        return self._unlocked_key(profile_id) if self.is_protected(profile_id) else None

    def _unlocked_key(self, profile_id: int) -> bytes:
        key = KEYRING.get(self.place, profile_id)
        if key is None:
            raise ProfileLockedError()
        return key

    def _owner(self, of: str, row_id: int) -> tuple[int, bytes | None]:
        """The profile a conversation or message (``of``) belongs to, and its key as
        ``data_key`` gives it: one query, since every save of a streaming answer
        asks."""
        row = self._one(_OWNER_SQL[of], [row_id])
        if row is None:
            raise NotFoundError(f"There is no {of} number {row_id}.")
        profile_id = row["profile_id"]
        return profile_id, self._unlocked_key(profile_id) if row["sealed"] else None

    def _titles(self, conversation_ids: Iterable[int], profile_id: int,
                key: bytes | None) -> dict[int, str]:
        ids = list(set(conversation_ids))
        rows = self.db.query(f"SELECT id, title FROM conversations WHERE id IN"
                             f" ({', '.join('?' * len(ids))})", ids) if ids else []
        return {r["id"]: self._unseal_row(r, key, profile_id, ("title",))["title"]
                for r in rows}

    @staticmethod
    def _seal(key: bytes | None, profile_id: int, column: str, text: str) -> str:
        return text if key is None else seal(key, text, profile_id, column)

    @staticmethod
    def _unseal_row(row: dict, key: bytes | None, profile_id: int,
                    columns: Iterable[str]) -> dict:
        if key is None:
            return row
        return {**row, **{c: unseal(key, row[c], profile_id, c) for c in columns}}

    def _conversation(self, row: dict, key: bytes | None) -> Conversation:
        return Conversation(**self._unseal_row(row, key, row["profile_id"], ("title",)))

    # --- helpers --------------------------------------------------------------------------
    def _one(self, sql: str, params: list) -> dict | None:
        return next(iter(self.db.query(sql, params)), None)
