"""Answer quality across models: the app's whole turn, scored on held-out questions.

    .venv/bin/python benchmarks/eval_answers.py --model default --model PATH.gguf ...
        [--questions benchmarks/answer_questions.toml] [--max-tokens 200]
        [--limit N] [--out FILE.json]

Each question (English and Chinese, on the library's topics; see the TOML file
for who wrote them and how) goes through `Assistant.answer` exactly as a
patient's would: safety rules, retrieval, the model with the passages, the
grounding check, reading level. Per model it reports:

  replaced    answers the grounding check replaced with the library's own text
              (the patient then reads a passage, not the model's answer)
  key facts   the mean share of each question's key facts the final answer has
              (a fact counts when any of its listed phrases appears), and the
              answers that have every one
  must not    answers matching a question's "must not" patterns
  numbers     model-written answers with a number that is in no passage given
              nor in the question
  grade       the median reading grade of the final answers
  tokens/s    the median decode speed of the model-written answers

Every answer is written out (with --out) beside the passages it was given and
what the model streamed before any replacement, for a person to read and to
label grounded or not (benchmarks/label_grounding.py scores the checks against
such labels). Greedy decoding: the same model gives the same answers again.
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import statistics
import sys
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from chatapp.config import load_settings  # noqa: E402
from chatapp.session import open_library  # noqa: E402
from chatapp.turn import Assistant, clip, warm_up  # noqa: E402
from chatapp.turn.grounding import judge, known_numbers, numbers_in  # noqa: E402
from chatapp.turn.prompts import PASSAGE_CHARS  # noqa: E402

DEFAULT_QUESTIONS = REPO / "benchmarks" / "answer_questions.toml"


def load_questions(path: Path) -> list[dict]:
    with path.open("rb") as fh:
        questions = tomllib.load(fh)["question"]
    for q in questions:
        for pattern in q.get("must_not", []):
            re.compile(pattern)  # a bad pattern fails here, not after an hour
    return questions


def facts_found(answer: str, question: dict) -> list[bool]:
    text = answer.lower()
    return [any(phrase.lower() in text for phrase in fact["any"])
            for fact in question["key_facts"]]


def must_not_hits(answer: str, question: dict) -> list[str]:
    return [p for p in question.get("must_not", []) if re.search(p, answer, re.IGNORECASE)]


def numbers_not_in(text: str, known_text: str) -> list[str]:
    """As the grounding check counts them: a list's numbering is not a number given,
    and a number the passages spell out is one they give."""
    return sorted(numbers_in(text) - known_numbers(known_text))


def ask(assistant: Assistant, question: dict, max_tokens: int) -> dict:
    streamed: list[str] = []
    language = question["language"]
    passages = assistant.retrieve(question["question"], language)
    shown = "\n\n".join(f"[{p.title}: {p.heading}]\n{clip(p.text, PASSAGE_CHARS[p.language])}"
                        for p in passages)
    started = time.perf_counter()
    result = assistant.answer(question["question"], on_token=streamed.append,
                              max_new_tokens=max_tokens)
    model_text = "".join(streamed)
    found = facts_found(result.answer, question)
    gain = result.edits.passage_gain
    verdict = judge(model_text, passages, question["question"], language, gain=gain)
    return {
        "id": question["id"],
        "language": language,
        "question": question["question"],
        "answer": result.answer,
        "model_text": model_text,
        "passages": shown,
        "stop_reason": str(result.stop_reason),
        "replaced": bool(result.edits.fallback),
        # The grounding check on what the model wrote (retrieved passages; the
        # turn's own verdict is "replaced").
        "check": {"grounded": verdict.grounded, "reason": verdict.reason,
                  "unsupported": list(verdict.unsupported)},
        "passage_gain": gain,
        "model_written": bool(result.generation.tokens) and not result.edits.fallback,
        "facts_found": found,
        "fact_share": round(sum(found) / len(found), 3),
        "must_not": must_not_hits(result.answer, question),
        "numbers_not_in_passages": numbers_not_in(model_text,
                                                  f"{question['question']}\n{shown}"),
        "grade": result.readability.get("grade"),
        "tokens": result.generation.tokens,
        "tokens_per_s": result.generation.tokens_per_s,
        "seconds": round(time.perf_counter() - started, 1),
    }


def summarise(rows: list[dict]) -> dict:
    def part(rows: list[dict]) -> dict:
        if not rows:
            return {}
        written = [r for r in rows if r["model_written"]]
        asked_model = [r for r in rows if r["tokens"]]
        grades = [r["grade"] for r in rows if r["grade"] is not None]
        speeds = [r["tokens_per_s"] for r in written if r["tokens"] >= 16]
        return {
            "questions": len(rows),
            "model_asked": len(asked_model),
            "replaced_by_library": sum(r["replaced"] for r in rows),
            "model_written": len(written),
            "key_fact_share_mean": round(statistics.mean(r["fact_share"] for r in rows), 3),
            "answers_with_every_key_fact": sum(all(r["facts_found"]) for r in rows),
            "answers_matching_must_not": sum(bool(r["must_not"]) for r in rows),
            "model_answers_with_numbers_not_in_passages": sum(
                bool(r["numbers_not_in_passages"]) for r in asked_model),
            "grade_median": round(statistics.median(grades), 1) if grades else None,
            "decode_tokens_per_s_median": round(statistics.median(speeds), 1) if speeds
            else None,
        }

    return {"all": part(rows),
            **{lang: part([r for r in rows if r["language"] == lang]) for lang in ("en", "zh")}}


def evaluate(spec: str, questions: list[dict], max_tokens: int, data_dir: Path | None) -> dict:
    import model

    settings = load_settings(data_dir, model=spec, device="cpu")
    engine = model.load(settings.model, settings.device, settings.model_cache_dir)
    library = open_library(settings)
    warm_up()
    assistant = Assistant(engine, library=library)
    rows = []
    for question in questions:
        rows.append(ask(assistant, question, max_tokens))
        r = rows[-1]
        print(f"  {spec} {r['id']}: {r['seconds']} s, facts {sum(r['facts_found'])}/"
              f"{len(r['facts_found'])}{', replaced' if r['replaced'] else ''}",
              file=sys.stderr)
    return {"model": engine.info.name, "source": engine.info.source,
            "weights": engine.info.weights, "summary": summarise(rows), "answers": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", action="append", required=True,
                        help="'default', an installed model's id or a GGUF path; repeat")
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--max-tokens", type=int, default=200)
    parser.add_argument("--limit", type=int, default=0, help="only the first N questions")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="CareChat data dir whose model cache to use (default: yours)")
    parser.add_argument("--out", type=Path, help="write every answer here (JSON)")
    args = parser.parse_args()
    questions = load_questions(args.questions)
    if args.limit:
        questions = questions[: args.limit]
    results = []
    for spec in args.model:
        results.append(evaluate(spec, questions, args.max_tokens, args.data_dir))
        gc.collect()
    report = {
        "benchmark": "answers",
        "questions": str(args.questions),
        "settings": {"max_new_tokens": args.max_tokens, "greedy": True, "level": "basic",
                     "device": "cpu"},
        "models": {r["model"]: r["summary"] for r in results},
    }
    if args.out:
        args.out.write_text(json.dumps({**report, "answers": {r["model"]: r["answers"]
                                                              for r in results}},
                                       ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
