"""Many kiosks, one server: CareChat turns at once against llama.cpp's
OpenAI-compatible server, beside the same number of local engines.

Each simulated kiosk runs a whole CareChat turn (safety screens, retrieval,
reading-level prompt, streaming through the filters, grounding check; no
storage) on its own question, all starting together. Per setting it reports:

  ttft_ms p50/p95   from the patient's Send to the first word shown
  tokens_per_s      per client (the engine's decode speed as the client saw it)
                    and in total (every client's tokens / the round's wall time)
  errors            turns that failed or ended in a server fault

"server": one llama_cpp.server process (the built-in GGUF unless --model) and
N client threads in this process. "local": N processes, each loading its own
copy of the same model, as N kiosks that each run the model themselves would,
here sharing this machine's cores (each gets cores // N threads).

Machines here are noisy: each setting runs --rounds times and the figures are
medians over rounds; both engines run in the same invocation.

    .venv/bin/python benchmarks/bench_server.py [--clients 1 4 8] [--rounds 3]
        [--max-new-tokens 128] [--model PATH] [--server URL --server-model NAME]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # the test suite's llama.cpp server starter

# Covered questions in the words of patients: a different one for every kiosk
# and round (24 = 8 kiosks x 3 rounds), so no answer is served from a prompt
# the server read in an earlier round.
QUESTIONS = (
    "What is high blood pressure?",
    "How do I use my asthma inhaler?",
    "What should I eat if I have type 2 diabetes?",
    "How long does a cold last?",
    "What can I do about my back pain?",
    "How much exercise should I get each week?",
    "What are the signs of depression?",
    "How can I sleep better at night?",
    "Why should I wash my hands?",
    "How do I keep my teeth healthy?",
    "What is COPD?",
    "How can I stop smoking?",
    "What causes heartburn?",
    "What is eczema?",
    "How do I protect my skin from the sun?",
    "What helps with constipation?",
    "What is a migraine?",
    "How can I avoid falling at home?",
    "What does the thyroid do?",
    "What are the signs of a urinary infection?",
    "Why do I need vaccines?",
    "How can I keep my kidneys healthy?",
    "What is osteoarthritis?",
    "How can I feel less stressed?",
)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = share * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def one_turn(engine, library, question: str, max_new: int) -> dict:
    """A whole CareChat turn; times from the Send to the first shown piece."""
    from chatapp.turn import Assistant

    assistant = Assistant(engine, library=library, max_new_tokens=max_new)
    started = time.perf_counter()
    first: list[float] = []

    def shown(_piece: str) -> None:
        if not first:
            first.append(time.perf_counter())

    try:
        result = assistant.answer(question, on_token=shown)
    except Exception as exc:  # counted, never hidden
        return {"error": f"{type(exc).__name__}: {exc}"}
    ended = time.perf_counter()
    return {"ttft_ms": ((first[0] if first else ended) - started) * 1000,
            "tokens": result.generation.tokens,
            "tokens_per_s": result.generation.tokens_per_s,
            "seconds": ended - started,
            "error": result.fault}


def summarise(turns: list[dict], wall_s: float) -> dict:
    good = [t for t in turns if not t.get("error")]
    return {
        "ttft_ms_p50": round(percentile([t["ttft_ms"] for t in good], 0.5), 1),
        "ttft_ms_p95": round(percentile([t["ttft_ms"] for t in good], 0.95), 1),
        "tokens_per_s_per_client": round(statistics.median(
            [t["tokens_per_s"] for t in good]), 2) if good else 0.0,
        "tokens_per_s_total": round(sum(t["tokens"] for t in good) / wall_s, 2),
        "tokens": sum(t["tokens"] for t in good),
        "wall_s": round(wall_s, 2),
        "errors": len(turns) - len(good),
        "error_messages": sorted({t["error"] for t in turns if t.get("error")})[:3],
    }


def questions_for(round_no: int, clients: int) -> list[str]:
    return [QUESTIONS[(round_no * clients + i) % len(QUESTIONS)] for i in range(clients)]


def server_round(config, library, questions: list[str], max_new: int) -> dict:
    from model.server import connect

    clients = len(questions)
    engines = [connect(config) for _ in range(clients)]  # one connection per kiosk
    results: list[dict] = [{} for _ in range(clients)]
    gate = threading.Barrier(clients)

    def kiosk(i: int) -> None:
        gate.wait()
        results[i] = one_turn(engines[i], library, questions[i], max_new)

    threads = [threading.Thread(target=kiosk, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    for engine in engines:
        engine.close()
    return summarise(results, wall)


def _local_kiosk(spec: str, cache_dir: str, threads: int, question: str, max_new: int,
                 gate, out) -> None:
    import torch

    import model
    from chatapp.knowledge import LibraryIndex
    from chatapp.turn import warm_up

    torch.set_num_threads(threads)
    engine = model.load(spec, "cpu", Path(cache_dir))
    library = LibraryIndex.load()
    warm_up()  # as the window's worker does before the first turn
    gate.wait()  # every kiosk has loaded: the turns start together
    out.put(one_turn(engine, library, question, max_new))


def local_round(spec: str, cache_dir: Path, questions: list[str], max_new: int) -> dict:
    clients = len(questions)
    context = multiprocessing.get_context("spawn")
    gate = context.Barrier(clients + 1)
    out = context.Queue()
    threads = max(1, (os.cpu_count() or 1) // clients)
    workers = [context.Process(target=_local_kiosk, args=(
        spec, str(cache_dir), threads, questions[i], max_new, gate, out))
        for i in range(clients)]
    for worker in workers:
        worker.start()
    gate.wait()
    started = time.perf_counter()
    results = [out.get() for _ in workers]
    wall = time.perf_counter() - started
    for worker in workers:
        worker.join()
    return summarise(results, wall)


def median_rounds(rounds: list[dict]) -> dict:
    figures = {key: round(statistics.median(r[key] for r in rounds), 2)
               for key in rounds[0] if key != "error_messages"}
    figures["errors"] = sum(r["errors"] for r in rounds)  # all of them, not a median
    figures["error_messages"] = sorted({m for r in rounds for m in r["error_messages"]})[:3]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-new-tokens", type=int, default=128)
    parser.add_argument("--model", default="default", help="GGUF for both engines")
    parser.add_argument("--server", help="use this running server instead of starting one")
    parser.add_argument("--server-model", default="")
    parser.add_argument("--skip-local", action="store_true")
    parser.add_argument("--interrupt-requests", action="store_true",
                        help="start llama_cpp.server with its default, which ends an "
                        "answer when another request arrives")
    args = parser.parse_args()

    import model
    from chatapp.knowledge import LibraryIndex
    from chatapp.turn import warm_up
    from model.server import ServerConfig

    gguf = model.locate(args.model).path
    library = LibraryIndex.load()
    warm_up()  # the safety screens and reading scores, once, as the window's worker does
    cache_dir = Path(tempfile.mkdtemp(prefix="bench-server-cache-"))
    os.environ["CARECHAT_CACHE_DIR"] = str(cache_dir)
    model.load(args.model, "cpu", cache_dir / "models")  # convert once, before any round
    started_server = None
    if args.server:
        config = ServerConfig(args.server, model=args.server_model, token_timeout_s=600)
    else:
        from llama_server import API_KEY, LlamaServer

        started_server = LlamaServer(gguf, cache_dir / "llama.log",
                                     interrupt=args.interrupt_requests)
        config = ServerConfig(started_server.url, api_key=API_KEY, token_timeout_s=600)
    report = {"model": str(gguf), "cpu_count": os.cpu_count(), "rounds": args.rounds,
              "interrupt_requests": args.interrupt_requests,
              "max_new_tokens": args.max_new_tokens, "settings": {}}
    try:
        for clients in args.clients:
            setting = {}
            rounds = [server_round(config, library, questions_for(r, clients),
                                   args.max_new_tokens) for r in range(args.rounds)]
            setting["server"] = median_rounds(rounds)
            if not args.skip_local:
                rounds = [local_round(args.model, cache_dir / "models", questions_for(r, clients),
                                      args.max_new_tokens) for r in range(args.rounds)]
                setting["local"] = median_rounds(rounds)
                setting["server_over_local_total_tokens_per_s"] = round(
                    setting["server"]["tokens_per_s_total"]
                    / max(setting["local"]["tokens_per_s_total"], 1e-9), 2)
            report["settings"][str(clients)] = setting
            print(json.dumps({str(clients): setting}), file=sys.stderr)
    finally:
        if started_server is not None:
            started_server.stop()
        shutil.rmtree(cache_dir, ignore_errors=True)  # a converted model: hundreds of MB
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
