from __future__ import annotations

import re

import pytest

from chatapp.safety import default_country, known_countries, numbers_for, triage

REQUIRED = {"US", "GB", "EU", "CA", "AU", "CN"}


def test_required_countries_have_an_emergency_number_with_a_source() -> None:
    assert set(known_countries()) >= REQUIRED
    for country in REQUIRED:
        numbers = numbers_for(country)
        assert any(n.kind == "emergency" for n in numbers), country
        for n in numbers:
            assert re.fullmatch(r"https?://\S+", n.source), (country, n)
            assert re.fullmatch(r"[\d -]+", n.number), (country, n)
            assert n.label


@pytest.mark.parametrize("country, number", [
    ("US", "911"), ("GB", "999"), ("UK", "999"), ("CA", "911"), ("AU", "000"),
    ("CN", "120"), ("EU", "112"), ("DE", "112"), ("fr", "112"),
])
def test_emergency_number_per_country(country, number) -> None:
    result = triage("I can't breathe", "en", country)
    assert result.numbers[0].number == number
    assert number in result.message


def test_unknown_country_invents_nothing() -> None:
    result = triage("I can't breathe", "en", "ZZ")
    assert result.emergency
    assert result.numbers == ()
    assert "your local emergency number" in result.message


def test_crisis_line_comes_with_suicidal_thoughts() -> None:
    us = triage("I want to kill myself", "en", "US")
    assert [n.number for n in us.numbers] == ["911", "988"]
    assert "988" in us.message
    eu = triage("I want to kill myself", "en", "DE")  # no EU-wide crisis line
    assert [n.number for n in eu.numbers] == ["112"]
    assert "{crisis" not in eu.message


def test_messages_come_in_the_chosen_language() -> None:
    zh = triage("I can't breathe", "zh", "CN")
    assert "120" in zh.message and "呼吸" in zh.message
    en = triage("我喘不过气了", "en", "US")
    assert en.category == "breathing" and "911" in en.message


@pytest.mark.parametrize("env, country", [
    ({"LANG": "en_GB.UTF-8"}, "GB"),
    ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "CN"),
    ({"LANG": "de_DE.UTF-8"}, "DE"),
])
def test_country_defaults_from_the_locale(env, country) -> None:
    assert default_country(env) == country
