"""The rewrite decision on both sides of the boundary, the rewrite prompt, and choose()."""

from __future__ import annotations

import pytest

from chatapp.literacy import (
    Level,
    Readability,
    choose,
    is_easier,
    needs_rewrite,
    rewrite_instruction,
    score_text,
)


def english(grade: int) -> Readability:
    return Readability("en", 3, 30, 10.0, grade=grade, fk_grade=float(grade))


def chinese(length: float, share: float) -> Readability:
    return Readability("zh", 4, int(length * 4), length, common_share=share)


@pytest.mark.parametrize("grade, level, expected", [
    (6, "basic", False),
    (7, "basic", False),  # one grade over: within the tolerance
    (8, "basic", True),  # more than one grade over
    (9, "standard", False),
    (10, "standard", True),
    (11, "advanced", False),
    (12, "advanced", True),
    (1, "advanced", False),
])
def test_english_rewrite_boundary(grade, level, expected) -> None:
    assert needs_rewrite(english(grade), level) is expected


@pytest.mark.parametrize("fk, expected", [(7.49, False), (7.5, True)])
def test_the_boundary_uses_the_grade_the_badge_shows(fk, expected, monkeypatch) -> None:
    from chatapp.literacy import readability

    monkeypatch.setattr(readability._TEXTSTAT, "flesch_kincaid_grade", lambda text: fk)
    assert needs_rewrite(score_text("Some words here.", "en"), Level.BASIC) is expected


@pytest.mark.parametrize("length, share, level, expected", [
    (15.0, 1.0, "basic", False),
    (17.5, 1.0, "basic", False),  # 2.5 characters over: within the tolerance
    (17.6, 1.0, "basic", True),
    (10.0, 0.96, "basic", False),  # 1 point under the 0.97 share
    (10.0, 0.959, "basic", True),
    (22.5, 0.94, "standard", False),
    (22.6, 0.95, "standard", True),
    (27.5, 0.92, "advanced", False),
    (20.0, 0.919, "advanced", True),
])
def test_chinese_rewrite_boundary(length, share, level, expected) -> None:
    assert needs_rewrite(chinese(length, share), level) is expected


@pytest.mark.parametrize("text, language", [("", "en"), ("", "zh"), ("Only English.", "zh")])
def test_nothing_measurable_is_never_rewritten(text, language) -> None:
    assert not needs_rewrite(score_text(text, language), "basic")


def test_known_texts_either_side() -> None:
    simple = "Drink water. Rest at home. Call your doctor if you feel worse."
    dense = ("Pharmacological management of hypertension frequently necessitates combination "
             "antihypertensive therapy.")
    assert not needs_rewrite(score_text(simple, "en"), "basic")
    assert needs_rewrite(score_text(dense, "en"), "advanced")
    assert not needs_rewrite(score_text("多喝水。在家休息。", "zh"), "basic")
    clinical = "高血压是以体循环动脉血压增高为主要特征的临床综合征。"
    assert needs_rewrite(score_text(clinical, "zh"), "basic")


@pytest.mark.parametrize("level, language, must_have", [
    ("basic", "en", ["grade 6", "12 words or fewer", "Keep every fact", "numbered list"]),
    ("standard", "en", ["grade 8", "15 words", "Explain each medical word"]),
    ("advanced", "en", ["grade 10", "20 words"]),
    ("basic", "zh", ["改写", "不超过15个字", "编号列表"]),
    ("advanced", "zh", ["不超过25个字"]),
])
def test_rewrite_instruction(level, language, must_have) -> None:
    prompt = rewrite_instruction(level, language)
    for words in must_have:
        assert words in prompt
    assert all(line.startswith("- ") for line in prompt.splitlines()[1:])


SIMPLE_EN = "High blood pressure needs medicine. Take it each day."
HARD_EN = "Hypertension necessitates pharmacological intervention administered daily."


@pytest.mark.parametrize("original, rewritten, kept", [
    (HARD_EN, SIMPLE_EN, "rewritten"),
    (SIMPLE_EN, HARD_EN, "original"),
    (SIMPLE_EN, SIMPLE_EN, "original"),  # no better: keep what the patient saw first
    (HARD_EN, "", "original"),
    (HARD_EN, "   ", "original"),
])
def test_choose_english(original, rewritten, kept) -> None:
    choice = choose(original, rewritten, "en")
    assert choice.rewritten is (kept == "rewritten")
    assert choice.text == (rewritten if kept == "rewritten" else original)
    assert choice.readability == score_text(choice.text, "en")


HARD_ZH = "高血压是以体循环动脉血压增高为主要特征的临床综合征，可伴有心、脑、肾等靶器官的损害。"
SIMPLE_ZH = "高血压就是血压太高。它会伤害心、脑和肾。"


@pytest.mark.parametrize("original, rewritten, kept", [
    (HARD_ZH, SIMPLE_ZH, "rewritten"),
    (SIMPLE_ZH, HARD_ZH, "original"),
    (HARD_ZH, "High blood pressure is when your blood pressure is too high.", "original"),
    (HARD_ZH, "", "original"),
])
def test_choose_chinese(original, rewritten, kept) -> None:
    choice = choose(original, rewritten, "zh")
    assert choice.rewritten is (kept == "rewritten")


@pytest.mark.parametrize("candidate, than, easier", [
    (chinese(10, 0.97), chinese(20, 0.97), True),
    (chinese(20, 0.99), chinese(20, 0.97), True),
    (chinese(10, 0.95), chinese(20, 0.97), False),  # shorter, but rarer characters
    (chinese(20, 0.97), chinese(20, 0.97), False),
    (english(5), english(6), True),
    (english(6), english(6), False),
    (english(5), chinese(10, 1.0), False),  # never compare across languages
])
def test_is_easier(candidate, than, easier) -> None:
    assert is_easier(candidate, than) is easier
