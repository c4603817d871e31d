"""The screeners: both languages load, match, and map EVERY answer combination to a level."""

from __future__ import annotations

import itertools

import pytest

from chatapp.literacy import (
    Level,
    Preferences,
    load_screener,
    score,
    skip,
)

LANGUAGES = ("en", "zh")
ITEMS = ("sils", "confident_forms", "problems_learning")


def expected_level(values: tuple[int | None, ...]) -> Level:
    # The rule written out independently of the code: a skip, or any answer at the
    # published cut-off (3 on our 1-5 coding) → basic; all "best" (1) → advanced.
    if any(v is None or v >= 3 for v in values):
        return Level.BASIC
    if all(v == 1 for v in values):
        return Level.ADVANCED
    return Level.STANDARD


def all_combinations() -> list[tuple[int | None, ...]]:
    return list(itertools.product([None, 1, 2, 3, 4, 5], repeat=len(ITEMS)))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_answer_combination_maps_to_the_documented_level(language) -> None:
    screener = load_screener(language)
    assert tuple(item.id for item in screener.items) == ITEMS
    counts = dict.fromkeys(Level, 0)
    for values in all_combinations():
        result = score(screener, dict(zip(ITEMS, values, strict=True)))
        assert result.level is expected_level(values), values
        assert result.answers == tuple(zip(ITEMS, values, strict=True))
        counts[result.level] += 1
    # 6 choices (skip + 5) for 3 items; only answers 1-2 everywhere avoid basic.
    assert counts == {Level.BASIC: 216 - 8, Level.STANDARD: 7, Level.ADVANCED: 1}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("answers", [
    None,
    {},
    {"sils": 1, "confident_forms": 1},  # one item skipped
    {"sils": None, "confident_forms": 1, "problems_learning": 1},
])
def test_skipping_gives_basic(language, answers) -> None:
    result = score(load_screener(language), answers)
    assert result.level is Level.BASIC


@pytest.mark.parametrize("language", LANGUAGES)
def test_skipping_the_whole_screener(language) -> None:
    result = skip(language)
    assert result.level is Level.BASIC and result.skipped
    assert result.preferences == Preferences(language, 100, "short")


@pytest.mark.parametrize("item, value, level", [
    ("sils", 2, Level.STANDARD), ("sils", 3, Level.BASIC),
    ("confident_forms", 2, Level.STANDARD), ("confident_forms", 3, Level.BASIC),
    ("problems_learning", 2, Level.STANDARD), ("problems_learning", 3, Level.BASIC),
])
def test_each_cut_off_on_both_sides(item, value, level) -> None:
    answers = dict.fromkeys(ITEMS, 1) | {item: value}
    assert score(load_screener("en"), answers).level is level


def test_published_cut_off_labels() -> None:
    # The cut-off sits on the answer the papers name.
    screener = load_screener("en")
    labels = {item.id: item.options[item.limited_from - 1].label for item in screener.items}
    assert labels == {
        "sils": "Sometimes",  # SILS > 2
        "confident_forms": "Somewhat",  # "somewhat" or less confident
        "problems_learning": "Sometimes",
    }


def test_both_screener_files_have_the_same_items_scales_and_rule() -> None:
    en, zh = load_screener("en"), load_screener("zh")

    def shape(s):
        return (
            [(i.id, i.values, i.limited_from, i.sources) for i in s.items],
            s.advanced_max_value,
            s.language_question.values,
            (s.text_size_question.min, s.text_size_question.max, s.text_size_question.default),
            s.answer_style_question.values,
            s.answer_style_question.default,
        )

    assert shape(en) == shape(zh)
    for a, b in zip(en.items, zh.items, strict=True):
        assert len(a.options) == len(b.options) == 5
        assert a.question != b.question  # translated, not copied
        assert all(o.label for o in b.options)


def test_the_chinese_version_says_it_is_our_translation() -> None:
    assert load_screener("en").translation_note == ""
    assert "译" in load_screener("zh").translation_note


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_item_cites_its_source(language) -> None:
    for item in load_screener(language).items:
        assert item.sources
        for source in item.sources:
            assert source.title and source.authors and source.journal and source.year > 2000
            assert source.url == "" or source.url.startswith(("https://", "http://"))
    first = load_screener(language).item("sils").sources[0]
    assert (first.authors.split()[0], first.year) == ("Morris", 2006)
    assert first.url == "https://pubmed.ncbi.nlm.nih.gov/16563164/"


@pytest.mark.parametrize("answers, message", [
    ({"unknown": 1}, "unknown screener item"),
    ({"sils": 0}, "not an option"),
    ({"sils": 6}, "not an option"),
    ({"sils": True}, "not an option"),
    ({"sils": "3"}, "not an option"),
])
def test_answers_that_are_not_options_are_refused(answers, message) -> None:
    with pytest.raises(ValueError, match=message):
        score(load_screener("en"), answers)


@pytest.mark.parametrize("prefs, message", [
    (Preferences("fr"), "Unknown language"),
    (Preferences("en", 90), "between 100% and 200%"),
    (Preferences("en", 250), "between 100% and 200%"),
    (Preferences("en", 100, "long"), "Unknown answer length"),
])
def test_preferences_are_checked(prefs, message) -> None:
    with pytest.raises(ValueError, match=message):
        score(load_screener("en"), None, prefs)


def test_preferences_travel_with_the_result() -> None:
    prefs = Preferences("en", 150, "more_detail")
    result = score(load_screener("zh"), dict.fromkeys(ITEMS, 1), prefs)
    assert result.preferences.font_scale == 1.5
    assert result.to_dict() == {
        "level": "advanced",
        "target_grade": 10,
        "answers": {"sils": 1, "confident_forms": 1, "problems_learning": 1},
        "language": "en",
        "text_size": 150,
        "answer_style": "more_detail",
    }


def test_unknown_screener_language() -> None:
    with pytest.raises(ValueError, match="Unknown language"):
        load_screener("fr")
