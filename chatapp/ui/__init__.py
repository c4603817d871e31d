"""The Qt interface: the only place, with ``chatapp/worker.py``, that imports Qt."""

from .app import run_gui
from .kiosk_window import KioskWindow
from .main_window import MainWindow
from .token_buffer import TokenBuffer

__all__ = ["KioskWindow", "MainWindow", "TokenBuffer", "run_gui"]
