"""Teach-back: the article's own questions first, else a prompt; gentle feedback."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from chatapp.literacy import Check, feedback_prompt, teach_back

ANSWER = "Check your blood pressure at home. Write the numbers down and show them to your doctor."
CHECKS = [
    Check("Can you feel high blood pressure?", "Usually not."),
    Check("What food should you eat less of?", "Salty food."),
    Check("How will you check your blood pressure at home?", "With a home monitor."),
]


@dataclass(frozen=True)
class LibraryCheck:  # what the knowledge package's [[check]] looks like
    question: str
    answer: str


@pytest.mark.parametrize("checks, expected", [
    (CHECKS, ["Can you feel high blood pressure?",
              "How will you check your blood pressure at home?"]),
    (CHECKS[:1], ["Can you feel high blood pressure?"]),
    ([LibraryCheck(c.question, c.answer) for c in CHECKS[1:]],
     ["What food should you eat less of?", "How will you check your blood pressure at home?"]),
    ([{"question": "What food should you eat less of?"}], ["What food should you eat less of?"]),
])
def test_the_articles_own_questions_come_first(checks, expected) -> None:
    tb = teach_back(ANSWER, "en", "basic", checks)
    assert [c.question for c in tb.questions] == expected
    assert tb.prompt == ""
    assert tb.intro.startswith("To check that I explained this well")


def test_questions_about_what_the_answer_said_win_and_keep_the_article_order() -> None:
    checks = [Check("What food should you eat less of?"), Check("When should you call 911?"),
              Check("How will you check your blood pressure?"), Check("Can you feel it?")]
    tb = teach_back(ANSWER, "en", "basic", checks)
    assert [c.question for c in tb.questions][1] == "How will you check your blood pressure?"
    assert len(tb.questions) == 2


@pytest.mark.parametrize("language, level, must_have", [
    ("en", "basic", ["Write 2 short teach-back", "grade 6", ANSWER]),
    ("en", "advanced", ["grade 10", ANSWER]),
    ("zh", "basic", ["写2个", "多喝水，多休息。"]),
])
def test_without_article_questions_the_model_gets_a_prompt(language, level, must_have) -> None:
    answer = ANSWER if language == "en" else "多喝水，多休息。"
    tb = teach_back(answer, language, level, [Check("  ")])
    assert tb.questions == ()
    for words in must_have:
        assert words in tb.prompt


def test_chinese_questions_are_matched_on_the_answer() -> None:
    checks = [Check("感冒时要吃什么药？"), Check("发烧时怎么降温？"), Check("什么时候要去看医生？")]
    answer = "发烧时可以用湿毛巾擦身体降温。如果三天不好，请去看医生。"
    tb = teach_back(answer, "zh", "basic", checks)
    assert [c.question for c in tb.questions] == ["发烧时怎么降温？", "什么时候要去看医生？"]


@pytest.mark.parametrize("language, expected, must_have, must_not", [
    ("en", "Rest and drink water", ["What will you do?", "I will rest", "Rest and drink water",
                                    "grade 8", "without blame"], []),
    ("en", "", ["I will rest"], ["key point"]),
    ("zh", "多休息", ["多休息", "不要责怪"], []),
])
def test_feedback_prompt(language, expected, must_have, must_not) -> None:
    prompt = feedback_prompt("What will you do?", " I will rest ", language, "standard", expected)
    for words in must_have:
        assert words in prompt
    for words in must_not:
        assert words not in prompt
    assert "\n\n" not in prompt
