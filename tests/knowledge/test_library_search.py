"""Search, browse and cite: labelled questions, Chinese, fallback, odd input."""

from __future__ import annotations

import threading
import tomllib
from pathlib import Path

import pytest

from chatapp.knowledge import LibraryIndex

QUESTIONS = tomllib.loads(
    (Path(__file__).resolve().parents[2] / "benchmarks" / "retrieval_questions.toml")
    .read_text(encoding="utf-8")
)["question"]
TUNING = [q for q in QUESTIONS if not q.get("held_out")]


@pytest.fixture(scope="module")
def index() -> LibraryIndex:
    return LibraryIndex.load()


def found_at(index: LibraryIndex, question: dict, k: int = 3) -> bool:
    wanted = {question["article"], *question.get("also", ())}
    passages = index.search(question["text"], question["language"], limit=k)
    return any(p.article_id in wanted for p in passages)


def test_the_labelled_set_is_big_and_covers_the_library(index) -> None:
    assert len(QUESTIONS) >= 90
    assert sum(q["language"] == "zh" for q in QUESTIONS) >= 15
    assert 25 <= sum(bool(q.get("held_out")) for q in QUESTIONS) <= 40
    english = {a.id for a in index.library.in_language("en")}
    assert {q["article"] for q in QUESTIONS} <= english
    assert len({q["article"] for q in QUESTIONS}) >= 0.9 * len(english)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_recall_at_3_on_the_tuning_questions(index, language) -> None:
    questions = [q for q in TUNING if q["language"] == language]
    missed = [q["text"] for q in questions if not found_at(index, q)]
    assert len(missed) <= 0.1 * len(questions), missed


@pytest.mark.parametrize(
    ("question", "article"),
    [
        # "cant poo" (a constipation synonym) matches: negations are all "not".
        ("i havent been able to poo for days", "constipation"),
        # "kidneys" is in the kidney article's keywords, not only in its text.
        ("how do i look after my kidneys", "kidney-health"),
    ],
)
def test_the_boost_finds_what_plain_bm25_ranks_lower(index, question, article) -> None:
    assert index.search(question, "en", 1)[0].article_id == article
    assert index.search(question, "en", 1, boost=False)[0].article_id != article


@pytest.mark.parametrize(
    "question",
    ["ASTHMA INHALERS!!!", "asthma inhaler", "asthma-inhaler?", "Asthma, inhalers.",
     "ashtma inhailer", "asthmaa inhalr"],
)
def test_case_punctuation_plurals_and_typos_do_not_matter(index, question) -> None:
    assert index.search(question, "en", 1)[0].article_id == "asthma-and-inhalers"


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("colestrol", "cholesterol"),
        ("excersize every week", "physical-activity"),
        ("thyrod", "thyroid"),
        ("dimentia", "caring-for-someone-with-dementia"),
        ("alchohol", "alcohol"),
    ],
)
def test_misspelt_words_are_corrected(index, question, article) -> None:
    assert index.search(question, "en", 1)[0].article_id == article
    assert not any(p.article_id == article
                   for p in index.search(question, "en", 3, fix_typos=False, boost=False))


@pytest.mark.parametrize(
    "question",
    ['"', "'", "AND", "OR OR", "NOT", "NEAR(a b)", "*", "a*", "title:foo", "-x", "^x",
     "((((", "'; DROP TABLE passages; --", "😀", "\x00", "\\", "   ", "", "?!.,",
     '"heart" AND "attack" NEAR/2', "{title}: x", "x" * 5000, "血压" * 3000],
    ids=repr,
)
@pytest.mark.parametrize("language", ["en", "zh", "fr"])
def test_odd_input_never_raises(index, question, language) -> None:
    result = index.search(question, language, limit=3)
    assert isinstance(result, tuple) and len(result) <= 3
    assert index.articles(language, question) is not None


@pytest.mark.parametrize("question", ["", "   ", "?!", "😀", '"', "the and of"])
def test_input_with_no_words_finds_nothing(index, question) -> None:
    assert index.search(question, "en", 5) == ()


def test_operators_are_plain_words(index) -> None:
    # Not a syntax error, and not an operator: "NEAR" and "OR" are searched as words.
    found = index.search("heart attack OR stroke NEAR signs", "en", 3)
    assert found[0].article_id == "heart-attack-and-stroke-signs"


