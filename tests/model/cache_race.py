"""One of two CareChats starting at once on the same GGUF file (test_loader.py runs two).

    python cache_race.py GGUF CACHE TINY_MODEL SIGNALS [--no-lock]

Conversion is the tiny model's folder instead of a real GGUF's; it waits until the
other process is either waiting for the lock or converting too (--no-lock), so
the two really overlap however the machine schedules them. Prints one JSON line.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import model  # noqa: E402
from model import convert, loader  # noqa: E402

gguf, cache, tiny, signals = (Path(arg) for arg in sys.argv[1:5])
no_lock = "--no-lock" in sys.argv[5:]
me = str(os.getpid())


def wait_for(condition, limit_s: float = 60.0) -> None:
    # A bound, not a timing assertion: the test fails on the counts instead.
    deadline = time.monotonic() + limit_s
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)


def fake_convert(source):
    (signals / f"converting-{me}").touch()
    if no_lock:
        wait_for(lambda: len(list(signals.glob("converting-*"))) == 2)
    else:
        wait_for(lambda: any(signals.glob("waiting-*")))
    return loader.load_folder(tiny)


@contextlib.contextmanager
def no_locking(folder, on_wait=None, timeout=None):
    yield False


def progress(message: str) -> None:
    if message.startswith("Another CareChat is preparing"):
        (signals / f"waiting-{me}").touch()


convert.convert_gguf = fake_convert
if no_lock:
    convert.preparing = no_locking
(signals / f"ready-{me}").touch()
wait_for(lambda: (signals / "go").exists())
engine = model.load(str(gguf), device="cpu", cache_dir=cache, progress=progress)
answer = "".join(engine.stream([{"role": "user", "content": "What is asthma?"}],
                               max_new_tokens=6))
print(json.dumps({"loaded_from": engine.info.loaded_from, "answer": answer,
                  "notice": engine.info.notice}))
