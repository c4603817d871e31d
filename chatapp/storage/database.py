"""Open the SQLite file safely: damaged files moved aside, pragmas set, schema migrated."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from .errors import StorageError, translate
from .migrations import apply_migrations

DB_FILENAME = "carechat.db"
SQLITE_HEADER = b"SQLite format 3\x00"
SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class Opened:
    db: Database
    moved_aside: Path | None  # where a damaged file was put, to tell the user


def connect(path: Path | str | None, memory_name: str | None = None) -> Database:
    """A connection in autocommit mode: every write goes through ``db.atomic()``.

    Python's default implicit transactions would leave a transaction open after
    a plain write, and a later ``atomic()`` would then only make a savepoint
    that never commits.
    """
    if memory_name is not None:
        uri = f"file:{memory_name}?mode=memory&cache=shared"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=5.0)
    db = Database(conn)
    db.execute("PRAGMA foreign_keys = ON")
    # Deleted text is overwritten, not left in free pages ("forget me").
    db.execute("PRAGMA secure_delete = ON")
    return db


def open_database(path: Path) -> Opened:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(
            f"CareChat cannot create its data folder {path.parent} ({exc.strerror or exc}).",
            "Choose a folder you can write to with --data-dir.",
        ) from exc
    moved = None if _looks_healthy(path) else move_aside(path)
    try:
        try:
            return Opened(_prepared(connect(path)), moved)
        except sqlite3.DatabaseError as exc:
            if moved is not None or not _is_damage(exc):
                raise
            moved = move_aside(path)
            return Opened(_prepared(connect(path)), moved)
    except sqlite3.Error as exc:
        raise translate(exc) from exc


def _prepared(db: Database) -> Database:
    db.execute("PRAGMA journal_mode = WAL")
    # In WAL mode, NORMAL survives a crash or a killed process; FULL also
    # survives a power cut, for a few milliseconds per saved message.
    db.execute("PRAGMA synchronous = FULL")
    apply_migrations(db)
    return db


def _is_damage(exc: sqlite3.DatabaseError) -> bool:
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in str(exc)


def _looks_healthy(path: Path) -> bool:
    """False for a file that exists but is not a readable SQLite database."""
    try:
        if not path.exists() or path.stat().st_size == 0:
            return True
        with path.open("rb") as fh:
            if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return False
    except OSError:
        return True  # unreadable: let sqlite report it as a permissions problem
    try:
        probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            result = probe.execute("PRAGMA quick_check").fetchone()
        finally:
            probe.close()
    except sqlite3.DatabaseError:
        return False
    return result is not None and result[0] == "ok"


def move_aside(path: Path) -> Path:
    """Rename a damaged database (and its side files) out of the way; never delete it."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    try:
        path.rename(target)
        for suffix in SIDE_FILES:
            side = path.with_name(path.name + suffix)
            if side.exists():
                side.rename(target.with_name(target.name + suffix))
    except OSError as exc:
        raise StorageError(
            f"CareChat's data file {path} is damaged and could not be moved aside "
            f"({exc.strerror or exc}).",
            "Move or rename that file yourself, then start CareChat again.",
        ) from exc
    return target