def test_results_are_ranked_limited_and_cite_their_sources(index) -> None:
    found = index.search("how do i stop smoking", "en", limit=6)
    assert 0 < len(found) <= 6
    assert [p.score for p in found] == sorted((p.score for p in found), reverse=True)
    for passage in found:
        article = index.article(passage.article_id, passage.language)
        assert passage.sources == article.sources and passage.sources
        assert passage.title == article.title
        assert any(s.heading == passage.heading and s.text == passage.text
                   for s in article.sections)
    ids = [p.article_id for p in found]
    assert max(ids.count(i) for i in ids) <= 2  # at most two sections of one article
    assert index.search("how do i stop smoking", "en", limit=0) == ()
    assert found[0].to_dict()["sources"][0]["url"].startswith("https://")


def test_chinese_is_searched_by_character_pairs(index) -> None:
    # "血压" sits inside longer runs of Chinese both in the question and in the
    # article; unicode61 alone would see one token per run and find nothing.
    found = index.search("我妈妈的血压一直降不下来", "zh", 3)
    assert found[0].article_id == "high-blood-pressure"
    assert found[0].language == "zh"
    assert "血压" in found[0].heading + found[0].text


@pytest.mark.parametrize(
    ("question", "article"),
    [("腰疼得厉害", "back-pain"), ("孩子发烧了", "fever-in-children"),
     ("怎么戒烟", "quitting-smoking"), ("晚上睡不着觉", "sleep")],
)
def test_chinese_questions_find_chinese_articles(index, question, article) -> None:
    first = index.search(question, "zh", 1)[0]
    assert (first.article_id, first.language) == (article, "zh")


@pytest.mark.parametrize(("question", "article"), [
    ("怎样才能睡得更好？", "sleep"),  # a lone 睡 between fillers; 更好 is no topic
    ("如何降低血压？", "high-blood-pressure"),
    ("怎样预防流感", "cold-and-flu"),
])
def test_how_to_questions_in_chinese_are_covered_and_found(index, question, article) -> None:
    # Found with the probe of issue 5: "怎样才能睡得更好" got "not covered".
    assert index.unknown_words(question) == ()
    assert index.covers(question, "zh")
    first = index.search(question, "zh", 1)[0]
    assert (first.article_id, first.language) == (article, "zh")


def test_a_chinese_question_without_a_chinese_article_gets_the_english_one(
        english_only) -> None:
    assert english_only.library.get("kidney-health", "zh") is None
    first = english_only.search("肾不好要注意什么", "zh", 1)[0]
    assert (first.article_id, first.language) == ("kidney-health", "en")


def test_every_built_in_topic_has_a_chinese_article(index) -> None:
    english = {a.id for a in index.library.in_language("en")}
    assert {a.id for a in index.library.in_language("zh")} == english
    first = index.search("肾不好要注意什么", "zh", 1)[0]
    assert (first.article_id, first.language) == ("kidney-health", "zh")


def test_an_english_search_returns_only_english(index) -> None:
    assert all(p.language == "en" for p in index.search("asthma 哮喘", "en", 10))


def test_article_falls_back_to_english_and_says_so(index, english_only) -> None:
    assert index.article("asthma-and-inhalers", "zh").language == "zh"
    assert english_only.article("kidney-health", "zh").language == "en"
    assert english_only.article("kidney-health", "en").language == "en"
    assert index.article("no-such-topic", "zh") is None
    assert index.sources("no-such-topic") == ()
    assert index.check_questions("no-such-topic", "zh") == ()


def test_sources_and_check_questions(index, english_only) -> None:
    sources = index.sources("type-2-diabetes", "zh")
    assert sources and all(s.url.startswith("https://") for s in sources)
    checks = english_only.check_questions("kidney-health", "zh")  # English, by fallback
    assert 2 <= len(checks) <= 3 and all(c.question and c.answer for c in checks)


def test_the_topics_browser_lists_every_topic_by_title(index, english_only) -> None:
    english = index.articles("en")
    assert len(english) == len(index.library.in_language("en"))
    assert [a.title.casefold() for a in english] == sorted(a.title.casefold() for a in english)
    chinese = english_only.articles("zh")
    assert {a.id for a in chinese} == {a.id for a in english}
    by_id = {a.id: a.language for a in chinese}
    assert by_id["asthma-and-inhalers"] == "zh" and by_id["kidney-health"] == "en"
    assert index.articles("en", "") == english and index.articles("en", "  ") == english


@pytest.mark.parametrize(
    ("language", "query", "article"),
    [
        ("en", "diab", "type-2-diabetes"),  # the start of a word, as typed
        ("en", "Sugar", "type-2-diabetes"),  # a synonym
        ("en", "blood presure", "high-blood-pressure"),  # a typo
        ("en", "inhalers", "asthma-and-inhalers"),  # a plural
        ("zh", "血压", "high-blood-pressure"),
        ("zh", "肾", "kidney-health"),
    ],
)
def test_the_topics_browser_filters(index, language, query, article) -> None:
    found = [a.id for a in index.articles(language, query)]
    assert article in found
    assert len(found) < len(index.articles(language)) / 2


