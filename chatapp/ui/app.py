"""Start the Qt application and the main window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from ..config import Settings
from .main_window import MainWindow


def run_gui(settings: Settings) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("CareChat")
    app.setApplicationDisplayName("CareChat")
    window = MainWindow(settings)
    window.show()
    window.start()
    if window.needs_screener():
        # After the first paint: the window is there behind the short questions.
        QTimer.singleShot(0, window.open_screener)
    return app.exec()
