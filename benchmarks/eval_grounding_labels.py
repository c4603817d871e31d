"""Score grounding checks against answers a person labelled grounded or not.

    .venv/bin/python benchmarks/eval_grounding_labels.py sheet ANSWERS.json SHEET.json KEY.json
    .venv/bin/python benchmarks/eval_grounding_labels.py score KEY.json LABELS.json

`sheet` turns eval_answers.py's output into a labelling sheet: every answer a
model wrote, with the question and the passages it was given, shuffled and
under a number, so the labeller sees neither the model nor any check's verdict
(KEY.json maps the numbers back). The labeller writes LABELS.json:
{"1": "grounded" | "invents" | "junk", ...}.

`score` runs each check on every labelled answer and prints, per model and in
all, each check's
  false replacements   answers labelled grounded that the check would replace
  missed inventions    answers labelled "invents" that the check would keep
  missed junk          answers labelled "junk" that the check would keep
The answers of three models and a helper's labels, 2026-12-07 (RESULTS.md,
"Grounding that judges claims"), are in benchmarks/grounding_labels/:
    ... score benchmarks/grounding_labels/answers_2026-12-07.json \
              benchmarks/grounding_labels/labels_2026-12-07.json

The checks: "words" (the check until issue 16: at least 60 % of the English
answer's content words, 80 % of the Chinese answer's 4-character runs, in the
passages), "claims" (numbers and terms only, with the same length and loop
checks) and "claims+floor" (claims, and the topic floor in GROUNDING).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from chatapp.knowledge import LibraryIndex  # noqa: E402
from chatapp.turn import PASSAGES, grounding  # noqa: E402
from chatapp.turn.prompts import passage_text  # noqa: E402
from chatapp.turn.run import retrieve  # noqa: E402
from chatapp.vocabulary import Level  # noqa: E402

WORDS = {"en": grounding.GroundingRule(min_units=6, loop_share=0.3, min_share=0.6),
         "zh": grounding.GroundingRule(min_units=12, loop_share=0.5, min_share=0.8, gram=4)}


def words_check(answer: str, passages, question: str, language: str) -> bool:
    """The word-overlap check as it was until issue 16."""
    if not passages:
        return True
    rule = WORDS[language]
    said = grounding.answer_units(answer, language)
    if len(said) < rule.min_units or len(set(said)) / len(said) <= rule.loop_share:
        return False
    same = [p for p in passages if p.language == language]
    if not same:
        return True
    shown = " ".join(passage_text(p, Level.BASIC) for p in same)
    return grounding.shared_share(answer, f"{question} {shown}", language, rule) >= rule.min_share


def claims_check(answer: str, passages, question: str, language: str) -> bool:
    no_floor = replace(grounding.GROUNDING[language], min_share=0.0)
    return grounding.judge(answer, passages, question, language, rule=no_floor).grounded


def floor_check(answer: str, passages, question: str, language: str) -> bool:
    return grounding.judge(answer, passages, question, language).grounded


CHECKS = {"words": words_check, "claims": claims_check, "claims+floor": floor_check}


def make_sheet(answers_file: Path, sheet_file: Path, key_file: Path) -> None:
    data = json.loads(answers_file.read_text(encoding="utf-8"))
    items = [(model, row) for model, rows in data["answers"].items() for row in rows
             if row["tokens"] and row["model_text"].strip()]
    random.Random(16).shuffle(items)
    sheet, key = [], {}
    for number, (model, row) in enumerate(items, 1):
        sheet.append({"item": str(number), "question": row["question"],
                      "passages": row["passages"], "answer": row["model_text"]})
        key[str(number)] = {"model": model, "id": row["id"], "language": row["language"],
                            "question": row["question"], "answer": row["model_text"]}
    sheet_file.write_text(json.dumps(sheet, ensure_ascii=False, indent=1), encoding="utf-8")
    key_file.write_text(json.dumps(key, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(sheet)} answers to label in {sheet_file}")


def score(key_file: Path, labels_file: Path) -> dict:
    key = json.loads(key_file.read_text(encoding="utf-8"))
    labels = json.loads(labels_file.read_text(encoding="utf-8"))
    library = LibraryIndex.load()
    tallies: dict = {}
    for number, label in labels.items():
        label = label["label"] if isinstance(label, dict) else label
        item = key[number]
        passages = retrieve(library, item["question"], item["language"], PASSAGES)
        for model in (item["model"], "all"):
            for name, check in CHECKS.items():
                kept = check(item["answer"], passages, item["question"], item["language"])
                t = tallies.setdefault(model, {}).setdefault(name, {
                    "grounded": 0, "invents": 0, "junk": 0, "false_replacements": 0,
                    "missed_inventions": 0, "missed_junk": 0})
                t[label] += 1
                if label == "grounded" and not kept:
                    t["false_replacements"] += 1
                elif label == "invents" and kept:
                    t["missed_inventions"] += 1
                elif label == "junk" and kept:
                    t["missed_junk"] += 1
    for checks in tallies.values():
        for t in checks.values():
            t["false_replacement_rate"] = round(t["false_replacements"] / max(t["grounded"], 1), 3)
            t["missed_invention_rate"] = round(t["missed_inventions"] / max(t["invents"], 1), 3)
            t["missed_junk_rate"] = round(t["missed_junk"] / max(t["junk"], 1), 3)
    return tallies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sheet")
    s.add_argument("answers", type=Path)
    s.add_argument("sheet", type=Path)
    s.add_argument("key", type=Path)
    c = sub.add_parser("score")
    c.add_argument("key", type=Path)
    c.add_argument("labels", type=Path)
    args = parser.parse_args()
    if args.command == "sheet":
        make_sheet(args.answers, args.sheet, args.key)
    else:
        print(json.dumps({"benchmark": "grounding labels", "checks": list(CHECKS),
                          "models": score(args.key, args.labels)}, ensure_ascii=False,
                         indent=2))


if __name__ == "__main__":
    main()
