"""Benchmark the engine on the built-in model and print one JSON object.

Measures, each phase in a fresh process (so memory and caches do not leak
between them):
  cold load   de-quantize the GGUF and write the cache (first start)
  warm load   load the cached copy (every later start), per weight format
  speed       every variant on the same chat-templated token ids, alternating,
              in one process: time to first token for a short, a ~300-token and
              a ~600-token prompt, decode tokens/s, and the second turn's first
              token with the prompt prefix reused
  quality     greedy answers against the float32 reference (transformers'
              forward on the de-quantized weights): answers identical, tokens
              in common before the first difference, and the share of steps
              whose top token matches when every variant is fed the reference's
              tokens (teacher forcing)
  memory      peak RSS of a process that loads one variant and answers once

Variants: "transformers" (the reference: transformers' forward, fresh cache per
prompt), our own loop with "float32", "float16" and "int4" weights, and
llama.cpp on the same GGUF file when llama-cpp-python is installed
(--compare-llamacpp; optional, never a runtime dependency).

Machines here are noisy: figures are medians over --repeats runs, and the
comparisons are ratios measured in the same run.

    .venv/bin/python benchmarks/bench_engine.py [--repeats 3] [--max-new-tokens 128]
        [--threads N] [--compare-llamacpp] [--variants transformers,float32,float16,int4]
"""

from __future__ import annotations

import argparse
import json
import os
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

OURS = ("float32", "float16", "int4")
VARIANTS = ("transformers", *OURS)
LLAMACPP = "llama.cpp"
SYSTEM = "You are a patient-education assistant. Use plain, short sentences."
QUESTION = "What is high blood pressure, and what can I do about it?"
PASSAGE = (
    "High blood pressure (hypertension) means the force of blood against the walls of "
    "your arteries is too high most of the time. It often has no symptoms, so many people "
    "do not know they have it. Over years it can damage the heart, brain, kidneys and eyes. "
    "A reading of 130/80 mmHg or higher is usually called high. Eating less salt, staying "
    "active, keeping a healthy weight, limiting alcohol and not smoking all help. Some "
    "people also need medicines, taken every day, even when they feel well. "
)
QUALITY_QUESTIONS = (
    "What is high blood pressure?",
    "How do I use an asthma inhaler?",
    "What should I eat if I have type 2 diabetes?",
    "Why is sleep important for health?",
    "What are the signs of a cold and how long does it last?",
    "How can I lower my cholesterol?",
    "What is a fever, and when should I see a doctor?",
    "How much water should I drink each day?",
    "What does a pharmacist do?",
    "How do vaccines protect people?",
    "What is the difference between a virus and bacteria?",
    "How can I stop smoking?",
)


def peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20, 1)


def messages(passages: int = 0, question: str = QUESTION) -> list[dict]:
    text = question
    if passages:
        blocks = [f"[{i}] Library passage {i}:\n{PASSAGE}" for i in range(1, passages + 1)]
        text = "\n\n".join(["Library passages:", *blocks, f"Question: {question}"])
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": text}]


def has_llamacpp() -> bool:
    import importlib.util

    return importlib.util.find_spec("llama_cpp") is not None


# --- runners: each takes token ids and returns (ttft_ms, tokens/s, token ids) ----------


