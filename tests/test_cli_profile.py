"""`carechat profile set-passcode | remove-passcode`, and reading a protected profile
from the command line (history, export)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from chatapp import cli, cli_profile
from chatapp.storage import StoreLocation, open_store
from chatapp.storage.vault import KEYRING

SECRET = "platypusgout"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    store = open_store(StoreLocation.in_data_dir(tmp_path))
    profile = store.create_profile("Ana")
    conversation = store.create_conversation(profile.id)
    store.add_message(conversation.id, "user", f"What helps {SECRET}?")
    store.close()
    yield tmp_path
    KEYRING._keys.clear()


def run(data_dir: Path, *args: str) -> int:
    KEYRING._keys.clear()  # each command is a process of its own
    return cli.main(["--data-dir", str(data_dir), *args])


def answers(monkeypatch, *replies: str) -> list[str]:
    """Replies to the passcode prompts, in order; returns the prompts asked."""
    asked: list[str] = []
    queue = list(replies)

    def reply(prompt: str) -> str:
        asked.append(prompt)
        return queue.pop(0)

    monkeypatch.setattr(cli_profile, "read_secret", reply)
    return asked


def raw(data_dir: Path) -> bytes:
    return b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file())


def test_set_passcode_asks_twice_warns_and_encrypts(capsys, monkeypatch, data_dir):
    asked = answers(monkeypatch, "my long passcode", "my long passcode")
    assert run(data_dir, "profile", "set-passcode", "Ana") == 0
    err = capsys.readouterr().err
    assert "cannot be recovered" in err and "now encrypted" in err
    assert asked == ["New passcode: ", "The same passcode again: "]
    assert SECRET.encode() not in raw(data_dir)


def test_two_different_passcodes_or_a_short_one_change_nothing(capsys, monkeypatch, data_dir):
    answers(monkeypatch, "my long passcode", "my long passcodE")
    assert run(data_dir, "profile", "set-passcode", "Ana") == 2
    assert "differ" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("abc\n"))
    assert run(data_dir, "profile", "set-passcode", "Ana", "--stdin") == 2
    assert "at least 4 characters" in capsys.readouterr().err
    assert SECRET.encode() in raw(data_dir)  # still as it was


def test_history_of_a_protected_profile_asks_for_its_passcode(capsys, monkeypatch, data_dir):
    monkeypatch.setattr("sys.stdin", io.StringIO("my long passcode\n"))
    assert run(data_dir, "profile", "set-passcode", "Ana", "--stdin") == 0
    capsys.readouterr()
    answers(monkeypatch, "wrong passcode")
    assert run(data_dir, "history", "list", "--profile", "Ana") == 1
    assert "not right" in capsys.readouterr().err
    answers(monkeypatch, "my long passcode")
    assert run(data_dir, "history", "search", SECRET, "--profile", "Ana") == 0
    assert SECRET in capsys.readouterr().out


def test_export_of_a_protected_profile_warns_the_file_is_not_encrypted(
        capsys, monkeypatch, data_dir, tmp_path):
    monkeypatch.setattr("sys.stdin", io.StringIO("my long passcode\n"))
    run(data_dir, "profile", "set-passcode", "Ana", "--stdin")
    capsys.readouterr()
    answers(monkeypatch, "my long passcode")
    out = tmp_path / "ana.md"
    assert run(data_dir, "export", "--profile", "Ana", "--out", str(out)) == 0
    assert "not encrypted" in capsys.readouterr().err
    assert SECRET in out.read_text(encoding="utf-8")


def test_change_then_remove_the_passcode_from_stdin(capsys, monkeypatch, data_dir):
    monkeypatch.setattr("sys.stdin", io.StringIO("first passcode\n"))
    assert run(data_dir, "profile", "set-passcode", "Ana", "--stdin") == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("first passcode\nsecond passcode\n"))
    assert run(data_dir, "profile", "set-passcode", "Ana", "--stdin") == 0
    assert "was changed" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("first passcode\n"))
    assert run(data_dir, "profile", "remove-passcode", "Ana", "--stdin") == 1
    monkeypatch.setattr("sys.stdin", io.StringIO("second passcode\n"))
    assert run(data_dir, "profile", "remove-passcode", "Ana", "--stdin") == 0
    assert SECRET.encode() in raw(data_dir)  # stored in clear again, as asked
    assert run(data_dir, "profile", "remove-passcode", "Ana") == 0
    assert "has no passcode" in capsys.readouterr().err


def test_ask_for_a_protected_profile_saves_the_turn_sealed(capsys, monkeypatch, data_dir):
    monkeypatch.setattr("sys.stdin", io.StringIO("my long passcode\n"))
    run(data_dir, "profile", "set-passcode", "Ana", "--stdin")
    answers(monkeypatch, "my long passcode")
    # An emergency: the safety rules answer without loading a model.
    assert run(data_dir, "ask", "--profile", "Ana", "crushing chest pain now, echidnaflu") == 0
    capsys.readouterr()
    assert b"echidnaflu" not in raw(data_dir)
    answers(monkeypatch, "my long passcode")
    assert run(data_dir, "history", "search", "echidnaflu", "--profile", "Ana") == 0
    assert "echidnaflu" in capsys.readouterr().out
