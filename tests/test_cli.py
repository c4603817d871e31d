from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from chatapp import cli, terminal

REPO = Path(__file__).resolve().parents[1]


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ask_json_prints_exactly_one_object(capsys, tiny_model_dir: Path, tmp_path: Path):
    code, out, _ = run_cli(capsys, "--model", str(tiny_model_dir), "--data-dir", str(tmp_path),
                           "ask", "--json", "--max-tokens", "8", "What", "is", "asthma?")
    assert code == 0
    payload = json.loads(out)  # fails if anything else was printed
    assert isinstance(payload["answer"], str)
    assert payload["question"] == "What is asthma?"
    assert payload["model"] == tiny_model_dir.name
    assert payload["device"] == "cpu"
    assert isinstance(payload["ttft_ms"], (int, float))
    assert isinstance(payload["tokens"], int) and 1 <= payload["tokens"] <= 8
    assert isinstance(payload["tokens_per_s"], (int, float))


def test_options_may_follow_the_subcommand(capsys, tiny_model_dir: Path):
    code, out, _ = run_cli(capsys, "ask", "--model", str(tiny_model_dir), "--device", "cpu",
                           "--json", "--max-tokens", "4", "What is asthma?")
    assert code == 0
    assert json.loads(out)["device"] == "cpu"


def test_ask_prints_the_kept_answer_as_plain_text(capsys, tiny_model_dir: Path):
    argv = ("--model", str(tiny_model_dir), "ask", "--max-tokens", "6", "What is asthma?")
    code, out, _ = run_cli(capsys, *argv)
    assert code == 0
    # Not a terminal: the answer is printed once it is kept, the same as --json's.
    _, as_json, _ = run_cli(capsys, *argv[:3], "--json", *argv[3:])
    assert out.startswith(json.loads(as_json)["answer"] + "\n")
    # Then where the answer came from: the library's articles, or none.
    assert "Sources from the CareChat library:" in out or "No library source" in out


def test_question_from_stdin(capsys, monkeypatch, tiny_model_dir: Path):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("What is asthma?\n"))
    code, out, _ = run_cli(capsys, "--model", str(tiny_model_dir), "ask", "--json",
                           "--max-tokens", "3", "-")
    assert code == 0
    assert json.loads(out)["question"] == "What is asthma?"


def test_missing_model_fails_with_advice(capsys, tmp_path: Path):
    code, out, err = run_cli(capsys, "--model", str(tmp_path / "gone.gguf"), "ask", "--json",
                             "Hi")
    assert code == cli.EXIT_FAILED
    payload = json.loads(out)
    assert "gone.gguf" in payload["error"]
    assert payload["hint"]
    assert "gone.gguf" in err


def test_empty_question_is_a_usage_error(capsys):
    code, _, err = run_cli(capsys, "ask", "   ")
    assert code == cli.EXIT_USAGE
    assert "type a question" in err


