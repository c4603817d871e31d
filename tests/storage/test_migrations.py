from __future__ import annotations

import json

import pytest

from chatapp.storage import MIGRATIONS, StoreLocation, open_store, schema_version
from chatapp.storage.database import connect
from chatapp.storage.migrations import applied_migrations, apply_migrations


def test_fresh_database_has_every_migration(store) -> None:
    assert schema_version(store.db) == len(MIGRATIONS)
    assert applied_migrations(store.db) == [m.__name__ for m in MIGRATIONS]


def test_migrations_apply_once(store) -> None:
    assert apply_migrations(store.db) == []
    assert schema_version(store.db) == len(MIGRATIONS)


def test_first_schema_version_upgrades_without_loss(db_path) -> None:
    db_path.parent.mkdir(parents=True)
    old = connect(db_path)
    assert apply_migrations(old, upto=1) == ["m001_profiles_conversations_messages"]
    now = "2026-01-01T00:00:00.000+00:00"
    with old.atomic():
        old.execute("INSERT INTO profiles (name, created, updated) VALUES ('Ana', ?, ?)",
                    [now, now])
        old.execute("INSERT INTO conversations (profile_id, title, created, updated) "
                    "VALUES (1, 'Asthma', ?, ?)", [now, now])
        old.execute("INSERT INTO messages (conversation_id, role, content, status, created) "
                    "VALUES (1, 'user', 'How do inhalers work?', 'complete', ?)", [now])
    old.close()

    store = open_store(StoreLocation(path=db_path))
    assert schema_version(store.db) == len(MIGRATIONS)
    (message,) = store.messages(1)
    assert message.content == "How do inhalers work?"
    assert (message.sources, message.readability, message.timings) == ((), {}, {})
    assert store.conversation(1).title == "Asthma"
    assert [h.message_id for h in store.search(1, "inhalers")] == [message.id]
    # The new columns work on the old rows.
    store.update_message(message.id, sources=["asthma-inhalers"])
    assert store.messages(1)[0].sources == ("asthma-inhalers",)
    row = store.db.execute("SELECT sources FROM messages").fetchone()
    assert json.loads(row[0]) == ["asthma-inhalers"]
    store.close()


def test_failed_migration_leaves_no_trace(db_path, monkeypatch) -> None:
    import chatapp.storage.migrations as migrations

    db_path.parent.mkdir(parents=True)
    db = connect(db_path)
    apply_migrations(db, upto=1)

    def broken(db):
        db.execute("ALTER TABLE messages ADD COLUMN half_done TEXT")
        raise RuntimeError("power cut")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*MIGRATIONS[:1], broken])
    with pytest.raises(RuntimeError, match="power cut"):
        migrations.apply_migrations(db)
    columns = [r[1] for r in db.execute("PRAGMA table_info(messages)").fetchall()]
    assert "half_done" not in columns
    assert applied_migrations(db) == ["m001_profiles_conversations_messages"]
