"""Passcode-protected profiles: sealed at rest, locked by the patient (storage/vault.py,
storage/protection.py). Every file of the data folder is searched byte by byte,
as the erase test does."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from chatapp.storage import StorageError, Store, StoreLocation, open_store, protection, write_export
from chatapp.storage.vault import (
    KEYRING,
    PasscodeError,
    ProfileLockedError,
    WrongPasscodeError,
)

PASSCODE = "correct horse"
SECRET_WORDS = ("zebrafinch", "quokkarash", "wombatcough", "kiwiteeth")
REPO = Path(__file__).resolve().parents[2]


def data_bytes(folder: Path) -> bytes:
    """Every byte of every file in the data folder (the database, its WAL, anything)."""
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def fill(store: Store, name: str) -> tuple[int, int]:
    profile = store.create_profile(name)
    conversation = store.create_conversation(profile.id)
    store.add_message(conversation.id, "user", f"Is a {SECRET_WORDS[0]} diet bad for my heart?")
    answer = store.add_message(conversation.id, "assistant", f"{SECRET_WORDS[1]} is common.",
                               sources=[{"id": "eczema", "title": SECRET_WORDS[2]}],
                               readability={"grade": 4.5})
    store.update_message(answer, content=f"{SECRET_WORDS[1]} is common. See a doctor.")
    store.rename_conversation(conversation.id, f"About {SECRET_WORDS[3]}")
    return profile.id, conversation.id


@pytest.fixture(autouse=True)
def _fresh_keyring():
    yield
    KEYRING._keys.clear()  # no unlocked key carries over to another test


def test_with_the_passcode_the_profile_works_as_before(store) -> None:
    profile_id, conversation_id = fill(store, "Ana")
    assert protection.protect(store, profile_id, PASSCODE)  # scrubbed at once
    assert store.is_protected(profile_id) and store.is_unlocked(profile_id)
    (conversation,) = store.conversations(profile_id)
    assert conversation.title == f"About {SECRET_WORDS[3]}"
    question, answer = store.messages(conversation_id)
    assert question.content.startswith(f"Is a {SECRET_WORDS[0]}")
    assert answer.content.endswith("See a doctor.")
    assert answer.sources[0]["title"] == SECRET_WORDS[2] and answer.readability == {"grade": 4.5}
    assert [h.message_id for h in store.search(profile_id, SECRET_WORDS[0].upper())] == \
        [question.id]
    assert "**" in store.search(profile_id, SECRET_WORDS[1])[0].snippet
    new = store.create_conversation(profile_id)
    store.add_message(new.id, "user", "A new question after protecting")
    assert store.conversation(new.id).title == "A new question after protecting"


def test_without_the_passcode_no_byte_of_it_is_readable_anywhere(store, db_path) -> None:
    profile_id, conversation_id = fill(store, "Ana")
    other_id, _ = fill(store, "Ben")  # unprotected, next to it
    protection.protect(store, profile_id, PASSCODE)
    second = open_store(StoreLocation(path=db_path))  # the model worker's connection
    second.add_message(conversation_id, "user", "and wombatcough again while unlocked")
    second.close()
    protection.lock(store, profile_id)
    for read in (lambda: store.conversations(profile_id),
                 lambda: store.conversation(conversation_id),
                 lambda: store.messages(conversation_id),
                 lambda: store.search(profile_id, SECRET_WORDS[0]),
                 lambda: store.add_message(conversation_id, "user", "x")):
        with pytest.raises(ProfileLockedError):
            read()
    store.close()
    # Ben's rows, unprotected, are there in clear and found by the index.
    ben = open_store(StoreLocation(path=db_path))
    assert ben.search(other_id, SECRET_WORDS[0])
    ben.close()
    raw = data_bytes(db_path.parent)
    assert all(w.encode() in raw for w in SECRET_WORDS)  # Ben's copies
    assert b"again while unlocked" not in raw  # Ana's own words: nowhere
    # With Ben erased, not one of the words is left: none of Ana's is readable.
    erased = open_store(StoreLocation(path=db_path))
    erased.erase_profile(other_id)
    erased.close()
    raw = data_bytes(db_path.parent)
    for word in (*SECRET_WORDS, "again while unlocked", "Is a ", "See a doctor", "eczema"):
        assert word.encode() not in raw, word
    assert b"correct horse" not in raw  # nor the passcode


def test_a_wrong_passcode_opens_nothing_and_a_short_one_is_refused(store) -> None:
    profile_id, _ = fill(store, "Ana")
    with pytest.raises(PasscodeError):
        protection.protect(store, profile_id, "abc")
    protection.protect(store, profile_id, PASSCODE)
    protection.lock(store, profile_id)
    with pytest.raises(WrongPasscodeError):
        protection.unlock(store, profile_id, PASSCODE.upper())
    assert not store.is_unlocked(profile_id)
    protection.unlock(store, profile_id, PASSCODE)
    assert store.conversations(profile_id)
    with pytest.raises(StorageError, match="already has a passcode"):
        protection.protect(store, profile_id, "another one")


def test_changing_the_passcode_leaves_the_old_one_useless(store, db_path) -> None:
    profile_id, _ = fill(store, "Ana")
    protection.protect(store, profile_id, PASSCODE)
    old_wrapping = store.db.execute(
        "SELECT wrapped FROM profile_keys WHERE profile_id = ?", [profile_id]).fetchone()[0]
    with pytest.raises(WrongPasscodeError):
        protection.change_passcode(store, profile_id, "not it", "new passcode")
    protection.change_passcode(store, profile_id, PASSCODE, "new passcode")
    protection.lock(store, profile_id)
    with pytest.raises(WrongPasscodeError):
        protection.unlock(store, profile_id, PASSCODE)
    protection.unlock(store, profile_id, "new passcode")
    assert store.conversations(profile_id)[0].title == f"About {SECRET_WORDS[3]}"
    assert old_wrapping not in data_bytes(db_path.parent)  # no copy to try the old one on


def test_removing_the_passcode_gives_back_every_message_and_the_index(store) -> None:
    profile_id, conversation_id = fill(store, "Ana")
    before = store.messages(conversation_id)
    protection.protect(store, profile_id, PASSCODE)
    protection.lock(store, profile_id)
    with pytest.raises(WrongPasscodeError):
        protection.unprotect(store, profile_id, "nope nope")
    protection.unprotect(store, profile_id, PASSCODE)
    assert not store.is_protected(profile_id)
    assert store.messages(conversation_id) == before
    assert store.search(profile_id, SECRET_WORDS[0])  # FTS5 finds it again


def test_export_of_a_protected_profile_needs_it_unlocked(store, tmp_path) -> None:
    profile_id, _ = fill(store, "Ana")
    protection.protect(store, profile_id, PASSCODE)
    protection.lock(store, profile_id)
    with pytest.raises(ProfileLockedError):
        write_export(store, profile_id, tmp_path / "ana.json")
    assert not (tmp_path / "ana.json").exists()
    assert "not encrypted" in protection.export_note(True)
    protection.unlock(store, profile_id, PASSCODE)
    out = write_export(store, profile_id, tmp_path / "ana.md")
    assert SECRET_WORDS[0] in out.read_text(encoding="utf-8")


def test_an_erased_protected_profile_leaves_no_key(store) -> None:
    profile_id, _ = fill(store, "Ana")
    protection.protect(store, profile_id, PASSCODE)
    store.erase_profile(profile_id)
    assert store.db.execute("SELECT count(*) FROM profile_keys").fetchone()[0] == 0


# --- killed half-way -----------------------------------------------------------------

CHILD = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from chatapp.storage import StoreLocation, open_store
    from chatapp.storage import protection
    store = open_store(StoreLocation(path=Path(sys.argv[1])))
    protection._HALF_WAY_HOOK = lambda: os.kill(os.getpid(), signal.SIGKILL)
    (profile,) = [p for p in store.profiles() if p.name == "Ana"]
    if sys.argv[2] == "protect":
        protection.protect(store, profile.id, sys.argv[3])
    else:
        protection.unprotect(store, profile.id, sys.argv[3])
""")


