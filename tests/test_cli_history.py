from __future__ import annotations

import io
import json
import os
import sqlite3
import sys
from pathlib import Path

import pytest

from chatapp import cli
from chatapp.storage import StoreLocation, open_store

SECRET = "quokka-5519-lemonade"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def ask(capsys, tiny_model_dir: Path, tmp_path: Path):
    def _ask(*extra: str) -> dict:
        code, out, err = run(capsys, "--data-dir", str(tmp_path), "--model", str(tiny_model_dir),
                             "ask", "--json", "--max-tokens", "6", *extra)
        assert code == 0, err
        return json.loads(out)
    return _ask


def test_ask_with_profile_saves_and_continues(capsys, ask, tmp_path):
    first = ask("--profile", "Ana", "What is asthma?")
    assert first["saved"] is True
    second = ask("--profile", "Ana", "--conversation", str(first["conversation_id"]),
                 "And inhalers?")
    assert second["conversation_id"] == first["conversation_id"]
    assert second["prompt_tokens"] > first["prompt_tokens"]  # the history came along
    store = open_store(StoreLocation.in_data_dir(tmp_path))
    messages = store.messages(first["conversation_id"])
    assert [m.content for m in messages][::2] == ["What is asthma?", "And inhalers?"]
    assert all(m.status == "complete" for m in messages)


def test_ask_without_profile_saves_nothing(ask, tmp_path):
    payload = ask("Hello")
    assert "conversation_id" not in payload
    assert not (tmp_path / "carechat.db").exists()


def test_conversation_of_another_profile_is_refused(capsys, ask, tmp_path, tiny_model_dir):
    mine = ask("--profile", "Ana", "Hello")
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "--model", str(tiny_model_dir),
                       "ask", "--json", "--profile", "Bo", "--conversation",
                       str(mine["conversation_id"]), "Hi")
    assert code == cli.EXIT_FAILED
    assert "another profile" in json.loads(out)["error"]


def test_history_list_show_search(capsys, ask, tmp_path):
    first = ask("--profile", "Ana", f"Tell me about {SECRET}")
    ask("--profile", "Ana", "What is sleep?")
    base = ("--data-dir", str(tmp_path), "history", "--profile", "Ana")
    code, out, _ = run(capsys, *base, "list")
    assert code == 0
    lines = out.splitlines()
    assert "What is sleep?" in lines[0] and SECRET in lines[1]  # newest first
    code, out, _ = run(capsys, *base, "show", str(first["conversation_id"]))
    assert f"You: Tell me about {SECRET}" in out
    code, out, _ = run(capsys, *base, "search", SECRET.split("-")[0])
    assert f"**{SECRET.split('-')[0]}**" in out
    code, _, err = run(capsys, *base, "search", "nothingmatches")
    assert code == 0 and "No messages match" in err


@pytest.fixture
def two_profiles(tmp_path: Path) -> dict[str, int]:
    """Ana and Bo, each with one conversation that mentions a wombat; no model needed."""
    store = open_store(StoreLocation.in_data_dir(tmp_path))
    ids = {}
    for name in ("Ana", "Bo"):
        conversation = store.create_conversation(store.create_profile(name).id)
        store.add_message(conversation.id, "user", f"{name} asks about the wombat")
        store.add_message(conversation.id, "assistant", f"A wombat answer for {name}")
        ids[name] = conversation.id
    store.close()
    return ids


def history_argv(tmp_path: Path, action: list[str], profile: str, where: str) -> list[str]:
    given = ["--profile", profile]
    before, after = (given, []) if where == "before" else ([], given)
    return ["--data-dir", str(tmp_path), "history", *before, *action, *after]


@pytest.mark.parametrize("where", ["before", "after"])
@pytest.mark.parametrize("action", ["list", "show", "search"])
def test_history_profile_before_or_after_the_action(capsys, tmp_path, two_profiles, action,
                                                    where):
    argv = {"list": ["list"], "show": ["show", str(two_profiles["Bo"])],
            "search": ["search", "wombat"]}[action]
    code, out, err = run(capsys, *history_argv(tmp_path, argv, "Bo", where))
    assert code == 0, err
    assert "Bo asks about the wombat" in out or "**wombat** answer for Bo" in out
    assert "Ana" not in out


