"""Plain-language edits: everyday words, safe sentence splits, bullet lists; never a
number, a dose or a negation changed."""

from __future__ import annotations

import re

import pytest

from chatapp.literacy import Level, LiteracyDataError, score_text, simplify, steps_for
from chatapp.literacy import plain as plain_module


def basic(text: str) -> str:
    return simplify(text, "basic", "en")


def test_the_levels_get_fewer_edits_as_they_go_up() -> None:
    steps = [steps_for(level, "en") for level in Level]
    assert steps[0] >= steps[1] >= steps[2]
    assert steps[0] != steps[2]
    assert steps_for("basic", "zh") == frozenset()


def test_hard_words_become_everyday_words_keeping_the_capital() -> None:
    assert basic("Hypertension is common. Take your medication.") == (
        "High blood pressure is common. Take your medicine.")
    assert simplify("Ask your healthcare providers.", "standard", "en") == (
        "Ask your doctors and nurses.")  # the longer phrase wins


@pytest.mark.parametrize("text", [
    "The medical name is hypertension.",
    "It is also called hypertension.",
    'Doctors use the word "hypertension".',
    "High blood pressure (hypertension) is common.",
    "Hypertension (high blood pressure) is common.",
])
def test_a_medical_word_the_text_names_is_kept(text) -> None:
    # Measured: the model copied "The medical name is hypertension." from the
    # library, and a swap made it "... name is high blood pressure".
    assert basic(text) == text


def test_only_whole_words_are_swapped() -> None:
    assert basic("Premedication and medications.") == "Premedication and medicines."


def test_a_sentence_is_split_between_two_whole_clauses() -> None:
    assert basic("You should rest at home, and you should drink lots of water.") == (
        "You should rest at home. You should drink lots of water.")
    assert basic("It can feel bad for a while, but it usually gets better soon.") == (
        "It can feel bad for a while. But it usually gets better soon.")
    assert basic("Salt raises your blood pressure; it also makes you thirsty.") == (
        "Salt raises your blood pressure. It also makes you thirsty.")


@pytest.mark.parametrize("text", [
    "Eat fruit, vegetables, and your greens every single day.",  # a list
    "If you feel dizzy, and it does not stop, call a doctor.",  # dependent clauses
    "Rest at home, but call your doctor if it lasts.",  # no subject on the right
    "Wash, and you are done.",  # too short to split
    "Call (or text us, and we will answer soon) today.",  # inside brackets
])
def test_unsafe_joins_are_left_alone(text) -> None:
    assert basic(text) == text


def test_a_run_on_list_becomes_bullets() -> None:
    assert basic("Signs include fever, cough, and a sore throat.") == (
        "Signs include:\n- fever\n- cough\n- a sore throat\n\n")
    assert basic("Common triggers include stress, bright lights and some foods.") == (
        "Common triggers include:\n- stress\n- bright lights\n- some foods\n\n")


def test_a_list_inside_a_paragraph_gets_lines_of_its_own() -> None:
    text = "Colds are common. Signs include fever, cough and tiredness. Rest well."
    # The space before "Rest" came with that sentence; Markdown ignores it.
    assert basic(text) == ("Colds are common.\n\nSigns include:\n- fever\n- cough\n"
                           "- tiredness\n\n Rest well.")


@pytest.mark.parametrize("text", [
    "Signs include fever and cough.",  # two items: not worth a list
    "Signs include fever, a cough that lasts for many long weeks, and pain.",  # long item
    "- Signs include fever, cough and pain.",  # already a list item
    "Signs include fever, cough and pain",  # no full stop: not a finished sentence
])
def test_lists_only_when_clearly_a_list(text) -> None:
    assert basic(text) == text


NUMBERS = re.compile(r"\d+(?:[.,]\d+)?\s*(?:mg|ml|mcg|g|%|hours?|days?|times?)?")
NEGATION = re.compile(r"\b(?:no|not|never|don't|do not|without|avoid|stop)\b", re.IGNORECASE)

RISKY = [
    "Do not take more than 4 doses of 500 mg in 24 hours, and you should not drink alcohol.",
    "Approximately 1 in 3 adults have hypertension, and most of them do not know it.",
    "Never stop your medication without asking your physician, but you can ask a pharmacist.",
    "Signs include a fever over 38.5 degrees, no appetite, and 3 days of pain.",
    "Avoid salt; it raises your blood pressure by 5 to 10 points.",
    "If you cannot keep fluids down for 24 hours, and you feel weak, call a doctor.",
]


@pytest.mark.parametrize("text", RISKY)
@pytest.mark.parametrize("level", list(Level))
def test_numbers_doses_and_negations_are_never_changed(text, level) -> None:
    out = simplify(text, level, "en")
    assert NUMBERS.findall(out) == NUMBERS.findall(text)
    assert [m.lower() for m in NEGATION.findall(out)] == [
        m.lower() for m in NEGATION.findall(text)]


@pytest.mark.parametrize("text", RISKY)
def test_the_edits_never_make_a_text_harder(text) -> None:
    assert score_text(basic(text), "en").fk_grade <= score_text(text, "en").fk_grade


def test_sentence_by_sentence_gives_the_same_text_as_the_whole() -> None:
    text = ("Hypertension is common, and it often has no signs. Signs include headache, "
            "tiredness and blurred vision.\n\n1. Take your medication.\n2. Rest.")
    pieces = re.split(r"(?<=[.!?])(?=\s)|(?<=\n)", text)
    assert "".join(plain_module.simplify_sentence(p, "basic", "en") for p in pieces) == (
        basic(text))


def test_chinese_is_left_as_it_is() -> None:
    assert simplify("高血压很常见，要少吃盐。", "basic", "zh") == "高血压很常见，要少吃盐。"


@pytest.mark.parametrize("entry, problem", [
    ('"two tablets" = "2 tablets"', "number"),
    ('"avoid salt" = "eat less salt"', "negation"),
    ('"stay" = "do not leave"', "negation"),
])
def test_a_word_list_entry_that_could_change_meaning_is_refused(tmp_path, monkeypatch,
                                                                entry, problem) -> None:
    source = plain_module._data.data_path("plain_en.toml").read_text(encoding="utf-8")
    (tmp_path / "plain_en.toml").write_text(source + f"\n{entry}\n", encoding="utf-8")
    monkeypatch.setattr(plain_module._data, "data_path", lambda name: tmp_path / name)
    plain_module._plain.cache_clear()
    try:
        with pytest.raises(LiteracyDataError, match=problem):
            plain_module._plain()
    finally:
        plain_module._plain.cache_clear()


def test_the_shipped_word_list_loads() -> None:
    plain = plain_module._plain()
    assert plain.words["hypertension"] == "high blood pressure"
    assert all(word == word.lower() for word in plain.words)