def kill_half_way(db_path: Path, action: str) -> None:
    child = subprocess.run([sys.executable, "-c", CHILD, str(db_path), action, PASSCODE],
                           cwd=REPO, capture_output=True, text=True, timeout=120,
                           env={**os.environ, "PYTHONPATH": str(REPO)})
    assert child.returncode == -9, child.stderr  # SIGKILL, mid-way through the rows


def many_messages(store: Store) -> tuple[int, list]:
    profile_id, conversation_id = fill(store, "Ana")
    for n in range(40):
        store.add_message(conversation_id, "user", f"question {n} about {SECRET_WORDS[0]}")
    return profile_id, store.messages(conversation_id)


def test_protecting_survives_sigkill_with_nothing_lost(store, db_path) -> None:
    profile_id, before = many_messages(store)
    store.close()
    kill_half_way(db_path, "protect")
    again = open_store(StoreLocation(path=db_path))
    assert not again.is_protected(profile_id)  # as it was: one transaction, all or nothing
    assert again.messages(before[0].conversation_id) == before
    assert len(again.search(profile_id, SECRET_WORDS[0])) == len(before) - 1
    protection.protect(again, profile_id, PASSCODE)  # and it can be done again
    assert again.messages(before[0].conversation_id) == before
    again.close()


def test_unprotecting_survives_sigkill_with_nothing_lost(store, db_path) -> None:
    profile_id, before = many_messages(store)
    protection.protect(store, profile_id, PASSCODE)
    store.close()
    KEYRING._keys.clear()
    kill_half_way(db_path, "unprotect")
    again = open_store(StoreLocation(path=db_path))
    assert again.is_protected(profile_id) and not again.is_unlocked(profile_id)
    raw = data_bytes(db_path.parent)
    assert b"question 7 about" not in raw  # still sealed, every row
    protection.unlock(again, profile_id, PASSCODE)
    assert again.messages(before[0].conversation_id) == before
    again.close()


def test_the_search_index_in_memory_follows_writes_and_goes_with_the_lock(store, db_path):
    profile_id, conversation_id = fill(store, "Ana")
    protection.protect(store, profile_id, PASSCODE)
    assert store.search(profile_id, SECRET_WORDS[0])  # built on this first search
    worker = open_store(StoreLocation(path=db_path))  # the model's thread, same process
    message = worker.add_message(conversation_id, "assistant", "Try a dingoberry poultice.")
    worker.update_message(message, content="Try a dingoberry compress instead.")
    worker.close()
    (hit,) = store.search(profile_id, "dingoberry")
    assert hit.message_id == message and "compress" in hit.snippet
    assert hit.conversation_title == f"About {SECRET_WORDS[3]}"
    store.rename_conversation(conversation_id, "Renamed")
    assert store.search(profile_id, "dingoberry")[0].conversation_title == "Renamed"
    store.delete_conversation(conversation_id)
    assert store.search(profile_id, "dingoberry") == []
    protection.lock(store, profile_id)
    assert KEYRING.index(store.place, profile_id) is None
    with pytest.raises(ProfileLockedError):
        store.search(profile_id, "dingoberry")
