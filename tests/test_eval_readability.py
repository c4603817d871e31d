"""The readability evaluation's report: what it compares, and that it can say 'no'."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "eval_readability.py"
spec = importlib.util.spec_from_file_location("eval_readability", SCRIPT)
eval_readability = importlib.util.module_from_spec(spec)
spec.loader.exec_module(eval_readability)

EASY = "Drink water. Rest well. See your doctor if you feel worse."
HARD = ("Persistent dehydration necessitates comprehensive evaluation, particularly "
        "whenever accompanying neurological manifestations, including confusion, develop.")


def row(answer: str, grade: float) -> dict:
    return {"question": "q", "answer": answer, "fk_grade": grade, "grade": round(grade),
            "first_fk_grade": grade, "smog": None, "words": len(answer.split()),
            "rewrite_tried": False, "simplified": False, "stop_reason": "eos",
            "prompt_tokens": 100, "ttft_ms": 10.0, "seconds": 1.0, "sources": []}


RUN = {"model": "tiny", "device": "cpu", "questions": 2, "max_new_tokens": 16, "library": True}


def test_levels_that_do_not_differ_are_reported_as_such() -> None:
    same = [row(EASY, 4.0), row(EASY, 4.2)]
    report = eval_readability.report(
        {"basic": same, "standard": same, "advanced": same, "plain": same,
         "plain_without_library": [row(HARD, 12.0), row(HARD, 12.0)]}, RUN, False, None)
    goal = report["goal"]
    assert goal["levels_in_order"] == [4.1, 4.1, 4.1] and goal["levels_rise"] is False
    assert goal["basic_below_plain_by"] == 0.0
    assert goal["basic_below_plain_without_library_by"] == 7.9
    assert report["levels"]["advanced"]["same_text_as_plain"] == 2
    assert report["plain_without_library"]["share_at_or_under"]["advanced"] == 0.0


def test_rising_levels_and_a_basic_level_under_target() -> None:
    report = eval_readability.report(
        {"basic": [row(EASY, 3.0)], "standard": [row(HARD, 7.5)],
         "advanced": [row(HARD, 9.5)], "plain": [row(HARD, 8.0)]}, RUN, True, 1.0)
    goal = report["goal"]
    assert goal["levels_rise"] is True and goal["basic_median_at_or_under_6"] is True
    assert goal["basic_below_plain_by"] == 5.0
    assert "basic_below_plain_without_library_by" not in goal  # not run: not claimed
    assert report["levels"]["basic"]["share_at_or_under_target"] == 1.0
    assert set(report["answers"]) == {"basic", "standard", "advanced", "plain"}


def zh_row(answer: str) -> dict:
    from chatapp.literacy import score_text

    scores = score_text(answer, "zh")
    return {**row(answer, 0.0), "fk_grade": None, "grade": None, "first_fk_grade": None,
            "language": "zh", "sentence_length": scores.sentence_length,
            "common_share": scores.common_share, "library_words": True}


def test_chinese_answers_are_measured_on_their_sentences() -> None:
    short = zh_row("多喝水。好好休息。按时吃药。")
    longer = zh_row("如果发烧持续不退或者出现其他不适，应当及时到医院就诊。")
    longest = zh_row("如果体温持续升高并且伴有呼吸困难或者意识改变等表现，"
                     "应当立即拨打当地急救电话寻求帮助。")
    report = eval_readability.report(
        {"basic": [short], "standard": [longer], "advanced": [longest], "plain": [longer],
         # An English article's words in a Chinese run: not characters a sentence.
         "plain_without_library": [longer, {**row(EASY, 4.0), "sentence_length": 4.0}]},
        {**RUN, "language": "zh"}, False, None)
    levels, goal = report["levels"], report["goal"]
    assert levels["basic"]["median_sentence_length"] == round(short["sentence_length"], 2)
    assert "median_fk_grade" not in levels["basic"]
    assert levels["basic"]["library_words"] == 1
    assert goal["basic_median_meets_its_sentence_length"] is True
    assert goal["levels_rise"] is True and goal["basic_below_plain_by"] > 0
    assert report["settings"]["language"] == "zh"
    assert report["plain_without_library"]["median_sentence_length"] == round(
        longer["sentence_length"], 2)
