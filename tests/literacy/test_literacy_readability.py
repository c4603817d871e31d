"""English scores against textstat 0.7.8 itself, Markdown stripping, badges, edge cases."""

from __future__ import annotations

import pytest
import textstat

from chatapp.literacy import (
    Level,
    Readability,
    badge,
    easiest_level,
    meets_target,
    plain_text,
    score_text,
)

SIMPLE = (
    "I have a cold. I feel sick. I will rest. I will drink water. "
    "I will see my doctor if I get worse."
)
PLAIN = (
    "High blood pressure means your blood pushes too hard on your blood vessels. "
    "Most people do not feel it. Check it at least once a year. "
    "Ask your doctor what your numbers mean."
)
MIDDLE = (
    "People with diabetes should check their blood sugar often, because high levels over "
    "many years can slowly damage the nerves, kidneys and eyes."
)
DENSE = (
    "Hypertension is a chronic medical condition characterized by persistently elevated "
    "arterial blood pressure, which substantially increases the probability of cardiovascular "
    "complications, including myocardial infarction, cerebrovascular accidents, and "
    "progressive renal insufficiency. Pharmacological management frequently necessitates "
    "combination antihypertensive therapy."
)
SENTENCE = "Diabetes affects how your body uses energy from food."


def test_textstat_is_the_pinned_offline_release() -> None:
    # 0.7.9+ downloads NLTK data at run time; every figure below is 0.7.8's.
    assert textstat.__version__ == (0, 7, 8)


@pytest.mark.parametrize("text, fk, grade", [
    (SIMPLE, -0.970, 1),  # below grade 1: the badge still says grade 1
    (PLAIN, 1.573, 2),
    (MIDDLE, 11.850, 12),
    (DENSE, 28.939, 29),
])
def test_flesch_kincaid_of_known_texts(text, fk, grade) -> None:
    r = score_text(text, "en")
    assert r.fk_grade == pytest.approx(fk, abs=0.001)
    assert r.fk_grade == pytest.approx(textstat.flesch_kincaid_grade(text))
    assert r.grade == grade


def test_a_simple_text_scores_low_and_a_dense_one_high() -> None:
    simple, dense = score_text(SIMPLE, "en"), score_text(DENSE, "en")
    assert simple.grade <= Level.BASIC.grade < Level.ADVANCED.grade < dense.grade


@pytest.mark.parametrize("text, sentences, words", [
    (SIMPLE, 5, 23),
    (PLAIN, 4, 33),
    (DENSE, 2, 37),
])
def test_counts_are_textstats(text, sentences, words) -> None:
    r = score_text(text, "en")
    assert (r.sentences, r.words) == (sentences, words)
    assert (textstat.sentence_count(text), textstat.lexicon_count(text)) == (sentences, words)
    assert r.sentence_length == pytest.approx(words / sentences)


@pytest.mark.parametrize("sentences, has_smog", [(1, False), (9, False), (10, True), (30, True)])
def test_smog_only_from_ten_sentences(sentences, has_smog) -> None:
    text = " ".join([SENTENCE] * sentences)
    r = score_text(text, "en")
    assert r.sentences == sentences
    if has_smog:
        assert r.smog == pytest.approx(textstat.smog_index(text))
        assert r.smog == pytest.approx(11.208, abs=0.001)
    else:
        assert r.smog is None


@pytest.mark.parametrize("fk, grade", [
    (-3.4, 1), (0.4, 1), (5.49, 5), (5.5, 6), (6.5, 7), (7.49, 7), (11.85, 12),
])
def test_grade_rounds_half_up_and_is_at_least_one(fk, grade, monkeypatch) -> None:
    from chatapp.literacy import readability

    monkeypatch.setattr(readability._TEXTSTAT, "flesch_kincaid_grade", lambda text: fk)
    assert score_text("Some words here.", "en").grade == grade