def test_bad_device_is_rejected_by_the_parser(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--device", "gpu", "ask", "Hi"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_no_subcommand_opens_the_gui(monkeypatch, tmp_path: Path):
    opened = {}

    def fake_run_gui(settings, kiosk=None):
        opened["settings"] = settings
        opened["kiosk"] = kiosk
        return 0

    import chatapp.ui.app

    monkeypatch.setattr(chatapp.ui.app, "run_gui", fake_run_gui)
    assert cli.main(["--data-dir", str(tmp_path)]) == 0
    assert opened["settings"].data_dir == tmp_path
    assert opened["kiosk"] is None


def test_python_dash_m_chatapp_runs_the_same_cli():
    result = subprocess.run([sys.executable, "-m", "chatapp", "--version"], cwd=REPO,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.startswith("CareChat ")


def test_headless_ask_does_not_import_qt():
    code = "import sys, chatapp.cli; assert not any(m.startswith('PySide6') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, timeout=60)


# --- what `ask` prints is what it kept -------------------------------------------------

# An answer the built-in model gave that is not from the library's passages: the turn
# keeps the library's own words instead (see tests/test_turn_pipeline.py).
REJECTED = "You are a doctor. I'll just add a few more tips to make it even more helpful."
LIBRARY_WORDS = "Blood pressure is the push of your blood"


def pieces(text: str) -> list[str]:
    """``text`` in word-sized pieces, as a model streams it."""
    return re.findall(r"\S+\s*", text)


@pytest.fixture
def scripted_model(monkeypatch):
    """`ask` on a scripted engine instead of a model file."""
    from fake_engine import ScriptedEngine

    import model

    engine = ScriptedEngine()
    monkeypatch.setattr(model, "load", lambda *args, **kwargs: engine)
    return engine


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_rejected_answer_is_not_printed_to_a_pipe(capsys, scripted_model):
    scripted_model.enqueue(*pieces(REJECTED))
    code, out, _ = run_cli(capsys, "ask", "What is high blood pressure?")
    assert code == 0
    assert "You are a doctor" not in out
    assert LIBRARY_WORDS in out
    assert "Sources from the CareChat library:" in out


def test_the_json_answer_is_the_kept_one(capsys, scripted_model):
    scripted_model.enqueue(REJECTED)
    code, out, _ = run_cli(capsys, "ask", "--json", "What is high blood pressure?")
    assert code == 0
    payload = json.loads(out)
    assert LIBRARY_WORDS in payload["answer"] and "doctor" not in payload["answer"]


def test_an_answer_kept_as_written_is_printed_once_to_a_pipe(capsys, scripted_model):
    kept = ("Blood pressure is the push of your blood on the walls of your blood vessels. "
            "High blood pressure means the push stays too high for a long time.")
    scripted_model.enqueue(kept)
    code, out, _ = run_cli(capsys, "ask", "What is high blood pressure?")
    assert code == 0
    assert out.startswith(kept + "\n") and out.count(LIBRARY_WORDS) == 1


def test_a_terminal_sees_the_rejected_answer_erased_and_the_kept_one_instead(
        monkeypatch, scripted_model):
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    monkeypatch.setenv("COLUMNS", "20")
    monkeypatch.setenv("TERM", "xterm")
    scripted_model.enqueue(*pieces(REJECTED))
    assert cli.main(["ask", "What is high blood pressure?"]) == 0
    out = terminal.getvalue()
    streamed, erase, after = out.partition("\r\x1b[")
    assert streamed == REJECTED  # streamed as it was written
    # 76 columns on 20-column rows: the cursor is 3 rows below the first.
    assert erase and after.startswith("3A\x1b[J")
    assert "doctor" not in after and LIBRARY_WORDS in after


def test_a_terminal_keeps_an_accepted_answer_as_it_streamed(monkeypatch, scripted_model):
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    kept = "Blood pressure is the push of your blood on the walls of your blood vessels."
    scripted_model.enqueue(*pieces(kept))
    assert cli.main(["ask", "What is high blood pressure?"]) == 0
    out = terminal.getvalue()
    assert "\x1b[" not in out and out.startswith(kept + "\n")


@pytest.mark.parametrize(("text", "width", "rows"), [
    ("", 80, 0),
    ("hello", 80, 0),
    ("hello\n", 80, 1),
    ("a" * 80, 80, 0),  # a full row: the cursor waits in its last column
    ("a" * 80 + "\n", 80, 1),  # ...so the newline ends that same row
    ("a" * 81, 80, 1),
    ("a" * 160 + "b", 80, 2),
    ("one\n\ntwo", 80, 2),  # an empty line is a row too
    ("血压" * 20, 80, 0),  # 40 wide characters fill 80 columns exactly
    ("血压" * 20 + "。", 80, 1),
    ("a" + "血" * 40, 80, 1),  # the 40th wide character does not fit in column 80
    ("e\u0301" * 80, 80, 0),  # a combining accent takes no column
    ("abc", 0, 2),  # a nonsense width counts one column a row
])
def test_rows_above(text: str, width: int, rows: int):
    assert terminal.rows_above(text, width) == rows


def test_cell_width():
    assert [terminal.cell_width(c) for c in "a血\u0301\u200b！"] == [1, 2, 0, 0, 2]


def test_a_status_line_mid_answer_is_erased_with_it(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    tty, said = FakeTerminal(), []
    screen = terminal.AnswerOnScreen(tty)
    status = screen.around_status(said.append)
    status("Looking for the model…")  # before the answer: stays
    screen.write("Hypertension is ")
    screen.write("elevated arterial pressure.")
    status("Rewriting in simpler words…")  # on stderr, the same terminal
    assert said == ["Looking for the model…", "Rewriting in simpler words…"]
    assert screen.differs_from("High blood pressure.")
    assert not screen.differs_from(" Hypertension is\nelevated arterial pressure. ")
    screen.replace_with("High blood pressure.")
    # The answer's row and the status's row, from the row below them.
    assert tty.getvalue() == ("Hypertension is elevated arterial pressure.\n"
                              "\r\x1b[2A\x1b[JHigh blood pressure.")


def test_a_new_data_folder_loads_the_model_prepared_for_another(
        capsys, tmp_path: Path, tiny_model_dir: Path, monkeypatch):
    import os

    from model import convert, loader

    gguf = tmp_path / "clinic-model.gguf"
    gguf.write_bytes(b"GGUF" + os.urandom(2048))
    conversions = []

    def fake_convert(source):  # the tiny model stands in for de-quantizing a GGUF
        conversions.append(source.path)
        return loader.load_folder(tiny_model_dir)

    monkeypatch.setattr(convert, "convert_gguf", fake_convert)
    monkeypatch.setenv("CARECHAT_CACHE_DIR", str(tmp_path / "cache"))
    for data in ("first-data", "second-data"):
        code, out, err = run_cli(capsys, "--model", str(gguf), "--data-dir",
                                 str(tmp_path / data), "ask", "--json", "--max-tokens", "2",
                                 "What is asthma?")
        assert code == 0, err
    assert len(conversions) == 1
    assert list((tmp_path / "cache" / "models").glob("*-v*"))
    assert not any((tmp_path / data / "models").exists() for data in ("first-data",
                                                                      "second-data"))
