"""Does the window's event loop stall while an answer streams, or on a 1,000-message chat?

    .venv/bin/python benchmarks/bench_ui.py [--questions 3] [--messages 1000]

A 10 ms QTimer runs in the UI thread; each tick's lateness is an event-loop stall
(the window could not repaint or take input for that long). Measured:
- ``idle``: the loop doing nothing, in this run: the machine's own noise, the baseline;
- ``streaming``: while the built-in model streams answers in the worker thread;
- ``long_chat``: opening a conversation of N messages, then scrolling it end to end.
  The same messages put into one QTextBrowser (the old transcript) is the baseline.
- ``close_during_answer``: closing the window mid-answer (goal: gone within 2 s,
  the partial answer saved as cancelled).
Prints JSON: p50/p99/max stall in ms for each. Goal: streaming p99 under 30 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QEventLoop, QObject, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QTextBrowser  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from chatapp.config import load_settings  # noqa: E402
from chatapp.ui import MainWindow  # noqa: E402

QUESTIONS = [
    "What is high blood pressure?",
    "How can I sleep better at night?",
    "What should I eat to keep my heart healthy?",
    "How do I use an asthma inhaler?",
    "What are the signs of dehydration?",
]
ANSWER = (
    "High blood pressure often has **no signs**. Here is what helps:\n\n"
    "- Eat less salt and more fruit and vegetables.\n"
    "- Move your body most days.\n"
    "- Take your medicine the way your doctor says.\n\n"
    "Ask your doctor or nurse to check your blood pressure. They will tell you what your "
    "numbers mean and what to do next."
)


class StallMeter(QObject):
    """Lateness of a 10 ms precise timer in the UI thread."""

    def __init__(self, interval_ms: int = 10) -> None:
        super().__init__()
        self.interval_ms = interval_ms
        self.stalls: list[float] = []
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._clock = QElapsedTimer()

    def start(self) -> None:
        self.stalls.clear()
        self._clock.start()
        self._timer.start()

    def stop(self) -> list[float]:
        self._timer.stop()
        return list(self.stalls)

    def _tick(self) -> None:
        elapsed = self._clock.nsecsElapsed() / 1e6
        self._clock.restart()
        self.stalls.append(max(0.0, elapsed - self.interval_ms))


def summary(stalls: list[float]) -> dict:
    if not stalls:
        return {"ticks": 0}
    ordered = sorted(stalls)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {"ticks": len(stalls), "p50_ms": round(statistics.median(ordered), 2),
            "p99_ms": round(p99, 2), "max_ms": round(ordered[-1], 2)}


def run_loop(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_for(signal, timeout_ms: int = 600_000) -> list:
    loop = QEventLoop()
    got: list = []

    def done(*args):
        got.extend(args)
        loop.quit()

    signal.connect(done)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(done)
    if not got:
        raise TimeoutError(f"nothing from {signal} in {timeout_ms} ms")
    return got


def bench_streaming(win: MainWindow, meter: StallMeter, questions: int) -> dict:
    stalls, tokens, seconds = [], 0, 0.0
    for question in (QUESTIONS * 2)[:questions]:
        win.new_conversation()
        win.composer.setPlainText(question)
        meter.start()
        began = time.perf_counter()
        win.send()
        result = wait_for(win.controller.finished)[0]
        seconds += time.perf_counter() - began
        stalls += meter.stop()
        tokens += result.generation.tokens
    return {**summary(stalls), "answers": questions, "tokens": tokens,
            "seconds": round(seconds, 1)}


def bench_long_chat(win: MainWindow, meter: StallMeter, messages: int) -> dict:
    store = win.store
    conversation = store.create_conversation(win.profile.id, "Long chat").id
    for i in range(messages // 2):
        store.add_message(conversation, "user", f"Question {i}: what else can I do?")
        store.add_message(conversation, "assistant", ANSWER)
    win.conversations.refresh()

    # Opening: the stall meter runs throughout, so a freeze shows whatever its cause.
    meter.start()
    opened = time.perf_counter()
    win.open_conversation(conversation)
    QApplication.processEvents()  # the list lays itself out and paints once
    open_ms = (time.perf_counter() - opened) * 1000
    run_loop(1000)
    open_stalls = meter.stop()
    bar = win.transcript.verticalScrollBar()
    at_end = bar.value() == bar.maximum()

    bar.setValue(0)
    run_loop(100)
    meter.start()
    scrolled = time.perf_counter()
    step = max(1, bar.pageStep())
    while bar.value() < bar.maximum():
        bar.setValue(bar.value() + step)
        run_loop(16)  # one page per frame: faster than a patient ever scrolls
    scroll_s = time.perf_counter() - scrolled
    stalls = meter.stop()

    # Baseline: the same conversation as one rich-text document (the old transcript).
    browser = QTextBrowser()
    browser.resize(win.transcript.size())
    browser.show()
    text = "\n\n".join(f"**You**\n\nQuestion {i}: what else can I do?\n\n**CareChat**\n\n{ANSWER}"
                       for i in range(messages // 2))
    began = time.perf_counter()
    browser.setMarkdown(text)
    QApplication.processEvents()
    baseline_ms = (time.perf_counter() - began) * 1000
    browser.close()
    return {"messages": messages, "open_ms": round(open_ms, 1),
            "open_stalls": summary(open_stalls), "opened_at_the_newest_message": at_end,
            "baseline_text_browser_open_ms": round(baseline_ms, 1),
            "scroll": {**summary(stalls), "pages": round(bar.maximum() / step),
                       "seconds": round(scroll_s, 1)}}


def bench_close_during_answer(win: MainWindow) -> dict:
    """Close the window mid-answer: how long until it is gone, and what was saved."""
    win.new_conversation()
    win.composer.setPlainText(QUESTIONS[0])
    win.send()
    wait_for(win.controller.token)
    conversation = win.conversation_id
    location = win.store.location
    began = time.perf_counter()
    win.close()
    close_ms = (time.perf_counter() - began) * 1000
    from chatapp.storage import open_store

    store = open_store(location)
    statuses = [m.status for m in store.messages(conversation)]
    store.close()
    return {"close_ms": round(close_ms, 1), "saved_statuses": statuses,
            "goal": {"close_ms_under": 2000}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=3)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--model", default="default")
    parser.add_argument("--data-dir", type=Path, default=REPO / ".cache" / "bench-ui",
                        help="kept between runs for the converted model; history starts empty")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    for leftover in args.data_dir.glob("carechat.db*"):
        leftover.unlink()
    win = MainWindow(load_settings(args.data_dir, args.model, language="en"))
    win.resize(1100, 800)
    win.show()
    meter = StallMeter()
    meter.start()
    run_loop(2000)
    idle = summary(meter.stop())
    began = time.perf_counter()
    win.start()
    wait_for(win.controller.ready)
    report = {
        "idle": idle,
        "model_load_s": round(time.perf_counter() - began, 1),
        "streaming": bench_streaming(win, meter, args.questions),
        "long_chat": bench_long_chat(win, meter, args.messages),
        "goal": {"streaming_p99_ms_under": 30},
    }
    report["close_during_answer"] = bench_close_during_answer(win)
    app.processEvents()
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
