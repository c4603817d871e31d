"""Screenshots of the real window on the built-in model, for people to look at.

    xvfb-run -a -s "-screen 0 1280x900x24" .venv/bin/python benchmarks/screenshots.py OUT_DIR

(``make screenshots`` runs exactly this.) Writes light, dark, high-contrast, Chinese,
200% text, health-topics (basic and advanced) and mid-stream PNGs, then the kiosk
(``kiosk-*.png``): the welcome screen in English and Chinese (with its questions
to tap), the pinyin candidate bar of a Chinese visit, a visit with the
on-screen keyboard, the idle countdown and the staff PIN pad. The answers are the
model's own, asked live.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from chatapp.config import load_settings  # noqa: E402
from chatapp.kiosk_config import KioskConfig  # noqa: E402
from chatapp.ui import KioskWindow, MainWindow  # noqa: E402
from chatapp.ui.pin_dialog import PinDialog  # noqa: E402

QUESTION = "What is high blood pressure and how can I lower it?"
FOLLOW_UP = "Which foods are good for my heart?"
BORDERLINE = "I burned my hand on the oven and it has a blister, what should I put on it?"
LEARNED_EMERGENCY = ("my little boy put one of those flat round remote control batteries "
                     "in his mouth and now I cant find it")


def wait_for(signal, timeout_ms: int = 300_000) -> list:
    loop = QEventLoop()
    got: list = []
    fired: list[bool] = []
    signal.connect(lambda *args: (got.extend(args), fired.append(True), loop.quit()))
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    if not fired:
        raise TimeoutError(f"no {signal} within {timeout_ms} ms")
    return got


def wait_until(predicate, timeout_ms: int = 300_000) -> None:
    waited = 0
    while not predicate():
        settle(50)
        waited += 50
        if waited > timeout_ms:
            raise TimeoutError("the window never got there")


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--data-dir", type=Path, default=Path(".cache/screenshots-data"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    # A fresh history each run; the converted model is kept between runs.
    (args.data_dir / "carechat.db").unlink(missing_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    win = MainWindow(load_settings(args.data_dir, language="en"))
    win.resize(1200, 820)
    win.show()
    win.start()
    wait_for(win.controller.ready)

    def shot(name: str) -> None:
        settle()
        path = args.out / f"{name}.png"
        win.grab().save(str(path))
        print(path)

    def ask(question: str) -> None:
        win.composer.setPlainText(question)
        win.send()

    ask(QUESTION)
    wait_for(win.controller.finished)
    shot("light")
    win.apply_preferences(replace(win.preferences, theme="dark", language="en"))
    shot("dark")
    win.apply_preferences(replace(win.preferences, theme="high_contrast", language="en"))
    shot("high-contrast")
    win.apply_preferences(replace(win.preferences, theme="light", language="zh"))
    shot("zh")
    win.apply_preferences(replace(win.preferences, theme="light", language="en"))
    win.set_text_scale(2.0)
    shot("text-200")
    win.set_text_scale(1.0)
    win.open_topic("high-blood-pressure")
    shot("topics")
    win.topics.set_level("advanced")  # the same article for a confident reader
    shot("topics-advanced")
    win.topics.set_level("basic")
    win.tabs.setCurrentIndex(0)
    ask(FOLLOW_UP)
    # Part of the answer, not all of it.
    wait_until(lambda: win.turn is None or len(win.turn.text) > 200)
    shot("streaming")
    if win.turn is not None:
        win.stop()
        wait_for(win.controller.finished)
    # Close to an emergency, by the learned screen: the answer starts with the signs.
    ask(BORDERLINE)
    wait_for(win.controller.finished)
    shot("borderline")
    # An emergency no rule knows: the learned screen raises the banner.
    ask(LEARNED_EMERGENCY)
    wait_for(win.controller.finished)
    shot("emergency-learned")
    win.apply_preferences(replace(win.preferences, theme="system"))
    win.close()
    app.processEvents()
    kiosk_shots(args.data_dir, args.out)
    return 0


def kiosk_shots(data_dir: Path, out: Path) -> None:
    win = KioskWindow(load_settings(data_dir, language="en"), KioskConfig(),
                      printer=lambda *_args, **_options: None)
    win.resize(1280, 900)
    win.show()
    win.start()
    wait_for(win.controller.ready)
    wait_until(lambda: bool(win.welcome.tile_buttons))

    def shot(name: str, widget=None) -> None:
        settle()
        path = out / f"kiosk-{name}.png"
        (widget or win).grab().save(str(path))
        print(path)

    shot("welcome")
    win.choose_language("zh")
    shot("welcome-zh")  # with its questions to tap
    win.begin_visit()  # a Chinese visit: the keyboard types pinyin
    settle()  # the keyboard attaches to the question box as it gets the focus
    for key in "gaoxueya":
        win.keyboard.press(key)
    shot("pinyin-zh")
    win.end_visit("done")
    win.choose_language("en")
    win.begin_visit()
    win.composer.setPlainText("How can I sleep better?")
    win.send()
    wait_for(win.controller.finished)
    win.composer.setFocus()
    for key in "is it ok":
        win.keyboard.press("SPACE" if key == " " else key)
    shot("visit")
    win.idle.set_times(100, 15_000)
    wait_for(win.idle.warned)
    shot("countdown")
    win.end_visit("idle")
    pad = PinDialog(win.gate, win)
    pad.show()
    pad.enter("1111")
    shot("pin", pad)
    pad.close()
    win.allow_close()
    win.close()
    QApplication.processEvents()


if __name__ == "__main__":
    raise SystemExit(main())