@pytest.mark.parametrize("action", ["list", "search"])
def test_history_profile_after_the_action_is_not_the_default_profile(capsys, tmp_path,
                                                                    two_profiles, action):
    argv = ["list"] if action == "list" else ["search", "wombat"]
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "history", *argv)
    assert code == 0 and "wombat" not in out  # no profile is current yet
    code, out, _ = run(capsys, *history_argv(tmp_path, argv, "Ana", "after"))
    assert code == 0 and "Ana" in out


def test_history_profile_in_both_places_takes_the_later_one(capsys, tmp_path, two_profiles):
    for first, later in (("Ana", "Bo"), ("Bo", "Ana")):
        code, out, err = run(capsys, "--data-dir", str(tmp_path), "history",
                             "--profile", first, "show", str(two_profiles[later]),
                             "--profile", later)
        assert code == 0, err
        assert f"{later} asks about the wombat" in out
        code, out, _ = run(capsys, "--data-dir", str(tmp_path), "history",
                           "--profile", first, "search", "wombat", "--profile", later)
        assert code == 0 and later in out and first not in out


def test_history_profile_after_the_action_is_checked_like_before(capsys, tmp_path,
                                                                 two_profiles):
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "history", "show",
                       str(two_profiles["Bo"]), "--profile", "Ana")
    assert code == cli.EXIT_FAILED and "another profile" in err


def test_history_of_unknown_profile(capsys, tmp_path):
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "history", "--profile", "Zed", "list")
    assert code == cli.EXIT_FAILED
    assert "no profile called 'Zed'" in err


def test_export_json_and_markdown(capsys, ask, tmp_path):
    ask("--profile", "Ana", "What is asthma?")
    for name in ("ana.json", "ana.md"):
        code, _, err = run(capsys, "--data-dir", str(tmp_path), "export", "--profile", "Ana",
                           "--out", str(tmp_path / name))
        assert code == 0, err
    data = json.loads((tmp_path / "ana.json").read_text(encoding="utf-8"))
    assert data["conversations"][0]["messages"][0]["content"] == "What is asthma?"
    markdown = (tmp_path / "ana.md").read_text(encoding="utf-8")
    assert "**You:** What is asthma?" in markdown and "not a doctor" in markdown


def test_export_to_an_unwritable_place(capsys, ask, tmp_path):
    ask("--profile", "Ana", "Hi")
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "export", "--profile", "Ana",
                       "--out", str(tmp_path / "no" / "such" / "dir" / "a.json"))
    assert code == cli.EXIT_FAILED
    assert "Cannot write" in err


def test_erase_needs_confirmation_then_forgets(capsys, ask, tmp_path, monkeypatch):
    ask("--profile", "Ana", f"My secret is {SECRET}")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "erase", "--profile", "Ana")
    assert code == cli.EXIT_USAGE and "--yes" in err
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "erase", "--profile", "Ana", "--yes")
    assert code == 0, err
    files = b"".join(p.read_bytes() for p in tmp_path.glob("carechat.db*"))
    assert SECRET.encode() not in files


def test_unwritable_data_dir_is_a_clear_cli_error(capsys, tmp_path, tiny_model_dir):
    blocker = tmp_path / "file"
    blocker.write_text("")
    code, out, err = run(capsys, "--data-dir", str(blocker / "data"), "--model",
                         str(tiny_model_dir), "ask", "--json", "--profile", "Ana", "Hi")
    assert code == cli.EXIT_FAILED
    assert "--data-dir" in json.loads(out)["hint"]


class Tty(io.StringIO):
    """Standard input from a person at a terminal, answering the questions asked."""

    def isatty(self) -> bool:
        return True


def data_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.iterdir() if p.is_file())


@pytest.mark.parametrize("query", ['"', '"wombat', "wombat*", "^wombat", "wombat)", "NEAR(wombat",
                                   "-", "AND", "content:wombat", "(", "'; DROP TABLE messages"])
def test_history_search_takes_any_text_literally(capsys, tmp_path, two_profiles, query):
    """FTS5 syntax is searched for as words: "NEAR(wombat" looks for "near" and "wombat"."""
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "history", "--profile", "Bo",
                         "search", query)
    assert code == 0, err
    assert "could not" not in err
    if query.strip('"*^)') == "wombat":
        assert "**wombat**" in out
    else:
        assert out == "" and "No messages match" in err


