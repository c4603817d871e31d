from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from chatapp import cli

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


def test_ask_streams_plain_text(capsys, tiny_model_dir: Path, tiny_engine):
    from chatapp.knowledge import LibraryIndex
    from chatapp.turn import Assistant

    code, out, _ = run_cli(capsys, "--model", str(tiny_model_dir), "ask", "--max-tokens", "6",
                           "What is asthma?")
    assert code == 0
    # The same prompt as the CLI's: rules, basic level, the library's passages.
    assistant = Assistant(tiny_engine, max_new_tokens=6, library=LibraryIndex.load())
    messages = assistant.prompts.for_question(
        "What is asthma?", passages=assistant.retrieve("What is asthma?", "en"),
        max_new_tokens=6).messages
    expected = "".join(tiny_engine.stream(messages, max_new_tokens=6))
    # (The random tiny model may write only blanks, which the CLI then replaces.)
    assert out.startswith(expected) or not expected.strip()
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
