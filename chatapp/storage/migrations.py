"""The schema, as an ordered list of migrations, each applied once in one transaction.

Add a migration by appending a function decorated with ``@migration``; never edit
one that has shipped. Each runs inside one transaction together with the row
that records it, so a crash leaves the database either before or after it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlite_utils import Database

from .locking import transaction

Migration = Callable[[Database], None]
MIGRATIONS: list[Migration] = []


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append(fn)
    return fn


def applied_migrations(db: Database) -> list[str]:
    if not db["_migrations"].exists():
        return []
    return [row["name"] for row in db.query("SELECT name FROM _migrations ORDER BY id")]


def apply_migrations(db: Database, upto: int | None = None) -> list[str]:
    """Apply the pending migrations (the first ``upto`` only, for tests); return their names."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS _migrations ("
        " id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, applied TEXT NOT NULL)"
    )
    newly = []
    for fn in MIGRATIONS[:upto]:
        if fn.__name__ in applied_migrations(db):
            continue
        with transaction(db):
            # Asked again under the write lock: another CareChat opening the same
            # new file may have applied it meanwhile.
            if fn.__name__ in applied_migrations(db):
                continue
            fn(db)
            db.execute(
                "INSERT INTO _migrations (name, applied) VALUES (?, ?)",
                [fn.__name__, datetime.now(UTC).isoformat(timespec="seconds")],
            )
        newly.append(fn.__name__)
    return newly


def schema_version(db: Database) -> int:
    return len(applied_migrations(db))


@migration
def m001_profiles_conversations_messages(db: Database) -> None:
    db.execute("""
        CREATE TABLE profiles (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            literacy_level TEXT NOT NULL DEFAULT 'basic'
                CHECK (literacy_level IN ('basic', 'standard', 'advanced')),
            target_grade INTEGER NOT NULL DEFAULT 6,
            language TEXT NOT NULL DEFAULT 'en',
            font_scale REAL NOT NULL DEFAULT 1.0,
            high_contrast INTEGER NOT NULL DEFAULT 0,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE conversations (
            id INTEGER PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            title TEXT NOT NULL,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX conversations_by_profile ON conversations(profile_id, updated)")
    db.execute("""
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
            content TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'complete'
                CHECK (status IN ('complete', 'streaming', 'cancelled', 'interrupted', 'error')),
            model TEXT,
            created TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX messages_by_conversation ON messages(conversation_id, id)")
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db["messages"].enable_fts(["content"], fts_version="FTS5", create_triggers=True)


@migration
def m002_message_sources_scores_timings(db: Database) -> None:
    # JSON text: sources cited, readability scores, generation timings.
    for column, empty in (("sources", "[]"), ("readability", "{}"), ("timings", "{}")):
        db.execute(f"ALTER TABLE messages ADD COLUMN {column} TEXT NOT NULL DEFAULT '{empty}'")
    db.execute("CREATE INDEX messages_by_status ON messages(status) WHERE status = 'streaming'")


@migration
def m003_profile_answer_style(db: Database) -> None:
    # The screener's preference: "short" answers, or "more_detail" (vocabulary.AnswerStyle).
    db.execute(
        "ALTER TABLE profiles ADD COLUMN answer_style TEXT NOT NULL DEFAULT 'short'"
        " CHECK (answer_style IN ('short', 'more_detail'))"
    )


@migration
def m004_streaming_owner(db: Database) -> None:
    # The process writing a "streaming" answer (its pid and start time): another
    # CareChat starting meanwhile marks the answer interrupted only once that
    # process is gone (storage/owner.py).
    db.execute("ALTER TABLE messages ADD COLUMN owner_pid INTEGER")
    db.execute("ALTER TABLE messages ADD COLUMN owner_started REAL")


@migration
def m005_profile_keys(db: Database) -> None:
    # A passcode-protected profile's wrapped data key (storage/vault.py); the
    # passcode is never stored. Its rows' text is sealed while this row exists.
    db.execute("""
        CREATE TABLE profile_keys (
            profile_id INTEGER PRIMARY KEY REFERENCES profiles(id) ON DELETE CASCADE,
            salt BLOB NOT NULL,
            n INTEGER NOT NULL,
            r INTEGER NOT NULL,
            p INTEGER NOT NULL,
            nonce BLOB NOT NULL,
            wrapped BLOB NOT NULL
        )""")
