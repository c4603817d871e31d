"""`carechat ask --level/--json` with the library and reading levels; `carechat topics`."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from fake_engine import ScriptedEngine

from chatapp import cli
from chatapp.literacy import simplify
from chatapp.storage import StoreLocation, open_store
from chatapp.turn.grounding import GROUNDING

REPO = Path(__file__).resolve().parents[1]
DENSE = ("Hypertension, characterised by persistently elevated arterial pressure, "
         "substantially increases cardiovascular morbidity and necessitates comprehensive "
         "pharmacological management alongside considerable dietary modification.")
SIMPLE = "High blood pressure means your blood pushes too hard. Eat less salt. Walk each day."


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def engine(monkeypatch) -> ScriptedEngine:
    """The CLI's model: scripted, so that these tests are about the app."""
    import model

    scripted = ScriptedEngine()
    monkeypatch.setattr(model, "load", lambda *args, **kwargs: scripted)
    # These tests are about the CLI and the rewrite; their scripted answers are not
    # in the library's words, which the grounding check's topic floor (tested in
    # test_turn_pipeline.py) would replace with the library's own text.
    monkeypatch.setitem(GROUNDING, "en", replace(GROUNDING["en"], min_share=0.0))
    return scripted


def ask_json(capsys, tmp_path, *argv: str) -> dict:
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "ask", "--json", *argv)
    assert code == 0, err
    return json.loads(out)


def test_json_has_sources_readability_grade_and_simplified(capsys, tmp_path, engine):
    engine.enqueue(SIMPLE)
    payload = ask_json(capsys, tmp_path, "What is high blood pressure?")
    assert payload["sources"][0]["id"] == "high-blood-pressure"
    for source in payload["sources"]:
        assert set(source) == {"id", "title", "url"}
        assert source["url"].startswith("https://")
    assert isinstance(payload["readability"]["fk_grade"], float)
    assert "smog" in payload["readability"]  # None under 10 sentences (readability.toml)
    assert payload["target_grade"] == 6 and payload["level"] == "basic"
    assert payload["simplified"] is False
    assert payload["answer"] == SIMPLE


def test_json_reports_a_kept_rewrite(capsys, tmp_path, engine):
    engine.enqueue(DENSE)
    engine.enqueue(SIMPLE)
    payload = ask_json(capsys, tmp_path, "What is high blood pressure?")
    assert payload["simplified"] is True and payload["answer"] == SIMPLE
    assert payload["readability"]["original"]["fk_grade"] > payload["readability"]["fk_grade"]


@pytest.mark.parametrize("level, grade", [("basic", 6), ("standard", 8), ("advanced", 10)])
def test_level_option_reaches_the_prompt(capsys, tmp_path, engine, level, grade):
    engine.enqueue(SIMPLE)
    payload = ask_json(capsys, tmp_path, "--level", level, "What is asthma?")
    assert payload["target_grade"] == grade and payload["level"] == level
    assert f"grade {grade}" in engine.calls[0][0]["content"]


def test_level_defaults_to_the_profiles(capsys, tmp_path, engine):
    store = open_store(StoreLocation.in_data_dir(tmp_path))
    store.create_profile("Ana", literacy_level="advanced")
    store.close()
    engine.enqueue(SIMPLE)
    engine.enqueue(SIMPLE)
    assert ask_json(capsys, tmp_path, "--profile", "Ana", "What is asthma?")["target_grade"] == 10
    overridden = ask_json(capsys, tmp_path, "--profile", "Ana", "--level", "basic",
                          "What is asthma?")
    assert overridden["target_grade"] == 6


def test_saved_answer_keeps_its_sources_and_scores(capsys, tmp_path, engine):
    engine.enqueue(SIMPLE)
    payload = ask_json(capsys, tmp_path, "--profile", "Ana", "What is asthma?")
    store = open_store(StoreLocation.in_data_dir(tmp_path))
    _, answer = store.messages(payload["conversation_id"])
    store.close()
    assert [s["id"] for s in answer.sources] == [s["id"] for s in payload["sources"]]
    assert answer.readability["fk_grade"] == payload["readability"]["fk_grade"]


def test_unknown_level_is_refused(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["ask", "--level", "expert", "Hi"])
    assert exit_info.value.code == 2


def test_plain_text_names_the_sources_and_the_reading_level(capsys, tmp_path, engine):
    engine.enqueue(SIMPLE)
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "ask", "What is high blood pressure?")
    assert code == 0
    assert out.startswith(SIMPLE)
    assert "Easy to read: grade" in out
    assert "High blood pressure" in out.split("Sources from the CareChat library:")[1]


def test_plain_text_prints_only_the_simpler_version_it_kept(capsys, tmp_path, engine):
    engine.enqueue(DENSE)
    engine.enqueue(SIMPLE)
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "ask", "What is blood pressure?")
    assert code == 0
    # Not a terminal: nothing streamed, so the text that was too hard never shows.
    assert out.startswith(SIMPLE + "\n")
    assert simplify(DENSE, "basic", "en")[:40] not in out


def test_a_terminal_sees_the_simpler_version_in_place_of_the_first(tmp_path, engine,
                                                                  monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    monkeypatch.setenv("COLUMNS", "80")
    engine.enqueue(DENSE)
    engine.enqueue(SIMPLE)
    assert cli.main(["--data-dir", str(tmp_path), "ask", "What is blood pressure?"]) == 0
    streamed, erase, kept = terminal.getvalue().partition("\r\x1b[")
    # Streamed with the basic level's plain-language edits, then erased.
    assert streamed.strip() == simplify(DENSE, "basic", "en")
    assert erase and kept.split("\x1b[J", 1)[1].startswith(SIMPLE + "\n")


def test_plain_text_says_when_there_is_no_source(capsys, tmp_path, engine):
    # No article on lupus: CareChat says so without asking the model.
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "ask", "What is lupus?")
    assert code == 0
    assert "does not cover this yet" in out
    assert "No library source" in out


