"""Guards against a broken Qt binding: PySide6 6.12.0 aborts Python 3.11 mid-session."""

from __future__ import annotations

import sys

from PySide6.QtGui import QImage, QPainter


def test_qt_calls_that_return_nothing_keep_nones_references(qapp) -> None:
    # PySide6 6.12.0 drops one reference to None on each such call; after some
    # tens of thousands (a few long answers' worth of painting) Python aborts
    # with "deallocating None". pyproject.toml keeps that version out.
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    before = sys.getrefcount(None)
    for _ in range(1000):
        painter.save()
        painter.restore()
    painter.end()
    assert sys.getrefcount(None) >= before - 50  # 6.12.0 loses 2,000 here
