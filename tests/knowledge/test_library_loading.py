"""The real library, a clinic's own folder, and when the index must be rebuilt."""

from __future__ import annotations

import pytest

from chatapp.knowledge import (
    BUILTIN,
    CLINIC,
    LibraryIndex,
    load_library,
)
from chatapp.knowledge.readability import reading_problems, section_size_problems

_EN = """
high-blood-pressure type-2-diabetes cholesterol heart-attack-and-stroke-signs kidney-health
weight healthy-eating physical-activity thyroid heart-failure asthma-and-inhalers copd
cold-and-flu covid-19 antibiotics hand-washing vaccines urinary-infections sun-safety
dehydration quitting-smoking sleep depression anxiety alcohol back-pain osteoarthritis
migraine stress caring-for-someone-with-dementia preventing-falls taking-medicines-safely
pain-relievers fever-in-children allergies-and-anaphylaxis pregnancy-basics cancer-screening
colonoscopy-preparation heartburn constipation eczema oral-health
"""
EN_IDS = ZH_IDS = _EN.split()  # every topic in both languages (issue 20)

REAL = load_library()


def test_the_built_in_library_has_no_problems() -> None:
    assert [str(p) for p in REAL.problems] == []


def test_the_built_in_library_has_every_planned_topic() -> None:
    assert sorted(a.id for a in REAL.in_language("en")) == sorted(EN_IDS)
    assert sorted(a.id for a in REAL.in_language("zh")) == sorted(ZH_IDS)
    assert all(a.origin == BUILTIN for a in REAL.articles)


def test_every_chinese_article_translates_an_english_one() -> None:
    english = {a.id for a in REAL.in_language("en")}
    assert {a.id for a in REAL.in_language("zh")} <= english


@pytest.mark.parametrize("article", REAL.articles, ids=lambda a: f"{a.language}/{a.id}")
def test_every_article_is_easy_to_read(article) -> None:
    # English: Flesch-Kincaid grade <= 6.0; Chinese: <= 20 Han characters a sentence.
    assert reading_problems(article) == []


@pytest.mark.parametrize("article", REAL.articles, ids=lambda a: f"{a.language}/{a.id}")
def test_every_section_is_a_passage_of_useful_size(article) -> None:
    assert section_size_problems(article) == []


def test_a_clinic_article_is_loaded_indexed_and_found(write_article, tmp_path) -> None:
    clinic = tmp_path / "data" / "library"
    write_article(root=clinic)
    index = LibraryIndex.load(extra_dirs=[clinic])
    assert index.problems == ()
    article = index.article("heel-pain", "en")
    assert article is not None and article.origin == CLINIC
    found = index.search("my heel hurts when i walk", "en", limit=3)
    assert found[0].article_id == "heel-pain"
    assert found[0].origin == CLINIC
    assert found[0].sources[0].url == "https://www.nhs.uk/conditions/heel-pain/"


def test_a_bad_clinic_file_is_reported_and_skipped_not_fatal(write_article, tmp_path) -> None:
    clinic = tmp_path / "data" / "library"
    good = write_article(root=clinic)
    bad = write_article(root=clinic, name="bad-one", id="bad-one",
                        body="## Only one section\n\nText.")
    library = load_library(extra_dirs=[clinic])
    assert [p.path for p in library.problems] == [bad]
    path, message = library.problems[0]
    assert "sections" in message and path == bad
    assert library.get("heel-pain", "en").path == good
    assert library.get("bad-one", "en") is None
    assert len(library.articles) == len(REAL.articles) + 1


def test_a_clinic_cannot_replace_a_built_in_article(write_article, tmp_path) -> None:
    clinic = tmp_path / "clinic"
    path = write_article(root=clinic, name="asthma-and-inhalers", id="asthma-and-inhalers",
                         title="Our asthma page")
    library = load_library(extra_dirs=[clinic])
    assert [p.path for p in library.problems] == [path]
    assert "built-in" in library.problems[0].message
    assert library.get("asthma-and-inhalers", "en").origin == BUILTIN


def test_a_clinic_may_translate_a_built_in_topic(write_article, tmp_path) -> None:
    # Every real built-in topic has a Chinese article: a built-in folder of one
    # English article stands in for a topic that has none.
    builtin, clinic = tmp_path / "builtin", tmp_path / "clinic"
    write_article(root=builtin)
    write_article(root=clinic, folder="zh", language="zh", title="脚跟痛")
    index = LibraryIndex.load(builtin, extra_dirs=[clinic])
    assert index.problems == ()
    article = index.article("heel-pain", "zh")
    assert (article.language, article.origin, article.title) == ("zh", CLINIC, "脚跟痛")
    first = index.search("脚跟痛", "zh", 1)[0]
    assert (first.article_id, first.language) == ("heel-pain", "zh")


def test_the_first_clinic_folder_wins_a_shared_id(write_article, tmp_path) -> None:
    first = write_article(root=tmp_path / "one", title="First")
    second = write_article(root=tmp_path / "two", title="Second")
    library = load_library(extra_dirs=[tmp_path / "one", tmp_path / "two"])
    assert library.get("heel-pain", "en").path == first
    assert [p.path for p in library.problems] == [second]


def test_a_missing_clinic_folder_is_no_problem(tmp_path) -> None:
    library = load_library(extra_dirs=[tmp_path / "nothing-here"])
    assert library.problems == () and len(library.articles) == len(REAL.articles)


def test_a_folder_that_is_not_a_language_is_reported(write_article, tmp_path) -> None:
    path = write_article(root=tmp_path / "clinic", folder="fr")
    library = load_library(extra_dirs=[tmp_path / "clinic"])
    assert [p.path for p in library.problems] == [path]
    assert "not a library language" in library.problems[0].message


def test_a_missing_built_in_folder_is_a_problem_not_a_crash(tmp_path) -> None:
    library = load_library(builtin_dir=tmp_path / "gone")
    assert library.articles == ()
    assert "missing" in library.problems[0].message


def test_other_files_are_ignored(tmp_path, write_article) -> None:
    root = tmp_path / "lib"
    write_article(root=root)
    (root / "README.md").write_text("# not an article", encoding="utf-8")
    (root / "en" / "notes.txt").write_text("notes", encoding="utf-8")
    (root / "en" / ".hidden.md").write_text("x", encoding="utf-8")
    library = load_library(builtin_dir=root)
    assert library.problems == () and [a.id for a in library.articles] == ["heel-pain"]


def test_an_index_keeps_working_with_the_files_gone(tmp_path, write_article) -> None:
    clinic = tmp_path / "clinic"
    path = write_article(root=clinic)
    index = LibraryIndex.load(extra_dirs=[clinic])
    path.unlink()
    assert index.search("sore heel", "en", 1)[0].article_id == "heel-pain"

