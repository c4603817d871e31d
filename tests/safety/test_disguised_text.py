"""Invisible characters and look-alike letters cannot hide an emergency, whichever
way the text comes in: triage itself, the rules step, a whole turn, the CLI."""

from __future__ import annotations

import io
import json
import sys
import tomllib
from pathlib import Path

import pytest
from fake_engine import ScriptedEngine
from hypothesis import given
from hypothesis import strategies as st

from chatapp import cli
from chatapp.safety import triage
from chatapp.safety.scope import scope_request
from chatapp.storage import StoreLocation, TurnLog, open_store
from chatapp.turn import Assistant, answer_by_rules

CASES = tomllib.loads((Path(__file__).parent / "cases.toml").read_text(encoding="utf-8"))["case"]

ZWSP, SOFT_HYPHEN, WORD_JOINER, BOM = "\u200b", "\u00ad", "\u2060", "\ufeff"
# (disguised message, category): the tester's cases and their kin.
DISGUISED = [
    (f"I have che{ZWSP}st pain right now", "heart_attack"),
    (f"I have chest pa{SOFT_HYPHEN}in right now", "heart_attack"),
    ("I have \u0441hest pain right now", "heart_attack"),  # Cyrillic с
    ("I have chest p\u0430in right now", "heart_attack"),  # Cyrillic а
    (f"I want to ki{ZWSP}ll myself", "suicide"),
    (f"I want to kill my{SOFT_HYPHEN}self", "suicide"),
    ("I want to \u043aill my\u0455elf", "suicide"),  # Cyrillic к, ѕ
    ("I want to kill mys\u0435lf", "suicide"),  # Cyrillic е
    (f"I w{WORD_JOINER}ant to k{BOM}ill myself", "suicide"),
    ("I want to KILL MYSELF".replace("E", "\u0395"), "suicide"),  # Greek Ε
    ("I want to \uff4b\uff49\uff4c\uff4c myself", "suicide"),  # fullwidth "kill" (NFKC)
    ("I want to k\x1b[0mill myself", "suicide"),  # a terminal escape inside a word
]
INVISIBLE = st.sampled_from([ZWSP, SOFT_HYPHEN, WORD_JOINER, BOM, "\u200c", "\u200d",
                             "\u200e", "\u202c", "\u2061", "\u034f", "\ufe0f", "\U000e0020"])
LOOKALIKE = {"a": "а", "c": "с", "e": "е", "i": "і", "o": "о", "p": "р", "x": "х", "y": "у",
             "s": "ѕ", "k": "к", "A": "Α", "E": "Ε", "O": "Ο", "T": "Τ", "H": "Η", "M": "М"}


@pytest.mark.parametrize(("text", "category"), DISGUISED, ids=lambda v: ascii(v)[:40])
def test_triage_sees_through_invisible_and_lookalike_characters(text, category) -> None:
    result = triage(text, "en", "US")
    assert result.emergency and result.category == category


@pytest.mark.parametrize(("text", "category"), DISGUISED[:3] + DISGUISED[4:7],
                         ids=lambda v: ascii(v)[:40])
def test_every_path_finds_the_emergency_in_raw_text(tmp_path, text, category) -> None:
    # The rules step, as the window calls it with the composer's text.
    ruled = answer_by_rules(text, "en", "US")
    assert ruled is not None and ruled.emergency.category == category
    # A whole turn, as the worker and `carechat ask` run it: the model is not asked,
    # and the question is saved normalised.
    engine = ScriptedEngine()
    store = open_store(StoreLocation.in_data_dir(tmp_path))
    conversation = store.create_conversation(store.create_profile("Ana").id)
    result = Assistant(engine, country="US").answer(text, log=TurnLog(store, conversation.id))
    assert engine.calls == [] and result.emergency.category == category
    saved = store.messages(conversation.id)[0].content
    assert not any(c in saved for c in (ZWSP, SOFT_HYPHEN, "\x1b"))


@pytest.mark.parametrize("source", ["argument", "stdin"])
def test_the_triage_command_finds_it_too(capsys, monkeypatch, source) -> None:
    text = f"I have che{ZWSP}st pain right now"
    if source == "stdin":
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
        argv = ["triage", "--json", "-"]
    else:
        argv = ["triage", "--json", text]
    assert cli.main(argv) == cli.EXIT_OK
    assert json.loads(capsys.readouterr().out)["category"] == "heart_attack"


def test_a_dose_request_is_recognised_through_invisible_characters() -> None:
    plain = scope_request("How many mg of ibuprofen should I take?")
    hidden = scope_request(f"How ma{ZWSP}ny m{SOFT_HYPHEN}g of ibuprof\u0435n should I take?")
    assert plain is not None and hidden is not None and hidden.kind == plain.kind


@st.composite
def disguised(draw) -> tuple[dict, str]:
    """A labelled case, with invisible characters put in and letters swapped for
    look-alikes at random places."""
    case = draw(st.sampled_from(CASES))
    chars = list(case["text"])
    for i in sorted(draw(st.sets(st.integers(0, len(chars) - 1), max_size=6)), reverse=True):
        if chars[i] in LOOKALIKE and draw(st.booleans()):
            chars[i] = LOOKALIKE[chars[i]]
        else:
            chars.insert(i, draw(INVISIBLE))
    return case, "".join(chars)


@given(disguised())
def test_disguising_a_labelled_message_never_changes_the_verdict(pair) -> None:
    case, text = pair
    plain = triage(case["text"], case["language"], "US")
    hidden = triage(text, case["language"], "US")
    assert (hidden.emergency, hidden.category) == (plain.emergency, plain.category)
