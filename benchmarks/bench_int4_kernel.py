"""Where a decode step's time goes: torch's matrix kernels on one layer's shapes.

    .venv/bin/python benchmarks/bench_int4_kernel.py [--threads 2] [--rows 17920 --cols 1536]

Prints one JSON object: milliseconds per call (median of 5 rounds of
``--calls``) of torch's 4-bit kernel (``_weight_int4pack_mm_for_cpu``, the one
CareChat's CPU loop uses) at group sizes 32, 64 and 128 and for 1, 2, 4 and 8
input rows, and of the 8-bit alternatives torch has (``_weight_int8pack_mm``,
``_int_mm``), on random weights of one matrix's shape (default: Qwen2.5 1.5B's
fused gate and up projection). Each figure has the ratio to the 4-bit kernel's
single row at group 32 (the decode step's case) beside it, so a noisy machine
still shows which is faster. RESULTS.md ("Why the 1.5B decodes at llama.cpp's
pace, not past it") reads these figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import torch


def per_call_ms(call, calls: int) -> float:
    for _ in range(10):
        call()
    rounds = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(calls):
            call()
        rounds.append((time.perf_counter() - started) / calls * 1000)
    return statistics.median(rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rows", type=int, default=17920, help="output features")
    parser.add_argument("--cols", type=int, default=1536, help="input features")
    parser.add_argument("--calls", type=int, default=100)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    rows, cols = args.rows, args.cols
    codes = torch.randint(0, 16, (rows, cols), dtype=torch.int32)
    packed = torch.ops.aten._convert_weight_to_int4pack_for_cpu(codes, 1)
    figures: dict = {}
    for group in (32, 64, 128):
        scales = torch.randn(cols // group, rows, 2).to(torch.bfloat16)
        for tokens in (1, 2, 4, 8):
            x = torch.randn(tokens, cols).to(torch.bfloat16)
            figures[f"int4_group{group}_rows{tokens}"] = per_call_ms(
                lambda x=x, s=scales, g=group: torch.ops.aten._weight_int4pack_mm_for_cpu(
                    x, packed, g, s), args.calls)
    weight8 = torch.randint(-127, 127, (rows, cols), dtype=torch.int8)
    x16 = torch.randn(1, cols).to(torch.bfloat16)
    scale8 = torch.ones(rows, dtype=torch.bfloat16)
    figures["int8_weight_only_rows1"] = per_call_ms(
        lambda: torch.ops.aten._weight_int8pack_mm(x16, weight8, scale8), args.calls)
    x8 = torch.randint(-127, 127, (1, cols), dtype=torch.int8)
    weight8_t = weight8.t().contiguous()
    figures["int8_both_rows1"] = per_call_ms(lambda: torch._int_mm(x8, weight8_t), args.calls)
    base = figures["int4_group32_rows1"]
    print(json.dumps({
        "benchmark": "matrix kernels", "threads": args.threads, "shape": [rows, cols],
        "torch": torch.__version__,
        "ms_per_call": {k: round(v, 4) for k, v in figures.items()},
        "ratio_to_int4_group32_rows1": {k: round(v / base, 2) for k, v in figures.items()},
        "int4_gmac_per_s_rows1": round(rows * cols / base / 1e6, 1),
    }, indent=2))


if __name__ == "__main__":
    main()
