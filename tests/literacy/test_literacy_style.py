"""Writing instructions per level and language; basic is the strictest."""

from __future__ import annotations

import tomllib

import pytest

from chatapp.literacy import Level, max_sentence, style_instructions
from chatapp.resources import resource_path

LANGUAGES = ("en", "zh")


@pytest.mark.parametrize("language", LANGUAGES)
def test_basic_is_stricter_than_standard_and_advanced_allows_more(language) -> None:
    limits = [max_sentence(level, language) for level in Level]
    assert limits == sorted(limits) and len(set(limits)) == 3
    basic, advanced = (style_instructions(lv, language) for lv in ("basic", "advanced"))
    assert len(basic.splitlines()) > len(advanced.splitlines())


def test_chinese_sentence_rule_matches_the_readability_target() -> None:
    with resource_path("literacy", "readability.toml").open("rb") as fh:
        targets = tomllib.load(fh)["chinese"]
    for level in Level:
        assert max_sentence(level, "zh") == targets[level.value]["max_sentence_length"]


@pytest.mark.parametrize("level, language, must_have", [
    ("basic", "en", ["grade 6 or lower", "12 words or fewer", "explain it in plain words",
                     "numbered list", "one thing the patient can do next"]),
    ("standard", "en", ["grade 8", "15 words", "Explain each medical word", "numbered list",
                        "one thing the patient can do next"]),
    ("advanced", "en", ["grade 10", "20 words", "more detail", "explain each one briefly",
                        "one thing the patient can do next"]),
    ("basic", "zh", ["不超过15个字", "日常", "解释", "编号列表", "下一步"]),
    ("standard", "zh", ["不超过20个字", "解释", "编号列表", "下一步"]),
    ("advanced", "zh", ["不超过25个字", "细节", "解释", "下一步"]),
])
def test_instructions_say_what_the_level_needs(level, language, must_have) -> None:
    text = style_instructions(level, language)
    for words in must_have:
        assert words in text, words
    heading, *rules = text.splitlines()
    assert heading and all(rule.startswith("- ") for rule in rules)


@pytest.mark.parametrize("language, short, more", [
    ("en", "Keep the answer short", "more detail"),
    ("zh", "回答要简短", "多了解一些"),
])
def test_answer_style_preference_is_the_last_rule(language, short, more) -> None:
    assert short in style_instructions("basic", language, "short").splitlines()[-1]
    assert more in style_instructions("basic", language, "more_detail").splitlines()[-1]


@pytest.mark.parametrize("level, language, answer_style, message", [
    ("expert", "en", "short", "Unknown reading level"),
    ("basic", "fr", "short", "Unknown language"),
    ("basic", "en", "long", "Unknown answer length"),
])
def test_bad_arguments(level, language, answer_style, message) -> None:
    with pytest.raises(ValueError, match=message):
        style_instructions(level, language, answer_style)
