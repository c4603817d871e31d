"""The grounding scorecard on the labelled answers kept in benchmarks/grounding_labels."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
spec = importlib.util.spec_from_file_location("eval_grounding_labels",
                                              BENCH / "eval_grounding_labels.py")
eval_grounding_labels = importlib.util.module_from_spec(spec)
spec.loader.exec_module(eval_grounding_labels)
LABELS = BENCH / "grounding_labels"


def test_the_fresh_set_scores_every_check_on_every_labelled_answer() -> None:
    tallies = eval_grounding_labels.score(LABELS / "answers_2026-12-07-fresh.json",
                                          LABELS / "labels_2026-12-07-fresh.json",
                                          LABELS / "gains_2026-12-07-fresh.json")
    every = tallies["all"]
    assert set(every) == {"words", "claims", "claims+floor", "claims+gain",
                          "claims+floor+gain"}
    for t in every.values():
        assert t["grounded"] + t["invents"] + t["junk"] == 90
    # Both floors replace at least what either one does alone.
    both, floor, gain = every["claims+floor+gain"], every["claims+floor"], every["claims+gain"]
    for kind in ("missed_inventions", "missed_junk"):
        assert both[kind] <= min(floor[kind], gain[kind])
    assert both["false_replacements"] >= max(floor["false_replacements"],
                                             gain["false_replacements"])
