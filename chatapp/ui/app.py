"""Start the Qt application and the main window."""

from __future__ import annotations

import sys

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
    return app.exec()