def test_unknown_profile_names_no_other_profile(capsys, tmp_path, two_profiles):
    for argv in (["history", "--profile", "Zed", "list"],
                 ["export", "--profile", "Zed", "--out", str(tmp_path / "z.json")],
                 ["erase", "--profile", "Zed", "--yes"]):
        code, _, err = run(capsys, "--data-dir", str(tmp_path), *argv)
        assert code == cli.EXIT_FAILED
        assert "no profile called 'Zed'" in err
        assert "Ana" not in err and "Bo" not in err


def test_history_without_a_profile_creates_none(capsys, tmp_path, two_profiles):
    for action in (["list"], ["search", "wombat"]):
        code, out, err = run(capsys, "--data-dir", str(tmp_path), "history", *action)
        assert code == 0 and out == "" and "--profile" in err
    store = open_store(StoreLocation.in_data_dir(tmp_path))
    assert [p.name for p in store.profiles()] == ["Ana", "Bo"]
    assert store.setting("current_profile") is None


def test_history_of_a_folder_with_nothing_saved_creates_nothing(capsys, tmp_path):
    data = tmp_path / "never-used"
    code, out, err = run(capsys, "--data-dir", str(data), "history", "list")
    assert code == 0 and out == "" and "No conversations are saved" in err
    assert not data.exists()


def test_profile_names_longer_than_60_characters_are_refused(capsys, tmp_path,
                                                             tiny_model_dir):
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "--model", str(tiny_model_dir),
                       "ask", "--json", "--profile", "N" * 61, "Hi")
    assert code == cli.EXIT_FAILED
    assert "at most 60 characters" in json.loads(out)["error"]
    assert open_store(StoreLocation.in_data_dir(tmp_path)).profiles() == []


def test_export_never_replaces_a_file_unasked(capsys, tmp_path, two_profiles):
    out = tmp_path / "mine.json"
    out.write_text("my own notes")
    out.chmod(0o600)
    argv = ["--data-dir", str(tmp_path), "export", "--profile", "Ana", "--out", str(out)]
    code, _, err = run(capsys, *argv)
    assert code == cli.EXIT_FAILED
    assert "already exists" in err and "--overwrite" in err
    assert out.read_text() == "my own notes"
    code, _, err = run(capsys, *argv, "--overwrite")
    assert code == 0, err
    assert "Ana asks about the wombat" in out.read_text(encoding="utf-8")
    if os.name == "posix":
        assert out.stat().st_mode & 0o777 == 0o600


def test_erase_says_when_another_carechat_holds_the_old_text(capsys, tmp_path, monkeypatch):
    from chatapp.storage import Store

    store = open_store(StoreLocation.in_data_dir(tmp_path))
    conversation = store.create_conversation(store.create_profile("Ana").id)
    store.add_message(conversation.id, "user", f"My secret is {SECRET}")
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    reader = sqlite3.connect(tmp_path / "carechat.db", isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM messages").fetchone()
    real = Store.erase_profile
    monkeypatch.setattr(Store, "erase_profile", lambda self, pid: real(self, pid, wait_s=0))
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "erase", "--profile", "Ana", "--yes")
    assert code == 0, err
    assert "Another CareChat is still reading" in err and "next start" in err
    assert SECRET.encode() in data_bytes(tmp_path)
    reader.execute("COMMIT")
    reader.close()
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "history", "list")
    assert code == 0, err
    assert SECRET.encode() not in data_bytes(tmp_path)


def save_anas_secret(folder: Path) -> None:
    """Ana's profile with a message that holds SECRET, closed cleanly (no -wal left)."""
    store = open_store(StoreLocation.in_data_dir(folder))
    conversation = store.create_conversation(store.create_profile("Ana").id)
    store.add_message(conversation.id, "user", f"My secret is {SECRET}")
    store.close()


@pytest.fixture
def damaged_copy(tmp_path: Path) -> Path:
    """A moved-aside copy that holds Ana's words, beside a new file where Ana is too."""
    save_anas_secret(tmp_path)
    copy = tmp_path / "carechat.db.damaged-20260101-000000"
    (tmp_path / "carechat.db").rename(copy)
    store = open_store(StoreLocation.in_data_dir(tmp_path))
    store.create_profile("Ana")
    store.close()
    return copy


