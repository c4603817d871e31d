"""Triage on the labelled set: every emergency caught, at most 5% false alarms.

``triage`` is the rules and the learned screen together (test_learned.py tests
the learned screen itself); the rules' guarantee on this set must hold for both.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from chatapp.safety import triage
from chatapp.safety.triage import rules, rules_triage

CASES = tomllib.loads((Path(__file__).parent / "cases.toml").read_text(encoding="utf-8"))["case"]
EMERGENCIES = [c for c in CASES if c["emergency"]]
OTHERS = [c for c in CASES if not c["emergency"]]
# The categories with rules; the newer ones (choking, sepsis, ...) have only the
# learned screen so far, and their cases are in resources/safety/training/.
CATEGORIES = {c.id for c in rules("en").categories if c.patterns}


def test_the_set_is_big_and_covers_everything() -> None:
    assert len(CASES) >= 120
    for language in ("en", "zh"):
        covered = {c["category"] for c in EMERGENCIES if c["language"] == language}
        assert covered == CATEGORIES, language
        kinds = {c["kind"] for c in OTHERS if c["language"] == language}
        assert {"topic", "past", "negation", "idiom", "mild"} <= kinds, language


@pytest.mark.parametrize("case", EMERGENCIES, ids=lambda c: c["text"][:50])
def test_every_emergency_is_caught_in_its_category(case) -> None:
    result = triage(case["text"], case["language"], "US")
    assert result.emergency, case["text"]
    assert result.category == case["category"]


def test_the_rules_alone_catch_every_emergency() -> None:
    missed = [c["text"] for c in EMERGENCIES
              if rules_triage(c["text"], c["language"], "US").category != c["category"]]
    assert missed == []


def test_false_alarms_stay_under_five_percent() -> None:
    flagged = [c["text"] for c in OTHERS if triage(c["text"], c["language"], "US").emergency]
    assert len(flagged) <= 0.05 * len(OTHERS), flagged


@pytest.mark.parametrize(
    "text",
    [
        "my chest is crushing and my arm is numb",
        "MY CHEST IS CRUSHING AND MY ARM IS NUMB",
        "my chest is crushing and my arm is numb!!!",
    ],
)
def test_case_and_punctuation_do_not_matter(text) -> None:
    assert triage(text, "en", "US").category == "heart_attack"


@pytest.mark.parametrize(
    "text",
    [
        "What are the signs of a stroke?",
        "I am killing it at work this week",
        "I had a heart attack in 2019 and I am doing well",
        "No chest pain, just a runny nose",
        "",
        "   ",
    ],
)
def test_not_emergencies(text) -> None:
    assert not triage(text, "en", "US").emergency
