"""The library search reads a question as triage does: invisible characters and
look-alike letters do not change what it finds."""

from __future__ import annotations

import pytest

from chatapp.knowledge import LibraryIndex


@pytest.fixture(scope="module")
def index() -> LibraryIndex:
    return LibraryIndex.load()


@pytest.mark.parametrize(("plain", "disguised", "language"), [
    ("What is high blood pressure?", "What is hi\u200bgh blo\u00adod pressure?", "en"),
    ("How do I use an asthma inhaler?", "How do I use an \u0430sthm\u0430 inh\u0430ler?", "en"),
    ("高血压是什么", "高\u200b血压是什\u2060么", "zh"),
])
def test_a_disguised_question_finds_what_the_plain_one_finds(index, plain, disguised,
                                                             language) -> None:
    found = [p.article_id for p in index.search(plain, language, limit=3)]
    assert found
    assert [p.article_id for p in index.search(disguised, language, limit=3)] == found
