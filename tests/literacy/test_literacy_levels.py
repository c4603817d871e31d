from __future__ import annotations

import pytest

from chatapp.literacy import Level, parse_level, simpler


@pytest.mark.parametrize("level, grade", [
    (Level.BASIC, 6), (Level.STANDARD, 8), (Level.ADVANCED, 10),
])
def test_target_grades(level, grade) -> None:
    assert level.grade == grade


@pytest.mark.parametrize("text, level", [
    ("basic", Level.BASIC),
    ("Standard", Level.STANDARD),
    (" ADVANCED \n", Level.ADVANCED),
    (Level.BASIC, Level.BASIC),
])
def test_parse_level(text, level) -> None:
    assert parse_level(text) is level


@pytest.mark.parametrize("text", ["expert", "", "grade 6", "6"])
def test_unknown_level_names_the_choices(text) -> None:
    with pytest.raises(ValueError, match=r"Unknown reading level .*basic, standard, advanced"):
        parse_level(text)


@pytest.mark.parametrize("level, expected", [
    ("advanced", Level.STANDARD),
    ("standard", Level.BASIC),
    ("basic", Level.BASIC),
    (Level.ADVANCED, Level.STANDARD),
])
def test_simpler_goes_one_level_down_and_stops_at_basic(level, expected) -> None:
    assert simpler(level) is expected


def test_a_level_is_stored_as_its_plain_name() -> None:
    assert Level.STANDARD == "standard" and f"{Level.BASIC}" == "basic"
