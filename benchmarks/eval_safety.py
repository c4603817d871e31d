"""Evaluate emergency triage on the labelled sets and print one JSON object.

Sets, reported apart:
  tests/safety/cases.toml            the set the rules were written and tuned on
                                     (the test suite requires 100% recall there)
  benchmarks/safety_holdout*.toml    written independently and never used to tune
                                     the rules: an honest estimate of how they do
                                     on messages nobody has seen. Once measured and
                                     reported, a held-out set may be moved into the
                                     tuning set; write a fresh one to measure again.

For each set: recall (emergencies caught) and the false-alarm rate, per language
and per category, and how often a caught emergency got the right category.

    .venv/bin/python benchmarks/eval_safety.py [--show-errors]
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from chatapp.safety import triage  # noqa: E402

TUNING = REPO / "tests" / "safety" / "cases.toml"


def sets() -> dict[str, Path]:
    found = {"tuning": TUNING}
    for path in sorted((REPO / "benchmarks").glob("safety_holdout*.toml")):
        found[path.stem] = path
    return found


def rate(hits: int, total: int) -> float | None:
    return round(hits / total, 3) if total else None


def evaluate(cases: list[dict]) -> tuple[dict, list[dict]]:
    caught = defaultdict(lambda: [0, 0])  # key -> [caught, emergencies]
    alarms = defaultdict(lambda: [0, 0])  # key -> [flagged, non-emergencies]
    right_category = [0, 0]
    errors = []
    for case in cases:
        result = triage(case["text"], case["language"], "US")
        lang = case["language"]
        if case["emergency"]:
            for key in (lang, f"{lang}/{case['category']}", "all"):
                caught[key][0] += result.emergency
                caught[key][1] += 1
            if result.emergency:
                right_category[0] += result.category == case["category"]
                right_category[1] += 1
            if not result.emergency or result.category != case["category"]:
                errors.append({**case, "got": result.category or None})
        else:
            for key in (lang, f"{lang}/{case['kind']}", "all"):
                alarms[key][0] += result.emergency
                alarms[key][1] += 1
            if result.emergency:
                errors.append({**case, "got": result.category})
    report = {
        "cases": len(cases),
        "recall": {k: {"rate": rate(*v), "caught": v[0], "of": v[1]}
                   for k, v in sorted(caught.items())},
        "false_alarm_rate": {k: {"rate": rate(*v), "flagged": v[0], "of": v[1]}
                             for k, v in sorted(alarms.items())},
        "category_accuracy_when_caught": rate(*right_category),
    }
    return report, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    out = {}
    for name, path in sets().items():
        cases = tomllib.loads(path.read_text(encoding="utf-8"))["case"]
        report, errors = evaluate(cases)
        if args.show_errors:
            report["errors"] = errors
        out[name] = report
    print(json.dumps({"benchmark": "safety triage", **out}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
