from __future__ import annotations

import json

from chatapp import cli


def run(capsys, *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    return code, capsys.readouterr().out


def test_triage_json_is_one_object(capsys) -> None:
    code, out = run(capsys, "--country", "GB", "triage", "--json",
                    "my chest is crushing and my arm is numb")
    assert code == 0
    payload = json.loads(out)
    assert set(payload) >= {"emergency", "category", "message", "numbers"}
    assert payload["emergency"] is True and payload["category"] == "heart_attack"
    assert payload["decided_by"] == "both"  # the rules and the learned screen agree
    assert payload["learned"]["category"] == "heart_attack"
    assert payload["numbers"][0]["number"] == "999"
    assert payload["numbers"][0]["source"].startswith("https://www.nhs.uk/")


def test_triage_of_a_topic_question(capsys) -> None:
    code, out = run(capsys, "triage", "--json", "What are the signs of a stroke?")
    payload = json.loads(out)
    assert {k: payload[k] for k in ("emergency", "category", "title", "message", "numbers",
                                    "decided_by", "borderline", "guidance")} == {
        "emergency": False, "category": "", "title": "", "message": "", "numbers": [],
        "decided_by": None, "borderline": False, "guidance": ""}
    # The learned screen ran and was all but sure: a question about a topic.
    assert payload["learned"]["model"] == "e5+ngram" and payload["learned"]["score"] < 0.05
    code, out = run(capsys, "triage", "What are the signs of a stroke?")
    assert "No emergency" in out


def test_triage_plain_text_in_chinese(capsys) -> None:
    code, out = run(capsys, "--lang", "zh", "--country", "CN", "triage", "我不想活了")
    assert "EMERGENCY" in out and "12356" in out and "120" in out


def test_ask_json_marks_emergencies_and_skips_the_model(capsys, tiny_model_dir) -> None:
    code, out = run(capsys, "--model", str(tiny_model_dir), "--country", "US", "ask", "--json",
                    "I cant breathe and my lips are turning blue")
    payload = json.loads(out)
    assert payload["emergency"] is True and payload["category"] == "breathing"
    assert payload["tokens"] == 0 and "911" in payload["message"]
    assert payload["numbers"][0]["number"] == "911"


def test_ask_json_says_when_it_is_not_an_emergency(capsys, tiny_model_dir) -> None:
    code, out = run(capsys, "--model", str(tiny_model_dir), "ask", "--json", "--max-tokens",
                    "4", "What is asthma?")
    payload = json.loads(out)
    assert payload["emergency"] is False
    assert "category" not in payload and "numbers" not in payload


def test_ask_answers_an_emergency_even_without_a_model(capsys, tmp_path) -> None:
    code, out = run(capsys, "--model", str(tmp_path / "missing.gguf"), "--country", "AU",
                    "--data-dir", str(tmp_path), "ask", "--json", "--profile", "Ana",
                    "my wife collapsed and wont wake up")
    assert code == 0
    payload = json.loads(out)
    assert payload["emergency"] is True and payload["category"] == "unconscious"
    assert payload["numbers"][0]["number"] == "000"
    assert payload["saved"] is True
    # A question for the model, with the model missing, still fails clearly.
    code, out = run(capsys, "--model", str(tmp_path / "missing.gguf"), "ask", "--json",
                    "What is asthma?")
    assert code == cli.EXIT_FAILED and "missing.gguf" in json.loads(out)["error"]
