"""Merge a burst of streamed tokens into one repaint about every 30 ms."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

REPAINT_INTERVAL_MS = 30


class TokenBuffer(QObject):
    """``push`` text as often as it comes; ``flushed`` fires at most once per interval.

    Like qutebrowser's Throttle: the first push starts a single-shot timer, and
    everything pushed until it fires goes out in one piece.
    """

    flushed = Signal(str)

    def __init__(self, interval_ms: int = REPAINT_INTERVAL_MS, parent: QObject | None = None):
        super().__init__(parent)
        self._pending: list[str] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.flush)

    def push(self, text: str) -> None:
        self._pending.append(text)
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        self._timer.stop()
        if self._pending:
            text = "".join(self._pending)
            self._pending.clear()
            self.flushed.emit(text)
