"""Score grounding checks against answers a person labelled grounded or not.

    .venv/bin/python benchmarks/eval_grounding_labels.py sheet ANSWERS.json SHEET.json KEY.json
    .venv/bin/python benchmarks/eval_grounding_labels.py gains KEY.json GAINS.json \
        --model NAME=SPEC [--model NAME=SPEC ...]
    .venv/bin/python benchmarks/eval_grounding_labels.py score KEY.json LABELS.json \
        [--gains GAINS.json]

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
              benchmarks/grounding_labels/labels_2026-12-07.json \
              --gains benchmarks/grounding_labels/gains_2026-12-07.json
and so are the same models' answers to the fresh questions
(answer_questions_fresh.toml), labelled by another helper, with their gains
(RESULTS.md, "Grounding by the model's own likelihood"): the files ending
in -fresh.json.

`gains` has each labelled answer scored by the model that wrote it (NAME is
the key's model name, SPEC what `model.load` takes): the mean gain in
log-probability a token from having the passages in the prompt
(``chatapp.turn.support``), both scorings of the answer's text as tokenized
again (the turn itself uses the tokens as written). GAINS.json maps the
numbers to the gains.

The checks: "words" (the check until issue 16: at least 60 % of the English
answer's content words, 80 % of the Chinese answer's 4-character runs, in the
passages), "claims" (numbers and terms only, with the same length and loop
checks), "claims+floor" (claims, and the topic floor in GROUNDING: what a
server's answers get) and, with gains, "claims+gain" (claims, and the gain
floor in GROUNDING in place of the topic floor: the candidate scored on a fresh
set, RESULTS.md) and "claims+floor+gain" (both floors: what the local engine's
answers get).
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


def claims_check(answer: str, passages, question: str, language: str,
                 gain: float | None = None) -> bool:
    no_floor = replace(grounding.GROUNDING[language], min_share=0.0)
    return grounding.judge(answer, passages, question, language, rule=no_floor,
                           gain=gain).grounded


def floor_check(answer: str, passages, question: str, language: str,
                gain: float | None = None) -> bool:
    return grounding.judge(answer, passages, question, language, gain=gain).grounded


CHECKS = {"words": words_check, "claims": claims_check, "claims+floor": floor_check}
# The same checks given each answer's gain (``gains``).
GAIN_CHECKS = {"claims+gain": claims_check, "claims+floor+gain": floor_check}


def compute_gains(key_file: Path, gains_file: Path, specs: dict[str, str]) -> None:
    import model
    from chatapp.turn import Assistant
    from chatapp.turn.support import passage_gain

    key = json.loads(key_file.read_text(encoding="utf-8"))
    library = LibraryIndex.load()
    gains: dict[str, float] = {}
    for name, spec in specs.items():
        items = {n: item for n, item in key.items() if item["model"] == name}
        if not items:
            continue
        engine = model.load(spec, device="cpu")
        prompts = Assistant(engine, library=library).prompts
        for number, item in items.items():
            question, language = item["question"], item["language"]
            passages = retrieve(library, question, language, PASSAGES)
            messages = prompts.for_question(question, passages=passages, level=Level.BASIC,
                                            language=language).messages
            ids = engine.tokenizer.encode(item["answer"], add_special_tokens=False)
            gains[number] = round(passage_gain(engine, messages, question, ids,
                                               engine.answer_logprobs(messages, ids)), 4)
            print(f"  {name} {number}: {gains[number]}", file=sys.stderr)
        del engine, prompts
    gains_file.write_text(json.dumps(gains, indent=1), encoding="utf-8")


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


def score(key_file: Path, labels_file: Path, gains_file: Path | None = None) -> dict:
    key = json.loads(key_file.read_text(encoding="utf-8"))
    labels = json.loads(labels_file.read_text(encoding="utf-8"))
    gains = json.loads(gains_file.read_text(encoding="utf-8")) if gains_file else {}
    checks = {**CHECKS, **(GAIN_CHECKS if gains else {})}
    library = LibraryIndex.load()
    tallies: dict = {}
    for number, label in labels.items():
        label = label["label"] if isinstance(label, dict) else label
        item = key[number]
        passages = retrieve(library, item["question"], item["language"], PASSAGES)
        for model in (item["model"], "all"):
            for name, check in checks.items():
                args = (item["answer"], passages, item["question"], item["language"])
                kept = check(*args, gains[number]) if name in GAIN_CHECKS else check(*args)
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
    g = sub.add_parser("gains")
    g.add_argument("key", type=Path)
    g.add_argument("gains", type=Path)
    g.add_argument("--model", action="append", required=True, metavar="NAME=SPEC")
    c = sub.add_parser("score")
    c.add_argument("key", type=Path)
    c.add_argument("labels", type=Path)
    c.add_argument("--gains", type=Path)
    args = parser.parse_args()
    if args.command == "sheet":
        make_sheet(args.answers, args.sheet, args.key)
    elif args.command == "gains":
        compute_gains(args.key, args.gains, dict(m.split("=", 1) for m in args.model))
    else:
        checks = [*CHECKS, *(GAIN_CHECKS if args.gains else [])]
        print(json.dumps({"benchmark": "grounding labels", "checks": checks,
                          "models": score(args.key, args.labels, args.gains)},
                         ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