@pytest.mark.parametrize("text, expected", [
    ("## What is it?\nIt is common", "What is it?\nIt is common."),
    ("# Title #", "Title."),
    ("- Drink water\n- Rest", "Drink water.\nRest."),
    ("* one\n+ two\n1. three\n2) four", "one.\ntwo.\nthree.\nfour."),
    ("Signs to watch for:\n- A headache", "Signs to watch for.\nA headache."),
    ("This is **very** important and *really* _simple_.",
     "This is very important and really simple."),
    ("Use __both__ and ~~not this~~ words.", "Use both and not this words."),
    ("Ask your [doctor](https://example.org/doc).", "Ask your doctor."),
    ("See ![a chart](chart.png) here.", "See a chart here."),
    ("Read [the leaflet][1].\n\n[1]: https://example.org", "Read the leaflet."),
    ("Go to https://example.org today.", "Go to today."),
    ("Type `metformin` in the box.", "Type metformin in the box."),
    ("Before.\n```python\nprint('code is not prose')\n```\nAfter.", "Before.\nAfter."),
    ("> Check it once a year.", "Check it once a year."),
    ("A line\nthat wraps.\n\nNew paragraph", "A line that wraps.\nNew paragraph."),
    ("- A step\n  that wraps\n- Next", "A step that wraps.\nNext."),
    ("Above\n\n---\n\nBelow", "Above.\nBelow."),
    ("| Sign | Do |\n|---|---|\n| Fever | Rest |", "Sign, Do.\nFever, Rest."),
    ("Use <b>bold</b> &amp; more.", "Use bold & more."),
    ("He said \"stop.\"", "He said \"stop.\""),
    ("Is it safe?", "Is it safe?"),
    ("", ""),
])
def test_markdown_is_stripped(text, expected) -> None:
    assert plain_text(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("## 什么是高血压\n血压太高", "什么是高血压。\n血压太高。"),
    ("- 多喝水\n- 多休息：", "多喝水。\n多休息。"),
    ("要按时吃药。", "要按时吃药。"),
])
def test_chinese_blocks_end_with_a_chinese_full_stop(text, expected) -> None:
    assert plain_text(text, "zh") == expected


def test_markdown_marks_do_not_change_the_score() -> None:
    markdown = (
        "## High blood pressure\n\n"
        "High blood pressure means your blood pushes **too hard** on your blood vessels.\n\n"
        "- Check it at least once a year\n- Ask your [doctor](https://example.org) what it means\n"
    )
    plain = (
        "High blood pressure. High blood pressure means your blood pushes too hard on your "
        "blood vessels. Check it at least once a year. Ask your doctor what it means."
    )
    assert score_text(markdown, "en") == score_text(plain, "en")
    assert score_text(markdown, "en").fk_grade == pytest.approx(
        textstat.flesch_kincaid_grade(plain_text(markdown))
    )


@pytest.mark.parametrize("text", ["", "   \n\t", "---", "```\ncode only\n```", "https://example.org"])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_empty_text_is_not_measurable_and_does_not_crash(text, language) -> None:
    r = score_text(text, language)
    assert not r.measurable
    assert (r.words, r.sentences, r.grade) == (0, 0, None)
    assert meets_target(r, "basic")
    assert badge(r) == ""
    assert r.to_dict()["words"] == 0


@pytest.mark.parametrize("text", [
    "High blood pressure is 高血压 in Chinese.",
    "高血压就是血压太高。",
    "Take it with food 🙂 — and water…",
])
def test_english_scoring_of_mixed_text_does_not_crash(text) -> None:
    r = score_text(text, "en")
    assert r.measurable and r.grade >= 1


@pytest.mark.parametrize("grade, level, meets", [
    (6, "basic", True), (7, "basic", False),
    (8, "standard", True), (9, "standard", False),
    (10, "advanced", True), (11, "advanced", False),
])
def test_meets_target_at_the_level_grade(grade, level, meets) -> None:
    r = Readability("en", 3, 30, 10.0, grade=grade, fk_grade=float(grade))
    assert meets_target(r, level) is meets
    assert meets_target(r, Level(level)) is meets


@pytest.mark.parametrize("text, level, badge_text", [
    (SIMPLE, Level.BASIC, "Easy to read: grade 1"),
    (MIDDLE, None, "Hard to read: grade 12"),
    (DENSE, None, "Hard to read: grade 29"),
])
def test_badge_names_the_easiest_level_met(text, level, badge_text) -> None:
    r = score_text(text, "en")
    assert easiest_level(r) == level
    assert badge(r) == badge_text


@pytest.mark.parametrize("grade, badge_text", [
    (5, "Easy to read: grade 5"),
    (8, "Fairly easy to read: grade 8"),
    (10, "Harder to read: grade 10"),
    (11, "Hard to read: grade 11"),
])
def test_english_badges(grade, badge_text) -> None:
    assert badge(Readability("en", 3, 30, 10.0, grade=grade, fk_grade=float(grade))) == badge_text


def test_to_dict_is_plain_data() -> None:
    d = score_text(" ".join([SENTENCE] * 10), "en").to_dict()
    assert d["language"] == "en" and d["grade"] == 10 and d["sentences"] == 10
    assert isinstance(d["smog"], float) and d["common_share"] is None


@pytest.mark.parametrize("language", ["fr", "", "EN"])
def test_unknown_language_is_refused(language) -> None:
    with pytest.raises(ValueError, match="Unknown language"):
        score_text("Hello.", language)
