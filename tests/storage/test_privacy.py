from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from chatapp.storage import (
    NotFoundError,
    StoreLocation,
    export_profile,
    open_store,
    to_markdown,
    write_export,
)

SECRET = "zebracorn-7731-wobblefish"


def database_bytes(db_path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))


def fill(store, name: str, text: str) -> int:
    profile = store.create_profile(name)
    conv = store.create_conversation(profile.id)
    for i in range(30):
        store.add_message(conv.id, "user", f"{text} question {i}")
        store.add_message(conv.id, "assistant", f"answer about {text} number {i}")
    return profile.id


def test_forget_me_leaves_no_byte_of_the_profile(store, db_path) -> None:
    keep = fill(store, "Bo", "kept-words")
    gone = fill(store, "Ana", SECRET)
    assert SECRET.encode() in database_bytes(db_path)
    store.erase_profile(gone)
    assert SECRET.encode() not in database_bytes(db_path)
    assert b"Ana" not in database_bytes(db_path)
    # Everyone else's data is untouched and still searchable.
    assert [p.id for p in store.profiles()] == [keep]
    assert len(store.search(keep, "kept", limit=100)) == 60
    with pytest.raises(NotFoundError):
        store.erase_profile(gone)


def test_export_json_and_markdown(store, tmp_path) -> None:
    profile = store.create_profile("Ana")
    conv = store.create_conversation(profile.id)
    store.add_message(conv.id, "user", "What is asthma?")
    store.add_message(conv.id, "assistant", "Asthma makes airways narrow.", status="interrupted")
    data = export_profile(store, profile.id)
    assert data["profile"]["name"] == "Ana"
    (conversation,) = data["conversations"]
    assert [m["content"] for m in conversation["messages"]] == [
        "What is asthma?", "Asthma makes airways narrow."]
    assert "not a doctor" in data["disclaimer"]

    markdown = to_markdown(data)
    assert markdown.startswith("# CareChat conversations: Ana")
    assert "not a doctor" in markdown
    assert "**You:** What is asthma?" in markdown
    assert "**CareChat:** Asthma makes airways narrow. (cut off" in markdown

    out_json = write_export(store, profile.id, tmp_path / "ana.json")
    assert json.loads(out_json.read_text(encoding="utf-8"))["profile"]["name"] == "Ana"
    out_md = write_export(store, profile.id, tmp_path / "ana.md")
    assert out_md.read_text(encoding="utf-8") == markdown.replace(
        data["exported"][:16].replace("T", " "),
        json.loads(out_json.read_text())["exported"][:16].replace("T", " "))
    assert not list(tmp_path.glob(".*partial"))


def test_guest_store_is_memory_only_and_shared_between_connections(tmp_path) -> None:
    location = StoreLocation.guest()
    ui = open_store(location)
    worker = open_store(location)  # the model thread's own connection
    profile = ui.create_profile("Guest")
    conv = ui.create_conversation(profile.id)
    worker.add_message(conv.id, "user", SECRET)
    assert ui.messages(conv.id)[0].content == SECRET
    assert ui.search(profile.id, SECRET.split("-")[0])
    worker.close()
    ui.close()
    # A new visit starts empty: nothing of the last one survives.
    assert open_store(StoreLocation.guest()).profiles() == []
    assert list(tmp_path.iterdir()) == []


def test_erase_while_another_connection_reads_is_finished_at_the_next_start(
        store, db_path) -> None:
    from chatapp.config import load_settings
    from chatapp.session import open_app_store

    gone = fill(store, "Ana", SECRET)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the words in the main file too
    reader = sqlite3.connect(db_path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM messages").fetchone()  # holds that snapshot
    # The reader never lets go: the erase does not wait for ever, and says it is not done.
    assert store.erase_profile(gone, wait_s=0) is False
    assert store.profiles() == []
    assert SECRET.encode() in database_bytes(db_path)  # SQLite keeps it for the reader
    reader.execute("COMMIT")
    reader.close()
    store.close()
    opened = open_app_store(load_settings(db_path.parent))  # the next start finishes it
    assert SECRET.encode() not in database_bytes(db_path)
    assert opened.store.setting("erase_pending") is None
    assert opened.store.finish_erase() is True


def test_erase_with_no_other_reader_is_complete_at_once(store, db_path) -> None:
    gone = fill(store, "Ana", SECRET)
    assert store.erase_profile(gone, wait_s=0) is True
    assert SECRET.encode() not in database_bytes(db_path)
    assert store.setting("erase_pending") is None
