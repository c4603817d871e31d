from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from chatapp.storage import StorageError, StoreLocation, TurnLog, open_store


def test_non_sqlite_file_is_moved_aside_not_deleted(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_text("these are my notes, not a database")
    store = open_store(StoreLocation(path=db_path))
    assert store.moved_aside is not None
    assert store.moved_aside.read_text() == "these are my notes, not a database"
    assert store.moved_aside.name.startswith("carechat.db.damaged-")
    assert store.profiles() == []  # a fresh, working database
    store.create_profile("Ana")


def test_corrupt_database_is_moved_aside_with_its_wal(db_path: Path) -> None:
    store = open_store(StoreLocation(path=db_path))
    profile = store.create_profile("Ana")
    conv = store.create_conversation(profile.id)
    for i in range(200):
        store.add_message(conv.id, "user", f"message {i} " + "x" * 200)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = bytearray(db_path.read_bytes())
    data[4096:20480] = b"\x00garbage" * 2048  # smash pages after the header
    db_path.write_bytes(bytes(data))
    (db_path.parent / "carechat.db-wal").write_bytes(b"")

    reopened = open_store(StoreLocation(path=db_path))
    assert reopened.moved_aside is not None
    assert reopened.moved_aside.read_bytes() == bytes(data)
    assert Path(str(reopened.moved_aside) + "-wal").exists()
    assert reopened.profiles() == []


def test_two_damaged_files_in_one_second_keep_both(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    moved = []
    for text in ("first", "second"):
        db_path.write_text(text)
        store = open_store(StoreLocation(path=db_path))
        moved.append(store.moved_aside)
        store.close()
        db_path.unlink()
        for side in db_path.parent.glob("carechat.db-*"):
            side.unlink()
    assert moved[0] != moved[1]
    assert {p.read_text() for p in moved} == {"first", "second"}


def test_data_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError) as err:
        open_store(StoreLocation(path=blocker / "data" / "carechat.db"))
    assert "--data-dir" in err.value.hint


def test_full_disk_is_a_clear_error_and_the_store_survives(store, profile) -> None:
    conv = store.create_conversation(profile.id)
    # Cap the file at its current size: the next page SQLite needs is "disk full".
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StorageError) as err:
        for _ in range(50):
            store.add_message(conv.id, "user", "y" * 5000)
    assert "disk is full" in err.value.message
    assert "Free some space" in err.value.hint
    store.db.execute("PRAGMA max_page_count = 1073741823")
    store.add_message(conv.id, "user", "works again")


def test_read_only_database_is_a_clear_error(store, profile) -> None:
    store.db.execute("PRAGMA query_only = ON")  # SQLite answers as for a read-only file
    with pytest.raises(StorageError) as err:
        store.create_conversation(profile.id)
    assert "read-only" in err.value.message
    assert "--data-dir" in err.value.hint


def test_turn_log_keeps_the_answer_going_when_saving_fails(store, profile) -> None:
    conv = store.create_conversation(profile.id)
    store.db.execute("PRAGMA query_only = ON")
    log = TurnLog(store, conv.id)
    log.begin("What is asthma?")
    log.progress("Asthma is")
    log.finish("complete")
    assert log.error is not None and "read-only" in str(log.error)
    assert log.text == "Asthma is"


def test_unknown_sqlite_errors_still_read_plainly() -> None:
    from chatapp.storage.errors import translate

    err = translate(sqlite3.OperationalError("something odd"))
    assert "could not read or save" in err.message