def test_json_names_the_closest_topics_when_the_library_does_not_cover_it(capsys, tmp_path,
                                                                         engine):
    payload = ask_json(capsys, tmp_path, "how is glaucoma treated")
    assert engine.calls == [] and payload["stop_reason"] == "not_covered"
    assert payload["sources"] == [] and payload["related"]
    for topic in payload["related"]:
        assert set(topic) == {"id", "title", "url"} and topic["title"] in payload["answer"]


def test_an_emergency_needs_neither_model_nor_library(capsys, tmp_path, monkeypatch):
    import model

    def no_model(*args, **kwargs):
        raise AssertionError("the model was loaded for an emergency")

    monkeypatch.setattr(model, "load", no_model)
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "--country", "US", "ask", "--json",
                       "I can't breathe")
    assert code == 0
    payload = json.loads(out)
    assert payload["emergency"] is True and payload["sources"] == []


# --- topics ------------------------------------------------------------------------


def topics(capsys, tmp_path, *argv: str) -> tuple[list[dict], str]:
    code, out, err = run(capsys, "--data-dir", str(tmp_path), *argv)
    assert code == 0, err
    return json.loads(out), err


def test_topics_lists_every_article_without_the_model(capsys, tmp_path, monkeypatch):
    import model

    monkeypatch.setattr(model, "load", lambda *a, **k: pytest.fail("model loaded"))
    listed, err = topics(capsys, tmp_path, "--lang", "en", "topics", "--json")
    assert err == ""
    assert len(listed) >= 40
    assert set(listed[0]) == {"id", "title", "summary", "language"}
    assert {"high-blood-pressure", "type-2-diabetes"} <= {t["id"] for t in listed}
    titles = [t["title"] for t in listed]
    assert titles == sorted(titles, key=str.lower)


def test_topics_search_uses_lay_words(capsys, tmp_path):
    listed, _ = topics(capsys, tmp_path, "--lang", "en", "topics", "--search", "sugar", "--json")
    assert "type-2-diabetes" in {t["id"] for t in listed}
    assert len(listed) < 10


def test_topics_in_chinese(capsys, tmp_path):
    listed, _ = topics(capsys, tmp_path, "--lang", "zh", "topics", "--json")
    by_id = {t["id"]: t for t in listed}
    assert by_id["high-blood-pressure"]["language"] == "zh"
    assert by_id["high-blood-pressure"]["title"] == "高血压"
    assert by_id["kidney-health"]["language"] in {"zh", "en"}  # English where untranslated


def test_topics_plain_text(capsys, tmp_path):
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "--lang", "en", "topics",
                       "--search", "inhaler")
    assert code == 0
    assert out.splitlines()[0].startswith("asthma-and-inhalers  Asthma and inhalers")
    assert out.splitlines()[1].startswith("    ")  # the summary, indented


def test_topics_search_without_a_match(capsys, tmp_path):
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "topics", "--search", "zzzqqq")
    assert code == 0 and out == "" and "No topics match" in err


CLINIC_ARTICLE = """+++
id = "clinic-flu-jabs"
language = "en"
title = "Flu jabs at our clinic"
summary = "When and how to get your flu jab at our clinic."
keywords = ["flu jab", "flu vaccine"]
synonyms = ["flu shot"]
last_reviewed = 2026-10-01
reviewed_by = "Dr Example, Example Clinic"

[[sources]]
title = "Flu vaccine"
url = "https://www.nhs.uk/vaccinations/flu-vaccine/"

[[check]]
question = "Where can you get a flu jab?"
answer = "At the clinic."

[[check]]
question = "When is the flu jab offered?"
answer = "Each autumn."
+++

## Getting your flu jab

Come to the clinic in the autumn. Ask at the front desk for a flu jab. You do not need to
book first. It takes a few minutes. A nurse gives the jab in your upper arm. You can go home
right after it. Bring a list of your medicines with you.

## Who should have it

The flu jab is for people who are more likely to get very ill from flu. This includes older
people, people who are pregnant, and people with a long-term illness such as asthma or
diabetes. Ask the nurse if you are not sure whether it is for you.

## After your jab

Your arm may feel sore for a day or two. Some people feel a little tired. This is normal and
soon goes away. Rest and drink water. If you feel very unwell, or find it hard to breathe,
get help at once.
"""


def test_clinic_articles_are_listed_and_bad_ones_reported(capsys, tmp_path):
    folder = tmp_path / "library" / "en"
    folder.mkdir(parents=True)
    (folder / "clinic-flu-jabs.md").write_text(CLINIC_ARTICLE, encoding="utf-8")
    (folder / "broken.md").write_text("no front matter here\n", encoding="utf-8")
    listed, err = topics(capsys, tmp_path, "--lang", "en", "topics", "--json")
    assert "clinic-flu-jabs" in {t["id"] for t in listed}
    assert "broken.md" in err and "skipped a library file" in err


def test_topics_does_not_import_the_engine():
    code = ("import sys, contextlib, io; from chatapp import cli\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    assert cli.main(['topics', '--json']) == 0\n"
            "assert 'torch' not in sys.modules and 'model.engine' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, timeout=120)
