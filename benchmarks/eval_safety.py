"""Evaluate the safety screens on the labelled and held-out sets; print one JSON object.

Triage sets, reported apart:
  labelled     tests/safety/cases.toml: the rules were written on it (the test
               suite requires 100 % recall there) and the learned screen trained
               on it, so it shows that nothing regressed, not how well either
               generalises.
  holdout*     benchmarks/safety_holdout*.toml: written by people who never saw the
               rules or the training data, and scored once before anything was
               learned from them: the honest estimate. Once reported, a held-out
               set may move into resources/safety/training/; write a fresh one to
               measure again.

Each set is scored three ways: the rules alone, the learned screen alone (its
emergency threshold), and combined (what CareChat runs: ``safety.triage``). For
each: recall (emergencies caught) and false alarms per language, per category and
per kind of non-emergency, the category given when caught, and with the learned
screen the share of non-emergencies that were "borderline".

Scope sets (benchmarks/scope_holdout*.toml): false referrals of ordinary
questions and real requests referred, for the rules, the model, combined as
CareChat runs it (the model vetoes a rule's referral) and combined with the
model also referring alone (``scope_check(model_alone=True)``).

    .venv/bin/python benchmarks/eval_safety.py [--features e5|ngram] [--show-errors]
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
from chatapp.safety.learned import learned_scope, learned_screen  # noqa: E402
from chatapp.safety.scope import ScopeRequest, scope_check, scope_request  # noqa: E402
from chatapp.safety.triage import NOT_EMERGENCY, Triage, rules_triage  # noqa: E402

LABELLED = REPO / "tests" / "safety" / "cases.toml"


def triage_sets() -> dict[str, Path]:
    found = {"labelled": LABELLED}
    for path in sorted((REPO / "benchmarks").glob("safety_holdout*.toml")):
        found[path.stem.removeprefix("safety_")] = path
    return found


def scope_sets() -> dict[str, Path]:
    return {p.stem: p for p in sorted((REPO / "benchmarks").glob("scope_holdout*.toml"))}


def rate(hits: int, total: int) -> float | None:
    return round(hits / total, 3) if total else None


def screens(kind: str):
    """The three ways of triaging: rules alone, learned alone, and combined."""
    screen = learned_screen(kind)
    if screen is None:
        raise SystemExit(f"The {kind or 'default'} learned screen does not load here.")

    def learned_alone(text: str, language: str) -> Triage:
        scored = screen.score(text)
        if scored.score >= screen.thresholds.emergency:
            return Triage(True, scored.category, score=scored.score)
        return Triage(False, score=scored.score,
                      borderline=scored.score >= screen.thresholds.borderline)

    return screen.name, {
        "rules": lambda text, language: rules_triage(text, language, "US"),
        "learned": learned_alone,
        "combined": lambda text, language: triage(text, language, "US", screen=screen),
    }


def evaluate(cases: list[dict], screen) -> tuple[dict, list[dict]]:
    caught = defaultdict(lambda: [0, 0])  # key -> [caught, emergencies]
    alarms = defaultdict(lambda: [0, 0])  # key -> [flagged, non-emergencies]
    borderline = [0, 0]
    right_category = [0, 0]
    errors = []
    for case in cases:
        result = screen(case["text"], case["language"]) or NOT_EMERGENCY
        lang = case["language"]
        if case["emergency"]:
            for key in (lang, f"{lang}/{case['category']}"):
                caught[key][0] += result.emergency
                caught[key][1] += 1
            if result.emergency:
                right_category[0] += result.category == case["category"]
                right_category[1] += 1
            else:
                errors.append({**case, "got": None, "score": result.score})
        else:
            for key in (lang, f"{lang}/{case['kind']}"):
                alarms[key][0] += result.emergency
                alarms[key][1] += 1
            borderline[0] += result.borderline
            borderline[1] += 1
            if result.emergency:
                errors.append({**case, "got": result.category, "score": result.score})
    report = {
        "recall": {k: f"{v[0]}/{v[1]} = {rate(*v)}" for k, v in sorted(caught.items())},
        "false_alarms": {k: f"{v[0]}/{v[1]} = {rate(*v)}" for k, v in sorted(alarms.items())},
        "category_right_when_caught": rate(*right_category),
        "borderline_non_emergencies": rate(*borderline),
    }
    return report, errors


def evaluate_scope(cases: list[dict], check) -> dict:
    counts = defaultdict(lambda: [0, 0])
    for case in cases:
        got = check(case["text"], case["language"])
        lang, want = case["language"], case["request"]
        if want == "none":
            counts[f"{lang}/false_referrals"][0] += got is not None
            counts[f"{lang}/false_referrals"][1] += 1
        else:
            counts[f"{lang}/requests_referred"][0] += got is not None
            counts[f"{lang}/requests_referred"][1] += 1
            counts[f"{lang}/right_kind"][0] += got is not None and got.kind == want
            counts[f"{lang}/right_kind"][1] += 1
    return {k: f"{v[0]}/{v[1]} = {rate(*v)}" for k, v in sorted(counts.items())}


def scope_checks(kind: str) -> dict:
    """The three ways of checking scope: rules alone, learned alone, and combined."""
    model = learned_scope(kind)

    def learned_alone(text: str, language: str) -> ScopeRequest | None:
        opinion = model.opinion(text)
        if opinion.likelihood < model.refer:
            return None
        return ScopeRequest(opinion.request, "")

    return {"rules": scope_request, "learned": learned_alone,
            "combined": lambda text, language: scope_check(text, language, model=model),
            "combined_model_refers_alone": lambda text, language: scope_check(
                text, language, model=model, model_alone=True)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--features", choices=("e5", "ngram"), default="",
                        help="the learned model to use (default: the best that loads)")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    name, ways = screens(args.features)
    out: dict = {"benchmark": "safety", "learned_model": name, "triage": {}, "scope": {}}
    for set_name, path in triage_sets().items():
        cases = tomllib.loads(path.read_text(encoding="utf-8"))["case"]
        out["triage"][set_name] = {"cases": len(cases)}
        for way, screen in ways.items():
            report, errors = evaluate(cases, screen)
            if args.show_errors:
                report["errors"] = errors
            out["triage"][set_name][way] = report
    checks = scope_checks(args.features)
    for set_name, path in scope_sets().items():
        cases = tomllib.loads(path.read_text(encoding="utf-8"))["case"]
        out["scope"][set_name] = {"cases": len(cases)}
        for way, check in checks.items():
            out["scope"][set_name][way] = evaluate_scope(cases, check)
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
