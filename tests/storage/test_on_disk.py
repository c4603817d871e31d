"""Files on disk: private to their owner, a read-only folder told apart from damage,
and a deleted -wal file told to the patient."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from chatapp.config import load_settings
from chatapp.session import open_app_store
from chatapp.storage import StorageError, StoreLocation, open_store, write_export
from chatapp.storage import database as database_module

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def usual_umask():
    """The usual 022, under which files used to come out readable by everyone."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_data_folder_and_files_are_private(tmp_path) -> None:
    data = tmp_path / "new" / "data"
    store = open_store(StoreLocation.in_data_dir(data))
    profile = store.create_profile("Ana")
    store.add_message(store.create_conversation(profile.id).id, "user", "What is asthma?")
    assert mode(data) == 0o700
    files = sorted(data.glob("carechat.db*"))
    assert [f.name for f in files] == ["carechat.db", "carechat.db-shm", "carechat.db-wal"]
    assert {f.name: mode(f) for f in files} == dict.fromkeys((f.name for f in files), 0o600)
    store.close()


def test_files_of_an_older_carechat_are_made_private(tmp_path) -> None:
    data = tmp_path / "data"
    open_store(StoreLocation.in_data_dir(data)).close()
    db = data / "carechat.db"
    db.chmod(0o644)
    data.chmod(0o755)
    store = open_store(StoreLocation.in_data_dir(data))
    assert mode(db) == 0o600
    assert mode(data) == 0o755  # a folder that existed may be the user's choice
    store.close()
    db.chmod(0o444)  # read-only on purpose: stays read-only, only others lose access
    database_module.make_private(db)
    assert mode(db) == 0o400


def test_the_default_data_folder_is_made_private(tmp_path, monkeypatch) -> None:
    import chatapp.session as session

    data = tmp_path / "CareChat"
    data.mkdir(mode=0o755)
    monkeypatch.setattr(session, "default_data_dir", lambda: data)
    open_app_store(load_settings(data)).store.close()
    assert mode(data) == 0o700


def test_moved_aside_copies_are_private(tmp_path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "carechat.db").write_text("my notes, not a database")
    (data / "carechat.db").chmod(0o644)
    store = open_store(StoreLocation.in_data_dir(data))
    assert mode(store.moved_aside) == 0o600
    assert mode(data / "carechat.db") == 0o600
    store.close()


def test_exports_are_private_and_never_replace_a_file_unasked(store, profile, tmp_path):
    store.add_message(store.create_conversation(profile.id).id, "user", "What is asthma?")
    out = write_export(store, profile.id, tmp_path / "ana.md")
    assert mode(out) == 0o600
    kept = tmp_path / "notes.json"
    kept.write_text("someone's other file")
    kept.chmod(0o600)
    with pytest.raises(FileExistsError):
        write_export(store, profile.id, kept)
    assert kept.read_text() == "someone's other file"
    write_export(store, profile.id, kept, overwrite=True)
    assert "What is asthma?" in kept.read_text() and mode(kept) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


# --- a read-only data folder ---------------------------------------------------------
# Captured from a real run as a non-root user (tests run as root, whom permission bits
# do not stop): a WAL database in a folder the user cannot write to. Even the
# read-only health check fails, since SQLite cannot create the -shm file there.
READ_ONLY_MESSAGE = "attempt to write a readonly database"


def read_only_error() -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError(READ_ONLY_MESSAGE)
    exc.sqlite_errorcode = 1544
    exc.sqlite_errorname = "SQLITE_READONLY_DIRECTORY"
    return exc


@pytest.fixture
def read_only_folder(tmp_path, monkeypatch) -> Path:
    """A healthy database whose every connection fails as in a read-only folder."""
    data = tmp_path / "data"
    store = open_store(StoreLocation.in_data_dir(data))
    store.create_profile("Ana")
    store.close()

    def refuse(target, busy_timeout_s, uri=False):
        raise read_only_error()

    monkeypatch.setattr(database_module, "open_connection", refuse)
    return data


def test_a_read_only_folder_is_not_damage(read_only_folder) -> None:
    db = read_only_folder / "carechat.db"
    before = db.read_bytes()
    assert database_module.check_health(db) == "unknown"
    with pytest.raises(StorageError) as err:
        open_store(StoreLocation.in_data_dir(read_only_folder))
    assert "read-only" in err.value.message and "damaged" not in err.value.message
    assert "--data-dir" in err.value.hint
    assert sorted(p.name for p in read_only_folder.iterdir()) == ["carechat.db"]
    assert db.read_bytes() == before


def test_the_window_says_read_only_and_keeps_the_file(read_only_folder) -> None:
    opened = open_app_store(load_settings(read_only_folder))
    (notice,) = opened.notices
    assert "read-only" in notice and "moved" not in notice
    assert not list(read_only_folder.glob("*damaged*"))


def test_health_check_tells_damage_from_other_errors(tmp_path, monkeypatch) -> None:
    db = tmp_path / "carechat.db"
    open_store(StoreLocation(path=db)).close()
    assert database_module.check_health(db) == "healthy"
    for name, verdict in (("SQLITE_CORRUPT", "damaged"), ("SQLITE_NOTADB", "damaged"),
                          ("SQLITE_BUSY", "unknown"), ("SQLITE_CANTOPEN", "unknown"),
                          ("SQLITE_READONLY_DIRECTORY", "unknown")):
        def fail(target, busy_timeout_s, uri=False, name=name):
            exc = sqlite3.DatabaseError(name)
            exc.sqlite_errorname = name
            raise exc

        monkeypatch.setattr(database_module, "open_connection", fail)
        assert database_module.check_health(db) == verdict, name


# --- the -wal file deleted after a kill ----------------------------------------------
KILLED_AFTER_SAVING = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from chatapp.storage import StoreLocation, open_store

    store = open_store(StoreLocation.in_data_dir(Path(sys.argv[1])))
    conv = store.create_conversation(store.profile_or_create("Ana").id)
    store.add_message(conv.id, "user", "the last question")
    os._exit(9)  # as if killed: no clean close, the WAL is not copied back
""")


def killed_after_saving(data: Path) -> None:
    done = subprocess.run([sys.executable, "-c", KILLED_AFTER_SAVING, str(data)], cwd=REPO,
                          timeout=600)
    assert done.returncode == 9
    assert (data / "carechat.db-wal").exists()


def test_a_deleted_wal_file_after_a_kill_is_told(tmp_path) -> None:
    data = tmp_path / "data"
    killed_after_saving(data)
    (data / "carechat.db-wal").unlink()
    opened = open_app_store(load_settings(data))
    assert any("carechat.db-wal" in n and "may be lost" in n for n in opened.notices)
    assert opened.store.find_profile("Ana") is None  # what the WAL held is gone indeed
    opened.store.close()
    # Told once: the next start finds nothing missing.
    assert not open_app_store(load_settings(data)).notices


def test_a_kill_with_the_wal_file_kept_loses_nothing_and_says_nothing(tmp_path) -> None:
    data = tmp_path / "data"
    killed_after_saving(data)
    opened = open_app_store(load_settings(data))
    assert opened.notices == []
    (conversation,) = opened.store.conversations(opened.store.profile_named("Ana").id)
    assert opened.store.messages(conversation.id)[0].content == "the last question"
