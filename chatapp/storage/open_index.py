"""The search index of an unlocked protected profile, in this process's memory only.

A protected profile's rows are sealed, so the file's full-text index holds no
word of them. Searching them by opening every message at each search took 565
ms over the storage benchmark's 100,000 messages; instead, the first search
after unlocking opens them once into an FTS5 table in an in-memory SQLite
database (never a file), and later searches take milliseconds. Writes made
through this process's stores while it is open are applied to it. It is kept
with the profile's key in ``vault.KEYRING``, so locking the profile drops both.
A change made by another CareChat process to the same profile is seen after the
next lock and unlock.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable


class OpenIndex:
    """One profile's messages, searchable with FTS5."""

    def __init__(self, messages: Iterable[tuple[int, int, str, str]]) -> None:
        """``messages``: (message id, conversation id, role, text)."""
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        self._db.execute(
            "CREATE VIRTUAL TABLE found USING fts5(content, conversation_id UNINDEXED,"
            " role UNINDEXED)")
        self._db.executemany(
            "INSERT INTO found (rowid, content, conversation_id, role) VALUES (?, ?, ?, ?)",
            ((m, text, c, role) for m, c, role, text in messages))

    def put(self, message_id: int, conversation_id: int, role: str, text: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM found WHERE rowid = ?", [message_id])
            self._db.execute("INSERT INTO found (rowid, content, conversation_id, role)"
                             " VALUES (?, ?, ?, ?)", [message_id, text, conversation_id, role])

    def set_text(self, message_id: int, text: str) -> None:
        with self._lock:
            row = self._db.execute("SELECT conversation_id, role FROM found WHERE rowid = ?",
                                   [message_id]).fetchone()
        if row is not None:
            self.put(message_id, row[0], row[1], text)

    def drop_conversation(self, conversation_id: int) -> None:
        with self._lock:
            self._db.execute("DELETE FROM found WHERE conversation_id = ?", [conversation_id])

    def search(self, match: str, limit: int, mark: tuple[str, str]) -> list[tuple]:
        """(conversation id, message id, role, snippet), best first."""
        with self._lock:
            return self._db.execute(
                "SELECT conversation_id, rowid, role, snippet(found, 0, ?, ?, '…', 12)"
                " FROM found WHERE found MATCH ? ORDER BY rank LIMIT ?",
                [mark[0], mark[1], match, limit]).fetchall()

    def close(self) -> None:
        with self._lock:
            self._db.close()
