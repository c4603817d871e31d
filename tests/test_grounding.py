"""The grounding check judges what an answer claims: numbers, medicines, conditions, tests."""

from __future__ import annotations

import pytest

from chatapp.knowledge import LibraryIndex
from chatapp.turn.grounding import (
    GROUNDING,
    ends_in_a_loop,
    judge,
    known_numbers,
    numbers_in,
    terms_in,
)

QUESTION = "What is high blood pressure?"
# Close to the library's own passage, in other words: what a good model writes.
PARAPHRASE = ("Blood pressure is how hard your blood pushes on the walls of your blood "
              "vessels each time your heart beats. High blood pressure means this push "
              "stays too high for a long time. The medical name is hypertension.")


@pytest.fixture(scope="module")
def passages():
    return LibraryIndex.load().search(QUESTION, "en", limit=3)


@pytest.fixture(scope="module")
def passages_zh():
    return LibraryIndex.load().search("高血压是什么？", "zh", limit=3)


def test_a_paraphrase_that_claims_nothing_new_is_kept(passages) -> None:
    verdict = judge(PARAPHRASE, passages, QUESTION)
    assert verdict.grounded and verdict.unsupported == ()


def test_a_number_the_passages_do_not_give_is_an_unsupported_claim(passages) -> None:
    verdict = judge(PARAPHRASE + " A reading of 130/80 or more is high.", passages, QUESTION)
    assert not verdict.grounded
    assert verdict.unsupported == ("130", "80")


def test_a_medicine_the_passages_do_not_name_is_an_unsupported_claim(passages) -> None:
    verdict = judge(PARAPHRASE + " Your doctor may give you amlodipine or statins.",
                    passages, QUESTION)
    assert not verdict.grounded
    assert set(verdict.unsupported) == {"amlodipine", "statin"}


def test_a_term_the_question_names_may_be_said_back(passages) -> None:
    question = "Does lisinopril treat high blood pressure?"
    answer = PARAPHRASE + " Ask your doctor whether lisinopril is right for you."
    assert judge(answer, passages, question).grounded
    assert not judge(answer, passages, QUESTION).grounded


def test_junk_is_still_caught(passages) -> None:
    assert judge("High blood pressure.", passages, QUESTION).reason == "too short"
    loop = "blood pressure push " * 10
    assert judge(loop, passages, QUESTION).reason == "repeats itself"
    off_topic = ("You've got a good understanding of how to write for this patient. "
                 "I'll just add a bit more to the patient's message here.")
    assert judge(off_topic, passages, QUESTION).reason == "not about the passages"
    assert judge("anything at all", (), "q").grounded  # nothing to keep to


def test_an_answer_that_ends_in_a_loop_of_characters_is_caught(passages_zh) -> None:
    # Seen from the built-in model: a fair start, then one character over and over.
    # Counted in pairs of characters it looked varied enough, and it was kept.
    text = passages_zh[0].text
    good = text[:120]
    looping = good + "症、症症、" + "症症症、" * 12
    assert judge(looping, passages_zh, "高血压是什么？", "zh").reason == "repeats itself"
    assert not ends_in_a_loop(good, GROUNDING["zh"])
    assert ends_in_a_loop(PARAPHRASE + " I am fine." * 6, GROUNDING["en"])
    assert not ends_in_a_loop(PARAPHRASE, GROUNDING["en"])


@pytest.mark.parametrize("language", ["en", "zh"])
def test_no_ending_of_the_librarys_own_text_looks_like_a_loop(language) -> None:
    index = LibraryIndex.load()
    rule = GROUNDING[language]
    endings = 0
    for article in index.articles(language):
        if article.language != language:
            continue
        for section in article.sections:
            text = "".join(section.text.split())
            for end in range(rule.tail_chars, len(text) + 1, 5):
                assert not ends_in_a_loop(text[:end], rule), (article.id, text[:end][-48:])
                endings += 1
    assert endings > 1000


def test_numbering_a_list_is_not_a_claim() -> None:
    assert numbers_in("1. Eat less salt.\n2) Walk each day.\nStep 3: sleep 8 hours") == {"8"}
    assert numbers_in("Take 2.5 or 2,5") == {"2.5"}


def test_numbers_the_passages_spell_out_count_as_given() -> None:
    assert {"2", "12"} <= known_numbers("A reading has two numbers. Twelve of them.")
    assert {"3", "2"} <= known_numbers("三个月，两次")
    assert "4" not in known_numbers("forty people")


def test_terms_are_whole_words_in_english_and_plurals_count_as_one() -> None:
    assert terms_in("Statins and a statin; aspirin.", "en") == {"statin", "aspirin"}
    assert terms_in("Strokes happen.", "en") == {"stroke"}
    assert terms_in("Pressure from a stroller.", "en") == set()  # no "stroke" inside words
    assert terms_in("他在吃二甲双胍，有糖尿病。", "zh") == {"二甲双胍", "糖尿病"}


def test_chinese_answers_are_judged_on_their_claims(passages_zh) -> None:
    question = "高血压是什么？"
    kept = ("血压是血液对血管壁的压力。高血压就是血压长期偏高。时间久了，心脏、大脑、"
            "肾脏和眼睛都会受累。您的读数正不正常，请让医生或护士给您解释。")
    assert judge(kept, passages_zh, question, "zh").grounded
    number = kept + "血压超过140就是高血压。"
    assert judge(number, passages_zh, question, "zh").unsupported == ("140",)
    medicine = kept + "可以吃氨氯地平。"
    assert judge(medicine, passages_zh, question, "zh").unsupported == ("氨氯地平",)


def test_numbers_are_checked_against_passages_in_another_language(passages) -> None:
    # A Chinese question answered from an English article: names cannot be
    # compared, numbers can.
    answer = "高血压就是血压长期偏高。时间久了，心脏、血管、大脑都会受累。请让医生给您解释。"
    assert judge(answer, passages, "高血压是什么？", "zh").grounded
    assert not judge(answer + "超过140就是高血压。", passages, "高血压是什么？", "zh").grounded


def test_an_answer_the_model_would_have_written_without_the_passages_is_replaced(
        passages) -> None:
    floor = GROUNDING["en"].min_gain
    assert judge(PARAPHRASE, passages, QUESTION, gain=floor + 0.5).grounded
    low = judge(PARAPHRASE, passages, QUESTION, gain=floor - 0.5)
    assert not low.grounded and low.reason == "not from the passages"


def test_a_high_gain_excuses_neither_a_claim_nor_an_answer_about_something_else(
        passages) -> None:
    verdict = judge(PARAPHRASE + " Take amlodipine.", passages, QUESTION, gain=3.0)
    assert not verdict.grounded and verdict.unsupported == ("amlodipine",)
    assert judge("High blood pressure.", passages, QUESTION, gain=3.0).reason == "too short"
    off_topic = ("You've got a good understanding of how to write for this patient. "
                 "I'll just add a bit more to the patient's message here.")
    assert judge(off_topic, passages, QUESTION, gain=3.0).reason == "not about the passages"
