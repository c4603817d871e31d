"""Search the library: SQLite FTS5 (BM25) over sections, plus a topic-word boost.

The index lives in memory and is built at start (a kiosk writes nothing to disk;
the whole library takes well under a second). It is read-only once built, so one
index may serve the window and the worker thread alike: a lock serialises the
queries on its single connection.

Ranking: BM25 over each section's title, heading, text and the article's topic
words, then a boost for articles whose title, keywords or synonyms are all in
the question ("sugar" -> type 2 diabetes), because patients name a topic in
a word or two and the body text may use the medical word instead.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..resources import resource_path
from .library import Library, load_library
from .model import Article, CheckQuestion, Passage, Problem, Section, Source
from .text import (
    STOPWORDS,
    Vocabulary,
    content_words,
    edit_distance,
    han_pieces,
    han_runs,
    index_text,
    normalize,
    phrase_words,
    stem,
    words,
)

FALLBACK = "en"
TOKENIZE = "tokenize='porter unicode61 remove_diacritics 2'"
ZH_NAMES = resource_path("library", "zh_names.toml")
# BM25 weight of each column: title, heading, text, topic words.
COLUMN_WEIGHTS = (2.0, 2.0, 1.0, 2.0)
BOOST_WEIGHT = 1.0  # a full topic-word match counts as much as the best BM25 score
PER_ARTICLE = 2  # at most this many sections of one article in a result
PREFIX_MIN = 4  # an unknown word this long is also tried as the start of a word
# A word of the question that the library never uses counts as a topic it does not
# cover from this length (shorter ones are mostly chat: "wee", "ok", "pls").
UNKNOWN_MIN = 4
MAX_QUESTION = 2000  # characters read from a question; the rest adds nothing


def load_zh_names(path: Path = ZH_NAMES) -> dict[str, tuple[str, ...]]:
    with path.open("rb") as fh:
        return {k: tuple(v) for k, v in tomllib.load(fh).items()}


@dataclass(frozen=True)
class _Row:
    article: Article
    section: Section


@dataclass(frozen=True)
class _Phrase:
    stems: frozenset[str]
    han: tuple[str, ...]
    weight: float


def _phrase(text: str, stems: list[str]) -> _Phrase | None:
    han = tuple(han_runs(text))
    if not stems and not han:
        return None
    return _Phrase(frozenset(stems), han, len(set(stems)) + sum(len(r) for r in han) / 2)


class LibraryIndex:
    """Search, browse and cite the articles of one loaded :class:`Library`."""

    def __init__(self, library: Library, names: Mapping[str, Iterable[str]] | None = None):
        started = time.perf_counter()
        self.library = library
        # Extra (Chinese) names for English articles, used where no translation exists.
        self._names = {k: tuple(v) for k, v in (load_zh_names() if names is None
                                                 else names).items()}
        self._lock = threading.Lock()
        self._rows: list[_Row] = []
        self._phrases: dict[tuple[str, str], tuple[_Phrase, ...]] = {}
        # Autocommit: no transaction is left open between calls; the build is one.
        self._db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        self._db.execute("BEGIN")
        self._db.execute(
            f"CREATE VIRTUAL TABLE passages USING fts5(title, heading, body, terms, {TOKENIZE})"
        )
        # A scratch table whose vocabulary shows how the index stems words, so that
        # topic words and questions are compared exactly as BM25 compares them.
        self._db.execute(f"CREATE VIRTUAL TABLE scratch USING fts5(text, {TOKENIZE})")
        self._db.execute("CREATE VIRTUAL TABLE scratch_terms USING fts5vocab(scratch, instance)")
        vocabulary_texts = []
        phrase_texts: dict[tuple[str, str], tuple[str, ...]] = {}
        for article in library.articles:
            topic_words = self._topic_words(article)
            terms = index_text(" ; ".join(topic_words))
            for section in article.sections:
                self._rows.append(_Row(article, section))
                self._db.execute(
                    "INSERT INTO passages (rowid, title, heading, body, terms) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (len(self._rows), index_text(article.title), index_text(section.heading),
                     index_text(section.text), terms),
                )
            phrase_texts[(article.id, article.language)] = (article.title, *topic_words)
            vocabulary_texts += [article.title, *topic_words,
                                 *(s.heading for s in article.sections)]
        self._db.execute("COMMIT")
        all_texts = [t for texts in phrase_texts.values() for t in texts]
        stems = iter(self._stem_many([phrase_words(t) for t in all_texts]))
        self._phrases = {
            key: tuple(p for t in texts if (p := _phrase(t, next(stems))))
            for key, texts in phrase_texts.items()
        }
        self._vocabulary = Vocabulary.from_texts(vocabulary_texts)
        self.build_seconds = time.perf_counter() - started

    @classmethod
    def load(cls, builtin_dir: Path | None = None, extra_dirs: Iterable[Path] = ()) -> LibraryIndex:
        """Load the library (built-in plus a clinic's folders) and index it."""
        return cls(load_library(builtin_dir, extra_dirs))

    # --- the library as a whole

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.library.problems

    # --- browsing

    def _topic_words(self, article: Article) -> tuple[str, ...]:
        names = self._names.get(article.id, ()) if article.language == FALLBACK else ()
        return (*article.keywords, *article.synonyms, *names)

    def _topics(self, language: str) -> dict[str, Article]:
        """Every topic in ``language``, English where it has no article in it."""
        topics = {a.id: a for a in self.library.in_language(FALLBACK)} if language != FALLBACK \
            else {}
        topics.update({a.id: a for a in self.library.in_language(language)})
        return topics

    def article(self, article_id: str, language: str = "en") -> Article | None:
        """The article in ``language``, else in English, else None (see ``.language``)."""
        found = self.library.get(article_id, language)
        if found is None and language != FALLBACK:
            found = self.library.get(article_id, FALLBACK)
        return found

    def sources(self, article_id: str, language: str = "en") -> tuple[Source, ...]:
        found = self.article(article_id, language)
        return found.sources if found else ()

    def check_questions(self, article_id: str, language: str = "en") -> tuple[CheckQuestion, ...]:
        found = self.article(article_id, language)
        return found.check if found else ()

    def asked_questions(self, article_id: str, language: str = "en") -> tuple[str, ...]:
        """The article's common patient questions (its ``questions``), in ``language``
        where it has a version in it, else in English; () for an unknown article."""
        found = self.article(article_id, language)
        return found.questions if found else ()

    def articles(self, language: str = "en", query: str | None = None) -> tuple[Article, ...]:
        """Topics for a browser, by title; with ``query``, those whose title, summary or
        topic words contain every word of it (word starts, plurals and typos allowed)."""
        topics = sorted(self._topics(language).values(), key=lambda a: normalize(a.title))
        if not query or not query.strip():
            return tuple(topics)
        latin = content_words(query) or words(query)
        han = han_runs(query, drop_fillers=True) or han_runs(query)
        if not latin and not han:
            return tuple(topics)
        return tuple(a for a in topics if self._filter_match(a, latin, han))

    def _filter_match(self, article: Article, latin: list[str], han: list[str]) -> bool:
        fields = " ".join((article.title, article.summary, *self._topic_words(article)))
        own_words = set(words(fields))
        own_han = "".join(han_runs(fields))

        def has_word(query_word: str) -> bool:
            return any(
                w.startswith(query_word) or stem(w) == stem(query_word)
                or (len(query_word) >= Vocabulary.MIN_LENGTH
                    and edit_distance(query_word, w, 1) <= 1)
                for w in own_words
            )

        return all(has_word(w) for w in latin) and all(
            piece in own_han for run in han for piece in han_pieces(run)
        )

    def passages(self, language: str = "en") -> tuple[Passage, ...]:
        """Every section a search in ``language`` can return (score 0), in library order."""
        keys = {(a.id, a.language) for a in self._topics(language).values()}
        return tuple(self._passage(rowid, 0.0) for rowid in range(1, len(self._rows) + 1)
                     if self._key(rowid) in keys)

    # --- search

    def search(self, question: str, language: str = "en", limit: int = 5, *,
               boost: bool = True, fix_typos: bool = True) -> tuple[Passage, ...]:
        """The best sections for ``question``, best first; never raises on odd input.

        ``boost`` and ``fix_typos`` are on in the app; the evaluation turns them
        off to measure what each adds.
        """
        if not isinstance(question, str) or limit <= 0:
            return ()
        question = question[:MAX_QUESTION]
        topics = self._topics(language)
        allowed = {(a.id, a.language) for a in topics.values()}
        latin = list(dict.fromkeys(content_words(question)))
        prefixes = []
        if fix_typos:
            for word in list(latin):
                fixed = self._correct(word)
                if fixed:
                    latin.append(fixed)
                elif len(word) >= PREFIX_MIN and not self._matches_any(_quote(word)):
                    prefixes.append(_quote(word) + "*")  # a short form: "temp", "meds"
        pieces = [p for run in han_runs(question, drop_fillers=True) for p in han_pieces(run)]
        # The index holds Chinese as character pairs, so a lone character left
        # between fillers ("怎样才能睡得更好" → 睡) matches the pairs it starts.
        prefixes += [_quote(p) + "*" for p in pieces if len(p) == 1]
        pieces = [p for p in pieces if len(p) > 1]
        tokens = list(dict.fromkeys([_quote(t) for t in latin + pieces] + prefixes))

        scores = {}
        if tokens:
            scores = {rowid: s for rowid, s in self._bm25(tokens)
                      if self._key(rowid) in allowed}
        boosts = self._boosts(question, topics.values()) if boost else {}
        for key in boosts:
            if not any(self._key(r) == key for r in scores):
                first = next(i for i, row in enumerate(self._rows, start=1)
                             if (row.article.id, row.article.language) == key)
                scores[first] = 0.0
        if not scores:
            return ()
        top_bm25 = max(scores.values()) or 1.0
        top_boost = max(boosts.values(), default=0.0) or 1.0
        ranked = sorted(
            ((s / top_bm25 + BOOST_WEIGHT * boosts.get(self._key(r), 0.0) / top_boost, r)
             for r, s in scores.items()),
            key=lambda pair: (-pair[0], pair[1]),
        )
        result: list[Passage] = []
        per_article: dict[tuple[str, str], int] = {}
        for score, rowid in ranked:
            key = self._key(rowid)
            if per_article.get(key, 0) >= PER_ARTICLE:
                continue
            per_article[key] = per_article.get(key, 0) + 1
            result.append(self._passage(rowid, score))
            if len(result) >= limit:
                break
        return tuple(result)

    def covers(self, question: str, language: str = "en") -> bool:
        """Whether the library has an article on ``question``, not just words in common.

        Covered: the question names an article's topic (title, keyword or lay
        synonym); or the search finds passages and every word of the question
        that could name a topic is one the library uses. A question whose own
        topic word appears nowhere in the library ("lupus", "psoriasis", "耳鸣")
        matches only on its common words ("what causes ... patches", "treated"),
        and the small model then answers the wrong topic as if it were the right
        one (benchmarks/eval_grounding.py): better to say the library does not
        cover it. benchmarks/eval_retrieval.py measures this on its labelled
        questions (which should all be covered) and on ones about topics the
        library lacks.
        """
        if not isinstance(question, str):
            return False
        question = question[:MAX_QUESTION]
        if self._boosts(question, self._topics(language).values()):
            return True
        return bool(self.search(question, language, limit=1)) and not self.unknown_words(
            question)

    def unknown_words(self, question: str) -> tuple[str, ...]:
        """Words of ``question`` no section uses, even misspelt or shortened: English
        words of ``UNKNOWN_MIN`` letters or more, and Chinese runs of two characters
        or more none of whose character pairs is in the library."""
        found = []
        for word in dict.fromkeys(content_words(question[:MAX_QUESTION])):
            if (len(word) >= UNKNOWN_MIN and not self._matches_any(_quote(word))
                    and not self._correct(word)
                    and not self._matches_any(_quote(word) + "*")):
                found.append(word)
        for run in han_runs(question[:MAX_QUESTION], drop_fillers=True):
            if len(run) >= 2 and not any(self._matches_any(_quote(p)) for p in han_pieces(run)):
                found.append(run)
        return tuple(found)

    def _key(self, rowid: int) -> tuple[str, str]:
        article = self._rows[rowid - 1].article
        return article.id, article.language

    def _passage(self, rowid: int, score: float) -> Passage:
        row = self._rows[rowid - 1]
        return Passage(
            article_id=row.article.id, language=row.article.language, title=row.article.title,
            heading=row.section.heading, text=row.section.text, score=score,
            sources=row.article.sources, origin=row.article.origin,
            levels=row.section.levels,
        )

    def _stems(self, latin: list[str]) -> list[str]:
        """The index's own (Porter) stems of English words: "pumping" -> "pump"."""
        return self._stem_many([latin])[0]

    def _stem_many(self, texts: list[list[str]]) -> list[list[str]]:
        found: list[list[str]] = [[] for _ in texts]
        with self._lock:
            try:
                self._db.execute("BEGIN")
                self._db.executemany("INSERT INTO scratch (rowid, text) VALUES (?, ?)",
                                     ((i, " ".join(t)) for i, t in enumerate(texts, 1) if t))
                for doc, term in self._db.execute(
                    "SELECT doc, term FROM scratch_terms ORDER BY doc, offset"
                ):
                    found[doc - 1].append(term)
            finally:
                self._db.execute("ROLLBACK")  # the scratch table stays empty
        return found

    def _correct(self, word: str) -> str | None:
        """A library word for ``word`` when it is misspelt: it matches no section as it is."""
        if len(word) < Vocabulary.MIN_LENGTH or word in STOPWORDS or self._matches_any(
            _quote(word)
        ):
            return None
        return self._vocabulary.correct(word)

    def _matches_any(self, expression: str) -> bool:
        # Asks the index itself, so its stemmer decides ("peeing" is known as "pee").
        with self._lock:
            try:
                return self._db.execute(
                    "SELECT 1 FROM passages WHERE passages MATCH ? LIMIT 1", (expression,)
                ).fetchone() is not None
            except sqlite3.Error:
                return False

    def _bm25(self, tokens: list[str]) -> list[tuple[int, float]]:
        query = " OR ".join(tokens)
        weights = ", ".join(str(w) for w in COLUMN_WEIGHTS)
        with self._lock:
            try:
                rows = self._db.execute(
                    f"SELECT rowid, -bm25(passages, {weights}) FROM passages "
                    "WHERE passages MATCH ?", (query,),
                ).fetchall()
            except sqlite3.Error:
                return []  # odd input the tokenizer still rejects: no result, never a crash
        return rows

    def _boosts(self, question: str, topics: Iterable[Article]) -> dict[tuple[str, str], float]:
        stems = set(self._stems(phrase_words(question)))
        # Misspelt topic words count as their correction here too ("diabetis").
        stems |= set(self._stems([f for w in words(question) if (f := self._correct(w))]))
        text = normalize(question)
        boosts = {}
        for article in topics:
            key = (article.id, article.language)
            matched = sorted(
                (p.weight for p in self._phrases[key]
                 if p.stems <= stems and all(run in text for run in p.han)),
                reverse=True,
            )
            if matched:
                boosts[key] = matched[0] + 0.25 * sum(matched[1:3])
        return boosts


def _quote(token: str) -> str:
    """One FTS5 string: operators such as AND, NEAR or * inside it are plain words."""
    return '"' + token.replace('"', '""') + '"'