class Ours:
    """Engine internals on token ids, so every variant reads exactly the same ids."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.backend = engine._backend

    def generate(self, ids: list[int], max_new: int, fresh: bool = True, eos: bool = True):
        """``eos=False``: go on past the end token, so every variant decodes as many."""
        import torch

        if fresh:
            self.backend.reset()
        eos = self.engine._eos_ids if eos else frozenset()
        started = time.perf_counter()
        logits = self.backend.prefill(ids)
        out: list[int] = []
        first = None
        while len(out) < max_new:
            token = int(torch.argmax(logits))
            first = first or time.perf_counter()
            if token in eos:
                break
            out.append(token)
            if len(out) < max_new:
                logits = self.backend.forward([token])
        ended = time.perf_counter()
        return _timings(started, first, ended, len(out)), out

    def forced(self, ids: list[int], reference: list[int]) -> list[int]:
        """The top token at each step while being fed ``reference``."""
        import torch

        self.backend.reset()
        logits = self.backend.prefill(ids)
        tops = []
        for token in reference:
            tops.append(int(torch.argmax(logits)))
            logits = self.backend.forward([token])
        return tops


class LlamaCpp:
    def __init__(self, path: str, threads: int) -> None:
        from llama_cpp import Llama

        self.llm = Llama(model_path=path, n_ctx=2048, n_threads=threads,
                         n_threads_batch=threads, verbose=False)
        end = self.llm.tokenize(b"<|im_end|>", add_bos=False, special=True)
        self.eos = frozenset({self.llm.token_eos(), *end[:1]})

    def generate(self, ids: list[int], max_new: int, fresh: bool = True, eos: bool = True):
        if fresh:
            self.llm.reset()
        ends = self.eos if eos else frozenset()
        started = time.perf_counter()
        out: list[int] = []
        first = None
        # reset=True keeps the longest prefix already in llama.cpp's cache.
        for token in self.llm.generate(ids, temp=0.0, top_k=1, top_p=1.0, min_p=0.0,
                                       repeat_penalty=1.0, reset=True):
            first = first or time.perf_counter()
            if token in ends:
                break
            out.append(int(token))
            if len(out) >= max_new:
                break
        ended = time.perf_counter()
        return _timings(started, first, ended, len(out)), out

    def forced(self, ids: list[int], reference: list[int]) -> list[int]:
        import numpy as np

        def last_logits():
            # Without logits_all, llama-cpp-python keeps no scores: read the context's.
            return np.ctypeslib.as_array(self.llm._ctx.get_logits(), shape=(self.llm.n_vocab(),))

        self.llm.reset()
        self.llm.eval(ids)
        tops = []
        for token in reference:
            tops.append(int(np.argmax(last_logits())))
            self.llm.eval([token])
        return tops


def _timings(started: float, first: float | None, ended: float, count: int) -> dict:
    first = first or ended
    steps = max(count - 1, 0)
    return {"ttft_ms": round((first - started) * 1000, 1),
            "tokens_per_s": round(steps / (ended - first), 2) if steps and ended > first else 0.0}


# The model every phase loads: "default", an installed id, or a GGUF file's path.
SPEC = "default"


def runners(names: list[str], cache_dir: Path, threads: int) -> dict:
    """One runner per variant, all loaded side by side in this process."""
    found: dict = {}
    for name in names:
        if name == LLAMACPP:
            found[name] = LlamaCpp(str(model.locate(SPEC).path), threads)
        else:
            engine = model.load(SPEC, device="cpu", cache_dir=cache_dir, weights=name)
            found[name] = Ours(engine)
    return found


def chat_ids(found: dict, msgs: list[dict]) -> list[int]:
    """The chat-templated ids our engine builds; every variant reads the same ones."""
    ours = [r for r in found.values() if isinstance(r, Ours)]
    if ours:
        return ours[0].engine.prompt_ids(msgs)
    llm = found[LLAMACPP].llm  # SmolLM2's template (ChatML), written out
    text = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in msgs)
    return llm.tokenize(f"{text}<|im_start|>assistant\n".encode(), add_bos=False, special=True)


# --- phases, each run in its own process -------------------------------------------


def phase_load(cache_dir: Path, weights: str) -> dict:
    started = time.perf_counter()
    # Importing torch and transformers costs the same on every start; it is
    # timed apart so the load figures compare like with like.
    import model.loader  # noqa: F401

    imported = time.perf_counter()
    if weights == LLAMACPP:
        from llama_cpp import Llama

        Llama(model_path=str(model.locate(SPEC).path), n_ctx=2048, verbose=False)
        loaded_from = "gguf"
    else:
        engine = model.load(SPEC, device="cpu", cache_dir=cache_dir, weights=weights)
        loaded_from = engine.info.loaded_from
    loaded = time.perf_counter()
    return {
        "loaded_from": loaded_from,
        "import_ms": round((imported - started) * 1000, 1),
        "load_ms": round((loaded - imported) * 1000, 1),
        "ready_ms": round((loaded - started) * 1000, 1),
        "peak_rss_mb": peak_rss_mb(),
    }


def phase_speed(cache_dir: Path, names: list[str], repeats: int, max_new: int,
                threads: int) -> dict:
    """Every variant on the same ids, alternating, so noise hits all alike."""
    found = runners(names, cache_dir, threads)
    prompts = {
        "short": chat_ids(found, messages()),
        "300": chat_ids(found, messages(passages=2)),
        "600": chat_ids(found, messages(passages=5)),
    }
    follow_up = [
        *messages(passages=2),
        {"role": "assistant", "content": "High blood pressure means your blood pushes hard."},
        {"role": "user", "content": "What can I eat to help it?"},
    ]
    second_turn = chat_ids(found, follow_up)
    results: dict = {name: {"ttft_ms": {k: [] for k in [*prompts, "second_turn"]},
                            "tokens_per_s": []} for name in found}
    for i in range(repeats + 1):  # round 0 warms up and is not counted
        order = list(found) if i % 2 else list(reversed(found))
        for name in order:
            run = found[name]
            # Past the end token: every variant decodes max_new tokens, so none
            # is timed on a shorter (cheaper) answer than another.
            timing, tokens = run.generate(prompts["short"], max_new, eos=False)
            if i:
                results[name]["ttft_ms"]["short"].append(timing["ttft_ms"])
                results[name]["tokens_per_s"].append(timing["tokens_per_s"])
            results[name]["tokens"] = len(tokens)
            for key in ("300", "600"):
                timing, _ = run.generate(prompts[key], 1)
                if i:
                    results[name]["ttft_ms"][key].append(timing["ttft_ms"])
            # A second turn right after the first: our loop and llama.cpp keep
            # the shared prefix; transformers starts again.
            run.generate(prompts["300"], 8)
            timing, _ = run.generate(second_turn, 1, fresh=False)
            if i:
                results[name]["ttft_ms"]["second_turn"].append(timing["ttft_ms"])
    summary = {}
    for name, r in results.items():
        summary[name] = {
            "decode_tokens_per_s_median": statistics.median(r["tokens_per_s"]),
            "decode_tokens_per_s_runs": r["tokens_per_s"],
            "tokens": r["tokens"],
            **{f"ttft_ms_{k}_median": statistics.median(v) for k, v in r["ttft_ms"].items()},
            "ttft_ms_runs": r["ttft_ms"],
        }
    summary["prompt_tokens"] = {k: len(v) for k, v in prompts.items()}
    summary["prompt_tokens"]["second_turn"] = len(second_turn)
    return summary


def phase_quality(cache_dir: Path, names: list[str], max_new: int, threads: int) -> dict:
    """Greedy answers of every variant against the float32 reference."""
    found = runners(["transformers", *names], cache_dir, threads)
    reference_runner = found["transformers"]
    tokenizer = reference_runner.engine.tokenizer
    report: dict = {name: {"identical": 0, "common_prefix": [], "forced_agree": 0,
                           "forced_steps": 0} for name in names}
    samples = {}
    for question in QUALITY_QUESTIONS:
        ids = chat_ids(found, messages(question=question))
        _, reference = reference_runner.generate(ids, max_new)
        samples.setdefault(question, {})["reference"] = tokenizer.decode(reference)
        for name in names:
            _, tokens = found[name].generate(ids, max_new)
            same = 0
            for a, b in zip(tokens, reference, strict=False):
                if a != b:
                    break
                same += 1
            r = report[name]
            r["identical"] += tokens == reference
            r["common_prefix"].append(same)
            tops = found[name].forced(ids, reference)
            r["forced_agree"] += sum(a == b for a, b in zip(tops, reference, strict=True))
            r["forced_steps"] += len(reference)
            samples[question][name] = tokenizer.decode(tokens)
    out = {}
    for name, r in report.items():
        out[name] = {
            "answers_identical": f"{r['identical']}/{len(QUALITY_QUESTIONS)}",
            "mean_tokens_before_first_difference": round(statistics.mean(r["common_prefix"]), 1),
            "forced_top1_agreement": round(r["forced_agree"] / max(r["forced_steps"], 1), 4),
        }
    return {"per_variant": out, "max_new_tokens": max_new,
            "samples": dict(list(samples.items())[:3])}


def phase_memory(cache_dir: Path, which: str, max_new: int, threads: int) -> dict:
    """Peak RSS of a process that loads one variant and answers once."""
    found = runners([which], cache_dir, threads)
    found[which].generate(chat_ids(found, messages()), max_new)
    return {"peak_rss_mb": peak_rss_mb()}


# --- driver ---------------------------------------------------------------------------


def run_phase(name: str, cache_dir: Path, args: argparse.Namespace, *extra: str) -> dict:
    cmd = [sys.executable, __file__, "--phase", name, "--cache-dir", str(cache_dir),
           "--repeats", str(args.repeats), "--max-new-tokens", str(args.max_new_tokens),
           "--threads", str(args.threads), "--variants", ",".join(args.variant_list),
           "--model", args.model, *extra]
    env = {**os.environ, "CARECHAT_CPU_THREADS": str(args.threads)}
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"benchmark phase {name!r} {extra} failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--max-new-tokens", type=int, default=128)
    parser.add_argument("--quality-tokens", type=int, default=64)
    parser.add_argument("--threads", type=int, default=0,
                        help="CPU threads for every variant (default: physical cores)")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--compare-llamacpp", action="store_true",
                        help="also run llama.cpp (llama-cpp-python) on the same GGUF file")
    parser.add_argument("--skip", default="", help="phases to leave out: load,quality,memory")
    parser.add_argument("--model", default="default",
                        help="a GGUF file's path or an installed model's id (default: the "
                             "built-in model)")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--which", help=argparse.SUPPRESS)
    parser.add_argument("--cache-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.variant_list = [v for v in args.variants.split(",") if v]
    global SPEC
    SPEC = args.model
    if not args.threads:
        import psutil

        args.threads = psutil.cpu_count(logical=False) or 1

    if args.phase:
        names = args.variant_list
        phases = {
            "load": lambda: phase_load(args.cache_dir, args.which),
            "speed": lambda: phase_speed(args.cache_dir, names, args.repeats,
                                         args.max_new_tokens, args.threads),
            "quality": lambda: phase_quality(args.cache_dir,
                                             [n for n in names if n != "transformers"],
                                             args.max_new_tokens, args.threads),
            "memory": lambda: phase_memory(args.cache_dir, args.which, args.max_new_tokens,
                                           args.threads),
        }
        print(json.dumps(phases[args.phase]()))
        return

    import torch
    import transformers

    llamacpp = "not requested"
    if args.compare_llamacpp:
        if has_llamacpp():
            import llama_cpp

            llamacpp = f"llama-cpp-python {llama_cpp.__version__}"
            args.variant_list.append(LLAMACPP)
        else:
            llamacpp = ("not installed: pip install llama-cpp-python (builds from source, "
                        "~15 min) to compare")
    skip = set(args.skip.split(","))
    source = model.locate(args.model)
    file_mb = round(source.path.stat().st_size / 2**20, 1)
    report: dict = {
        "benchmark": "engine",
        "model": {"name": source.name, "path": str(source.path), "file_mb": file_mb},
        "machine": {
            "threads": args.threads,
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "torch": torch.__version__,
            "transformers": transformers.__version__,
            "llama.cpp": llamacpp,
        },
        "settings": {"repeats": args.repeats, "max_new_tokens": args.max_new_tokens,
                     "quality_tokens": args.quality_tokens, "greedy": True,
                     "variants": args.variant_list},
    }
    with tempfile.TemporaryDirectory(prefix="carechat-bench-") as tmp:
        cache = Path(tmp) / "models"
        cold = run_phase("load", cache, args, "--which", "auto")
        if cold["loaded_from"] != "gguf":
            raise SystemExit(f"unexpected cold load path: {cold['loaded_from']}")
        report["load"] = {"cold_gguf": cold}
        if "load" not in skip:
            for name in args.variant_list:
                report["load"][f"warm_{name}"] = run_phase("load", cache, args, "--which", name)
        speed = run_phase("speed", cache, args)
        report["speed"] = speed
        if "quality" not in skip:
            quality = run_phase("quality", cache, args, "--max-new-tokens",
                                str(args.quality_tokens))
            report["quality"] = quality
        if "memory" not in skip:
            report["memory_peak_rss_mb"] = {
                name: run_phase("memory", cache, args, "--which", name)["peak_rss_mb"]
                for name in args.variant_list
            }
    report["ratios"] = ratios(report, args.variant_list)
    if "memory_peak_rss_mb" in report:
        # The goal: the process that answers needs at most the file + 400 MB.
        goal = file_mb + 400
        report["memory_goal"] = {
            "goal_mb": goal,
            **{name: {"peak_rss_mb": peak, "within": peak <= goal}
               for name, peak in report["memory_peak_rss_mb"].items()},
        }
    print(json.dumps(report, indent=2))


def ratios(report: dict, names: list[str]) -> dict:
    speed = report["speed"]
    out: dict = {}
    for base in ("transformers", LLAMACPP):
        if base not in names:
            continue
        for name in names:
            if name == base:
                continue
            out[f"{name}_over_{base}"] = {
                "decode_tokens_per_s": round(speed[name]["decode_tokens_per_s_median"]
                                             / speed[base]["decode_tokens_per_s_median"], 2),
                **{f"ttft_{k}": round(speed[name][f"ttft_ms_{k}_median"]
                                      / max(speed[base][f"ttft_ms_{k}_median"], 0.1), 2)
                   for k in ("short", "300", "600", "second_turn")},
            }
    return out


if __name__ == "__main__":
    main()
