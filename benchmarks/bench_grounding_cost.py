"""What the grounding check's second scoring costs after an answer, per model.

    CARECHAT_CACHE_DIR=... .venv/bin/python benchmarks/bench_grounding_cost.py \
        default PATH/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf ...

For each model (anything ``model.load`` takes), three questions (two English,
one Chinese) are answered with their library passages, greedy, up to 200
tokens; then the answer is scored again without the passages, as
``chatapp.turn.support.passage_gain`` does. Prints one JSON object: per model
each run's answer tokens, answer time and scoring time, and the medians and
their ratio (the scoring measured against the answer it follows, in the same
run).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import model  # noqa: E402
from chatapp.knowledge import LibraryIndex  # noqa: E402
from chatapp.turn import Assistant  # noqa: E402
from chatapp.turn.support import without_passages  # noqa: E402
from chatapp.vocabulary import Level  # noqa: E402

QUESTIONS = [("What can I do to lower my blood pressure?", "en"),
             ("How do I know if a cut is infected?", "en"),
             ("孩子发烧了怎么办？", "zh")]


def measure(spec: str, library: LibraryIndex) -> tuple[str, dict]:
    engine = model.load(spec, device="cpu")
    prompts = Assistant(engine, library=library).prompts
    runs = []
    for question, language in QUESTIONS:
        passages = library.search(question, language, limit=3)
        messages = prompts.for_question(question, passages=passages, level=Level.BASIC,
                                        language=language).messages
        stream = engine.stream(messages, max_new_tokens=200)
        list(stream)
        started = time.perf_counter()
        engine.answer_logprobs(without_passages(messages, question), stream.stats.token_ids)
        runs.append({"answer_tokens": stream.stats.tokens, "answer_ms": stream.stats.total_ms,
                     "score_ms": round((time.perf_counter() - started) * 1000, 1)})
    answer = statistics.median(r["answer_ms"] for r in runs)
    score = statistics.median(r["score_ms"] for r in runs)
    return engine.info.name, {"runs": runs, "answer_ms_median": answer,
                              "score_ms_median": score,
                              "score_to_answer": round(score / answer, 3)}


def main() -> None:
    specs = sys.argv[1:] or ["default"]
    library = LibraryIndex.load()
    print(json.dumps({"benchmark": "grounding cost",
                      "models": dict(measure(spec, library) for spec in specs)}, indent=1))


if __name__ == "__main__":
    main()
