"""Start the Qt application and the main window (or the kiosk)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from ..config import Settings
from ..kiosk_config import KioskConfig
from .kiosk_window import KioskWindow
from .main_window import MainWindow


def run_gui(settings: Settings, kiosk: KioskConfig | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("CareChat")
    app.setApplicationDisplayName("CareChat")
    if kiosk is not None:
        window = KioskWindow(settings, kiosk)
        window.showFullScreen()
        window.start()
        return app.exec()
    window = MainWindow(settings)
    window.show()
    window.start()
    if window.reading_level.needs_screener():
        # After the first paint: the window is there behind the short questions.
        QTimer.singleShot(0, window.reading_level.open_screener)
    return app.exec()