def test_a_filter_that_matches_nothing_lists_nothing(index) -> None:
    assert index.articles("en", "zzzqqq") == ()


def test_one_index_serves_several_threads(index) -> None:
    results = []

    def search() -> None:
        for _ in range(20):
            results.append(index.search("high blood pressure", "en", 1)[0].article_id)

    threads = [threading.Thread(target=search) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["high-blood-pressure"] * 80


def test_passages_lists_every_section_of_a_language(index, english_only) -> None:
    english = index.passages("en")
    assert len(english) == sum(len(a.sections) for a in index.library.in_language("en"))
    assert {p.language for p in index.passages("zh")} == {"zh"}
    chinese = english_only.passages("zh")  # a topic in English only: its English sections
    assert {p.language for p in chinese} == {"en", "zh"}
    assert {p.article_id for p in chinese} == {a.id for a in english_only.articles("zh")}


# --- coverage: does the library have an article on the question at all?

UNCOVERED = tomllib.loads(
    (Path(__file__).resolve().parents[2] / "benchmarks" / "retrieval_questions.toml")
    .read_text(encoding="utf-8")
)["uncovered"]


def test_the_labelled_questions_are_covered(index) -> None:
    missed = [q["text"] for q in QUESTIONS if not index.covers(q["text"], q["language"])]
    assert len(missed) <= 0.02 * len(QUESTIONS), missed


def test_most_questions_on_topics_without_an_article_are_not_covered(index) -> None:
    kept = [q["text"] for q in UNCOVERED if index.covers(q["text"], q["language"])]
    assert len(UNCOVERED) >= 40
    # 7 of 42 until the Chinese library matched the English one (issue 20); now the
    # Chinese vaccines and falls articles name shingles and Parkinson's disease, as
    # the English ones do, and both languages take those questions for covered:
    # 9 of 42. A passing mention counting as coverage is a known weakness.
    assert len(kept) <= 0.22 * len(UNCOVERED), kept


@pytest.mark.parametrize("question, language, unknown", [
    ("What is lupus?", "en", ()),  # no passage at all
    ("how do you get rid of head lice", "en", ("lice",)),  # "rid", "head" match
    ("how is glaucoma treated", "en", ("glaucoma",)),
    ("青光眼怎么治疗", "zh", ("青光眼",)),
])
def test_a_topic_word_the_library_never_uses_means_not_covered(index, question, language,
                                                                unknown) -> None:
    assert not index.covers(question, language)
    if unknown:
        assert index.search(question, language)  # common words still find passages
        assert index.unknown_words(question) == unknown


@pytest.mark.parametrize("question, language", [
    ("What are the signs of a stroke?", "en"),
    ("my sugar is high what should i eat", "en"),
    ("wat is diabetis", "en"),  # misspelt words are not unknown: they are corrected
    ("tell me about my meds", "en"),  # a short form matches as a word start
    ("cloudy smelly wee and pain low in my tummy", "en"),  # a short chat word is ignored
    ("我的血压高怎么办", "zh"),
])
def test_questions_on_library_topics_are_covered(index, question, language) -> None:
    assert index.covers(question, language)


@pytest.mark.parametrize("question", ["", "   ", "?!", "😀", "x" * 5000, None])
def test_covers_never_raises(index, question) -> None:
    assert index.covers(question, "en") in (True, False)


# --- tap to ask: every article's common questions ---------------------------------


def test_every_built_in_article_has_questions_that_find_it(index) -> None:
    from chatapp.turn import answer_by_rules

    missing, astray, ruled = [], [], []
    for article in index.library.articles:
        if not 3 <= len(article.questions) <= 5:
            missing.append(f"{article.language}/{article.id}")
        for question in article.questions:
            found = {p.article_id for p in index.search(question, article.language, 3)}
            if article.id not in found or not index.covers(question, article.language):
                astray.append((article.id, question))
            if answer_by_rules(question, article.language, "") is not None:
                ruled.append((article.id, question))  # a tap must reach the answer
    assert missing == []
    assert astray == []
    assert ruled == []


def test_asked_questions_fall_back_to_english(english_only) -> None:
    asked = english_only.asked_questions("kidney-health", "zh")
    assert asked == english_only.library.get("kidney-health", "en").questions
    assert english_only.asked_questions("no-such-topic", "zh") == ()