def test_erase_with_yes_names_the_damaged_copies_and_keeps_them(capsys, tmp_path,
                                                                damaged_copy):
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "erase", "--profile", "Ana", "--yes")
    assert code == 0, err
    assert damaged_copy.name in err and "cannot be opened" in err
    assert "carechat erase --damaged-copies --yes" in err
    assert damaged_copy.exists()
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "erase", "--damaged-copies", "--yes")
    assert code == 0, err
    assert not damaged_copy.exists()
    assert SECRET.encode() not in data_bytes(tmp_path)


def test_erase_in_a_terminal_offers_to_delete_the_damaged_copies(capsys, tmp_path,
                                                                 damaged_copy, monkeypatch):
    monkeypatch.setattr(sys, "stdin", Tty("y\ny\n"))
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "erase", "--profile", "Ana")
    assert code == 0, err
    assert "every conversation of every profile" in err
    assert not damaged_copy.exists()
    assert SECRET.encode() not in data_bytes(tmp_path)


def test_erase_in_a_terminal_keeps_the_damaged_copies_when_told_no(capsys, tmp_path,
                                                                   damaged_copy, monkeypatch):
    monkeypatch.setattr(sys, "stdin", Tty("y\nn\n"))
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "erase", "--profile", "Ana")
    assert code == 0 and "were kept" in err
    assert damaged_copy.exists()


def test_erase_needs_something_to_erase(capsys, tmp_path):
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "erase", "--yes")
    assert code == cli.EXIT_USAGE and "--damaged-copies" in err


def test_erasing_a_profile_only_a_damaged_copy_holds_names_the_copy(capsys, tmp_path):
    # The damage moved the file aside and a new one began without Ana: her words
    # are only in the copy, and "no such profile" alone would leave them there.
    save_anas_secret(tmp_path)
    copy = tmp_path / "carechat.db.damaged-20260101-000000"
    (tmp_path / "carechat.db").rename(copy)
    open_store(StoreLocation.in_data_dir(tmp_path)).close()
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "erase", "--profile", "Ana", "--yes")
    assert code == cli.EXIT_FAILED
    assert "no profile called 'Ana'" in err and copy.name in err
    assert "carechat erase --damaged-copies --yes" in err
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "erase", "--profile", "Ana",
                       "--damaged-copies", "--yes")
    assert code == 0, err
    assert SECRET.encode() not in data_bytes(tmp_path)


@pytest.fixture
def read_only_folder(tmp_path: Path, monkeypatch) -> Path:
    """A data folder that cannot be written: root may write anywhere, so opening to
    write fails as SQLite fails in a read-only folder (seen as another user:
    SQLITE_READONLY_DIRECTORY, 'attempt to write a readonly database')."""
    from chatapp.storage import ReadOnlyError
    from chatapp.storage import store as store_module

    save_anas_secret(tmp_path)

    def cannot_write(path):
        raise ReadOnlyError("CareChat's data folder is read-only, so your conversation "
                            "cannot be saved.", "Ask whoever manages this computer.")

    monkeypatch.setattr(store_module, "open_database", cannot_write)
    return tmp_path


def test_a_read_only_data_folder_can_still_be_read_and_exported(capsys, read_only_folder):
    before = sorted(p.name for p in read_only_folder.iterdir())
    code, out, err = run(capsys, "--data-dir", str(read_only_folder), "history",
                         "--profile", "Ana", "search", SECRET)
    assert code == 0, err
    assert SECRET in out and "read-only" in err and "can be read" in err
    out_file = read_only_folder.parent / "ana.json"
    code, _, err = run(capsys, "--data-dir", str(read_only_folder), "export",
                       "--profile", "Ana", "--out", str(out_file))
    assert code == 0, err
    assert SECRET in out_file.read_text(encoding="utf-8")
    assert sorted(p.name for p in read_only_folder.iterdir()) == before  # nothing made


def test_a_read_only_data_folder_is_not_erased_from(capsys, read_only_folder):
    code, _, err = run(capsys, "--data-dir", str(read_only_folder), "erase",
                       "--profile", "Ana", "--yes")
    assert code == cli.EXIT_FAILED and "read-only" in err
    assert SECRET.encode() in data_bytes(read_only_folder)


def test_unsaved_changes_in_a_read_only_folder_are_not_hidden(capsys, read_only_folder):
    (read_only_folder / "carechat.db-wal").write_bytes(b"\0" * 64)  # changes not copied in
    code, _, err = run(capsys, "--data-dir", str(read_only_folder), "history",
                       "--profile", "Ana", "list")
    assert code == cli.EXIT_FAILED and "carechat.db-wal" in err
