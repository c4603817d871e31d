"""The word handling under the search: Chinese pairs, typos, stems, readability."""

from __future__ import annotations

import sqlite3
from collections import Counter

import pytest

from chatapp.knowledge import parse_article
from chatapp.knowledge.readability import reading_problems, section_size_problems
from chatapp.knowledge.text import (
    Vocabulary,
    content_words,
    edit_distance,
    han_pieces,
    han_runs,
    index_text,
    normalize,
    phrase_words,
    stem,
)


def fts_finds(text: str, query: str) -> bool:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
    db.execute("INSERT INTO t VALUES (?)", (text,))
    return db.execute("SELECT 1 FROM t WHERE t MATCH ?", (f'"{query}"',)).fetchone() is not None


def test_unicode61_alone_cannot_search_chinese_but_pairs_can() -> None:
    text, query = "我的血压一直很高。", "血压"
    assert not fts_finds(text, query)  # the whole run is one token
    assert fts_finds(index_text(text), index_text(query))


@pytest.mark.parametrize(
    ("run", "pieces"),
    [("血压高", ["血压", "压高"]), ("痛", ["痛"]), ("", []), ("高血压", ["高血", "血压"])],
)
def test_han_pieces(run, pieces) -> None:
    assert han_pieces(run) == pieces


def test_index_text_keeps_words_and_splits_chinese() -> None:
    assert index_text("COVID阳了, Don't panic!") == "covid 阳了 dont panic"


def test_question_fillers_are_dropped_from_chinese() -> None:
    assert han_runs("血压高怎么办？", drop_fillers=True) == ["血压高"]
    assert han_runs("血压高怎么办？") == ["血压高怎么办"]


def test_normalize_folds_case_width_and_apostrophes() -> None:
    assert normalize("Don’t ＳＴＯＰ") == "dont stop"


def test_content_words_drop_stop_words() -> None:
    assert content_words("What should I do about my back pain?") == ["back", "pain"]


def test_phrase_words_keep_meaningful_small_words_and_unify_negations() -> None:
    assert phrase_words("feeling down") == ["feeling", "down"]
    assert phrase_words("I can't poo") == ["not", "poo"]
    assert phrase_words("heart doesn't pump") == ["heart", "not", "pump"]


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [("allergies", "allergy"), ("inhalers", "inhaler"), ("glasses", "glass"),
     ("virus", "virus"), ("flu", "flu"), ("patches", "patch")],
)
def test_stem(word, stemmed) -> None:
    assert stem(word) == stemmed


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("diabetes", "diabetes", 0), ("diabetis", "diabetes", 1), ("daibetes", "diabetes", 1),
     ("colestrol", "cholesterol", 2), ("flu", "flue", 1), ("", "abc", 3)],
)
def test_edit_distance(a, b, distance) -> None:
    assert edit_distance(a, b, limit=3) == distance


def test_edit_distance_stops_at_the_limit() -> None:
    assert edit_distance("abcdefgh", "zyxwvuts", limit=2) == 3


VOCABULARY = Vocabulary(Counter({"diabetes": 5, "cholesterol": 3, "pressure": 9, "attack": 2,
                                 "exercise": 4, "rain": 1}))


@pytest.mark.parametrize(
    ("word", "fixed"),
    [("diabetis", "diabetes"), ("colestrol", "cholesterol"), ("presure", "pressure"),
     ("atack", "attack"), ("excercise", "exercise"),
     ("diabetes", None),  # known
     ("diabetes's", None), ("pain", None),  # too short to guess ("rain"?)
     ("zzzzzzz", None)],
)
def test_vocabulary_corrects_only_close_misspellings(word, fixed) -> None:
    assert VOCABULARY.correct(word) == fixed


# --- reading level -------------------------------------------------------------

EASY = "We can help. Drink lots of water. Rest well. Ask your nurse."
HARD = ("Pharmacological interventions notwithstanding, comprehensive multidisciplinary "
        "rehabilitation substantially ameliorates cardiovascular prognosis in "
        "individuals experiencing exacerbations.")


def article_with(write_article, make_text, text: str, language: str = "en"):
    body = "\n\n".join(f"## Part {n}\n\n{text}" for n in "ABC")
    path = write_article(make_text(language=language, body=body), folder=language)
    article, problems = parse_article(path)
    assert problems == []
    return article


def test_an_easy_english_article_passes_and_a_hard_one_does_not(write_article,
                                                                 make_text) -> None:
    assert reading_problems(article_with(write_article, make_text, EASY)) == []
    found = reading_problems(article_with(write_article, make_text, HARD))
    assert found and "Flesch-Kincaid grade" in found[0]


def test_long_chinese_sentences_are_flagged(write_article, make_text) -> None:
    short = "多喝水。早点睡觉。有问题就问医生。"
    long = ("如果您在服用任何药物的同时还出现了持续不断的头痛头晕恶心呕吐"
            "等各种各样的不舒服症状就应该尽快去医院。")
    assert reading_problems(article_with(write_article, make_text, short, "zh")) == []
    found = reading_problems(article_with(write_article, make_text, long, "zh"))
    assert found and "Han characters" in found[0]


def test_list_items_count_as_sentences_and_headings_are_not_graded(write_article,
                                                                    make_text) -> None:
    items = "\n".join(f"- {w}" for w in ("Rest in bed", "Drink some water", "Eat good food",
                                           "Sleep at night") * 6)
    assert reading_problems(article_with(write_article, make_text, items)) == []


def test_section_sizes(write_article, make_text) -> None:
    assert section_size_problems(article_with(write_article, make_text, EASY * 5)) == []
    found = section_size_problems(article_with(write_article, make_text, EASY))
    assert len(found) == 3 and "words (40 to 150)" in found[0]
