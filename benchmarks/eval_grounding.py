"""Grounded against ungrounded answers, side by side, on the default model.

    .venv/bin/python benchmarks/eval_grounding.py [--json] [--max-tokens N]
        [--data-dir DIR] [--device auto|cpu|cuda|mps] [--questions N]

Ten patient questions, each answered twice in the same run by the same model
with the same rules and reading level (basic): once grounded (the app's turn:
the library passages in the prompt, "answer only from them"), once without the
library. Printed as Markdown for a person to read (or one JSON object with
--json), with the sources each grounded answer cites.

What a machine can check is counted for each answer: numbers that appear in
no passage the question retrieved (a number the model made up, or at least one
the library does not vouch for), and whether the answer names an emergency
number (which only the safety rules may give). Wrong facts need a person:
read the answers. The last question has no article in the library: the
grounded turn answers it with the fixed "not covered" text (stop reason
"not_covered", knowledge.LibraryIndex.covers) without asking the model, which,
told in the prompt to say so, made an answer up instead.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from chatapp.config import load_settings  # noqa: E402
from chatapp.session import open_library  # noqa: E402
from chatapp.turn import Assistant, clip, warm_up  # noqa: E402
from chatapp.turn.prompts import PASSAGE_CHARS  # noqa: E402

QUESTIONS = (
    "What blood pressure is too high?",
    "my sugar is high what should i eat",
    "How long should I take antibiotics for?",
    "How much exercise do I need each week?",
    "How many hours of sleep do adults need?",
    "When should I take my child with a fever to the doctor?",
    "how do i use my inhaler",
    "What are the signs of a stroke?",
    "How often should I get screened for colon cancer?",
    "What is lupus?",  # no article: the turn says the library does not cover it
)
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
EMERGENCY_NUMBERS = re.compile(r"(?<!\d)(?:911|999|112|000|111|988|120)(?!\d)")


def numbers_not_in(text: str, passages_text: str) -> list[str]:
    known = set(NUMBER.findall(passages_text))
    return sorted({n for n in NUMBER.findall(text) if n not in known})


def run(assistant: Assistant, question: str, max_tokens: int) -> dict:
    started = time.perf_counter()
    result = assistant.answer(question, max_new_tokens=max_tokens)
    return {
        "answer": result.answer,
        "sources": [{"id": s["id"], "title": s["title"]} for s in result.sources],
        "fk_grade": result.readability.get("fk_grade"),
        "simplified": result.edits.simplified,
        "prompt_tokens": result.generation.prompt_tokens,
        "ttft_ms": result.generation.ttft_ms,
        "tokens": result.generation.tokens,
        "stop_reason": result.stop_reason,
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="one JSON object, not Markdown")
    parser.add_argument("--max-tokens", type=int, default=160, metavar="N")
    parser.add_argument("--questions", type=int, default=len(QUESTIONS), metavar="N")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="CareChat data dir whose model cache to use (default: yours)")
    parser.add_argument("--device", default="auto")
    args = parser.parse_args()

    import model

    settings = load_settings(args.data_dir, device=args.device)
    engine = model.load(settings.model, settings.device, settings.model_cache_dir)
    library = open_library(settings)
    warm_up()
    grounded = Assistant(engine, library=library)
    ungrounded = Assistant(engine)
    rows = []
    for question in QUESTIONS[: args.questions]:
        passages = grounded.retrieve(question, "en")
        seen = "\n".join(clip(p.text, PASSAGE_CHARS["en"]) for p in passages)
        row = {"question": question,
               "passages": [f"{p.title}: {p.heading}" for p in passages],
               "grounded": run(grounded, question, args.max_tokens),
               "ungrounded": run(ungrounded, question, args.max_tokens)}
        for arm in ("grounded", "ungrounded"):
            answer = row[arm]["answer"]
            row[arm]["numbers_not_in_passages"] = numbers_not_in(answer, seen)
            row[arm]["names_emergency_number"] = bool(EMERGENCY_NUMBERS.search(answer))
        rows.append(row)
        print(f"  {question}: {row['grounded']['seconds']} s / "
              f"{row['ungrounded']['seconds']} s", file=sys.stderr)

    def totals(arm: str) -> dict:
        return {
            "answers_with_numbers_not_in_passages": sum(
                bool(r[arm]["numbers_not_in_passages"]) for r in rows),
            "median_prompt_tokens": statistics.median(r[arm]["prompt_tokens"] for r in rows),
            "median_ttft_ms": statistics.median(r[arm]["ttft_ms"] for r in rows),
            "median_fk_grade": statistics.median(
                r[arm]["fk_grade"] for r in rows if r[arm]["fk_grade"] is not None),
        }

    report = {
        "benchmark": "grounding",
        "model": engine.info.name,
        "device": engine.info.device,
        "settings": {"max_new_tokens": args.max_tokens, "level": "basic", "greedy": True},
        "grounded": totals("grounded"),
        "ungrounded": totals("ungrounded"),
        "questions": rows,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(markdown(report))


def markdown(report: dict) -> str:
    lines = [f"# Grounded vs ungrounded: {report['model']} on {report['device']}", "",
             "| | grounded | ungrounded |", "|---|---|---|"]
    for key in ("answers_with_numbers_not_in_passages", "median_prompt_tokens",
                "median_ttft_ms", "median_fk_grade"):
        lines.append(f"| {key.replace('_', ' ')} | {report['grounded'][key]} | "
                     f"{report['ungrounded'][key]} |")
    for row in report["questions"]:
        lines += ["", f"## {row['question']}", "",
                  "Passages: " + ("; ".join(row["passages"]) or "none")]
        for arm in ("grounded", "ungrounded"):
            r = row[arm]
            cited = ", ".join(s["title"] for s in r["sources"]) or "no library source"
            flags = []
            if r["numbers_not_in_passages"]:
                flags.append("numbers not in the passages: "
                             + ", ".join(r["numbers_not_in_passages"]))
            if r["names_emergency_number"]:
                flags.append("names an emergency number")
            lines += ["", f"**{arm.capitalize()}** ({cited}; grade {r['fk_grade']}; "
                      f"{r['prompt_tokens']} prompt tokens, first token "
                      f"{r['ttft_ms']:.0f} ms; {r['stop_reason']})"
                      + (f" — {'; '.join(flags)}" if flags else ""), "",
                      "> " + r["answer"].replace("\n", "\n> ")]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
