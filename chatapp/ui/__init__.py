"""The Qt interface: the only place, with ``chatapp/worker.py``, that imports Qt."""

from .app import run_gui
from .main_window import MainWindow
from .token_buffer import TokenBuffer

__all__ = ["MainWindow", "TokenBuffer", "run_gui"]
