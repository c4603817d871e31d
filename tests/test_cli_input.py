"""Text as it enters the CLI (bytes, limits) and saved text as it is printed."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from chatapp import cli
from chatapp.storage import StoreLocation, open_store
from chatapp.storage.export import export_profile, to_markdown
from chatapp.turn import MAX_QUESTION_CHARS as MAX_MESSAGE_CHARS

REPO = Path(__file__).resolve().parents[1]
BAD_BYTES = b"\xff\xfe What is asthma?"
# The tester's question: set the terminal's title, then clear the screen.
ESCAPES = "What is \x1b]0;PWNED\x07\x1b[2Jasthma?"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def stdin_of(monkeypatch, data: bytes) -> None:
    # A C locale's stdin: bytes that are not UTF-8 came through as surrogates.
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(
        io.BytesIO(data), encoding="ascii", errors="surrogateescape"))


def conversations(data_dir: Path) -> list:
    store = open_store(StoreLocation.in_data_dir(data_dir))
    try:
        return [c for p in store.profiles() for c in store.conversations(p.id)]
    finally:
        store.close()


# --- bytes that are not UTF-8 -------------------------------------------------------


def test_ask_refuses_invalid_utf8_on_stdin_and_saves_nothing(capsys, monkeypatch, tmp_path,
                                                             tiny_model_dir) -> None:
    stdin_of(monkeypatch, BAD_BYTES)
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "--model", str(tiny_model_dir),
                         "ask", "--profile", "U", "--json", "-")
    assert code == cli.EXIT_USAGE
    payload = json.loads(out)
    assert "not UTF-8" in payload["error"] and "0xFF at position 0" in payload["error"]
    assert "UTF-8" in payload["hint"]
    assert "Traceback" not in err
    assert not (tmp_path / "carechat.db").exists() or conversations(tmp_path) == []


def test_ask_refuses_an_argument_that_was_not_utf8(capsys, tmp_path, tiny_model_dir) -> None:
    argument = BAD_BYTES.decode("utf-8", "surrogateescape")  # as Python hands argv over
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "--model", str(tiny_model_dir),
                       "ask", "--profile", "U", "--json", argument)
    assert code == cli.EXIT_USAGE and "not UTF-8" in json.loads(out)["error"]
    assert not (tmp_path / "carechat.db").exists() or conversations(tmp_path) == []


def test_a_search_that_was_not_utf8_is_refused(capsys, stored_escapes) -> None:
    data_dir, _ = stored_escapes
    query = b"asthma \xff".decode("utf-8", "surrogateescape")
    code, _, err = run(capsys, "--data-dir", str(data_dir), "history", "--profile", "Ana",
                       "search", query)
    assert code == cli.EXIT_USAGE and "not UTF-8" in err and "Traceback" not in err


@pytest.mark.parametrize("as_json", [True, False])
def test_triage_refuses_invalid_utf8_on_stdin(capsys, monkeypatch, as_json) -> None:
    stdin_of(monkeypatch, b"\xff\xfe chest pain")
    code, out, err = run(capsys, "triage", *(["--json"] if as_json else []), "-")
    assert code == cli.EXIT_USAGE
    assert "not UTF-8" in (json.loads(out)["error"] if as_json else err)


# --- limits -------------------------------------------------------------------------


def test_triage_has_the_message_limit(capsys) -> None:
    code, out, _ = run(capsys, "triage", "--json", "a" * (MAX_MESSAGE_CHARS + 1))
    assert code == cli.EXIT_USAGE
    assert f"{MAX_MESSAGE_CHARS:,} characters" in json.loads(out)["error"]
    # At the limit it is screened as before.
    code, out, _ = run(capsys, "triage", "--json", "x" * (MAX_MESSAGE_CHARS - 30) +
                       " I have chest pain now")
    assert code == cli.EXIT_OK and json.loads(out)["emergency"] is True


def test_triage_refuses_megabytes_on_stdin_without_reading_them_all(capsys, monkeypatch) -> None:
    # The tester's 9.5 MB message took a minute to screen.
    stream = io.BytesIO(b"I have chest pain. " * 500_000)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stream))
    code, out, _ = run(capsys, "triage", "--json", "-")
    assert code == cli.EXIT_USAGE and "Standard input holds more than" in json.loads(out)["error"]
    assert stream.tell() < 2 << 20  # read to the limit, not to the end


def test_empty_triage_message_is_a_usage_error(capsys) -> None:
    code, _, err = run(capsys, "triage", " \u200b ")
    assert code == cli.EXIT_USAGE and "message to check" in err


# --- printing saved text ------------------------------------------------------------


@pytest.fixture
def stored_escapes(tmp_path: Path) -> tuple[Path, int]:
    """A conversation saved with raw escape sequences (as before the normaliser)."""
    store = open_store(StoreLocation.in_data_dir(tmp_path))
    profile = store.create_profile("Ana")
    conversation = store.create_conversation(profile.id)
    store.add_message(conversation.id, "user", ESCAPES)
    store.add_message(conversation.id, "assistant", "Asthma \x1b[31mnarrows\x1b[0m the airways.")
    store.close()
    return tmp_path, conversation.id


@pytest.mark.parametrize("action", [["list"], ["show", "ID"], ["search", "asthma"]])
def test_history_never_prints_a_control_character(capsys, stored_escapes, action) -> None:
    data_dir, conversation_id = stored_escapes
    argv = [str(conversation_id) if a == "ID" else a for a in action]
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "history", "--profile", "Ana", *argv)
    assert code == cli.EXIT_OK
    assert "What is" in out and "␛" in out  # shown, as a symbol
    assert not [c for c in out if ord(c) < 0x20 and c not in "\n\t"]
    assert not [c for c in out if 0x7F <= ord(c) < 0xA0]


def test_markdown_export_never_holds_a_control_character(stored_escapes) -> None:
    data_dir, _ = stored_escapes
    store = open_store(StoreLocation.in_data_dir(data_dir))
    text = to_markdown(export_profile(store, store.profile_named("Ana").id))
    store.close()
    assert "**You:** What is ␛]0;PWNED␇␛[2Jasthma?" in text
    assert not [c for c in text if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0]


def test_an_asked_question_is_saved_without_its_escape_sequences(capsys, tmp_path,
                                                                 tiny_model_dir) -> None:
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "--model", str(tiny_model_dir),
                       "ask", "--profile", "Ana", "--json", "--max-tokens", "3", ESCAPES)
    assert code == cli.EXIT_OK and json.loads(out)["question"] == "What is asthma?"
    store = open_store(StoreLocation.in_data_dir(tmp_path))
    saved = store.messages(json.loads(out)["conversation_id"])[0]
    store.close()
    assert saved.content == "What is asthma?"


# --- a reader that stops reading --------------------------------------------------


class ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_pipe_ends_any_command_quietly(capsys, monkeypatch, stored_escapes) -> None:
    data_dir, conversation_id = stored_escapes
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    code = cli.main(["--data-dir", str(data_dir), "history", "--profile", "Ana", "show",
                     str(conversation_id)])
    assert code == cli.EXIT_BROKEN_PIPE
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert cli.main(["triage", "I have chest pain"]) == cli.EXIT_BROKEN_PIPE


def test_history_show_piped_into_head_ends_without_a_traceback(tmp_path) -> None:
    store = open_store(StoreLocation.in_data_dir(tmp_path))
    conversation = store.create_conversation(store.create_profile("Ana").id)
    for i in range(400):
        # Far more than a pipe holds (64 KiB), so the writer is still writing
        # when the reader goes, whatever the timing.
        store.add_message(conversation.id, "user", f"Question {i}: " + "asthma " * 700)
    store.close()
    process = subprocess.Popen(
        [sys.executable, "-m", "chatapp", "--data-dir", str(tmp_path), "history", "show",
         str(conversation.id), "--profile", "Ana"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout.readline().startswith(b"# ")
    process.stdout.close()  # what `head -1` does once it has its line
    err = process.stderr.read()
    assert process.wait(timeout=120) == cli.EXIT_BROKEN_PIPE
    assert b"Traceback" not in err and b"BrokenPipeError" not in err, err
