"""Time triage per message, with the built-in chat model loaded; print one JSON object.

Triage runs before anything else in a turn, so it must stay well under the time
to the first token: the target is p95 <= 150 ms a message on a 2-core machine.
Two sets of messages, reported apart: the held-out sets' messages as they were
written (chat length), and long messages made of twelve of them each (about
1,000-4,000 characters, up to a question's limit). The baseline in the same run
is the rules alone.

    .venv/bin/python benchmarks/bench_triage.py [--no-model] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from chatapp.safety.learned import learned_screen  # noqa: E402
from chatapp.safety.triage import rules_triage, triage  # noqa: E402


def messages() -> tuple[list[str], list[str]]:
    texts = [c["text"] for p in sorted((REPO / "benchmarks").glob("safety_holdout*.toml"))
             for c in tomllib.loads(p.read_text(encoding="utf-8"))["case"]]
    # Long messages (up to the 4,000-character limit of a question): an emergency
    # may be written into the middle of one.
    longs = [" ".join(texts[i:i + 12])[:4000] for i in range(0, len(texts), 12)]
    return texts, longs


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed(check, texts: list[str], rounds: int) -> dict:
    times = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter()
            check(text)
            times.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(percentile(times, 0.95), 2),
            "max_ms": round(max(times), 2), "messages": len(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-model", action="store_true", help="do not load the chat model")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    loaded = None
    if not args.no_model:
        import model

        loaded = model.load("default", "cpu")
    started = time.perf_counter()
    screen = learned_screen()
    load_ms = round((time.perf_counter() - started) * 1000, 1)
    texts, longs = messages()
    triage(texts[0])  # first call out of the timing
    report = {"benchmark": "triage latency",
              "chat_model_loaded": loaded.info.name if loaded else None,
              "learned_model": screen.name if screen else None,
              "learned_load_ms": load_ms, "target_p95_ms": 150}
    for name, batch in (("held_out_messages", texts), ("long_messages", longs)):
        rules = timed(lambda t: rules_triage(t, "en"), batch, args.rounds)
        combined = timed(lambda t: triage(t, "en"), batch, args.rounds)
        report[name] = {
            "median_chars": sorted(len(t) for t in batch)[len(batch) // 2],
            "rules_alone": rules, "rules_and_learned": combined,
            "meets_target": combined["p95_ms"] <= 150}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
