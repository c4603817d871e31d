"""Can the speech engine be reached? Run as a child process before the first Listen.

speech-dispatcher (Linux) runs as a daemon; one that is stuck makes Qt's engine
hang while it connects, in the UI thread and holding Python's lock, which would
freeze the window. Making the engine once in a child process first, with a time
limit (``ReadAloud``), finds that out without the window waiting.

Exit status 0: the engine started; 1: it reported an error (printed).
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtTextToSpeech import QTextToSpeech

    QCoreApplication(argv[:1])
    name = argv[1] if len(argv) > 1 else ""
    tts = QTextToSpeech(name) if name else QTextToSpeech()
    if tts.state() == QTextToSpeech.State.Error:
        print(tts.errorString() or "the speech engine did not start")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
