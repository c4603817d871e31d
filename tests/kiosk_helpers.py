"""A kiosk window for UI tests: the PIN set, started on the tiny model, tiles shown."""

from __future__ import annotations

from pathlib import Path

from chatapp import admin_pin
from chatapp.config import load_settings
from chatapp.kiosk_config import KioskConfig
from chatapp.ui import KioskWindow

PIN = "4071"
TIMEOUT_MS = 60_000


def started_kiosk(qtbot, data_dir: Path, model: Path | str, **config) -> KioskWindow:
    """A kiosk at 1280x900 whose model is ready and whose topic tiles are shown;
    ``config``: KioskConfig fields. Close it with ``close_kiosk``."""
    admin_pin.set_pin(data_dir, PIN)
    win = KioskWindow(load_settings(data_dir, str(model), "cpu"), KioskConfig(**config))
    qtbot.addWidget(win, before_close_func=lambda w: w.allow_close())
    win.resize(1280, 900)
    win.show()
    with qtbot.waitSignal(win.controller.ready, timeout=TIMEOUT_MS):
        win.start()
    qtbot.waitUntil(lambda: bool(win.welcome.tile_buttons), timeout=TIMEOUT_MS)
    return win


def close_kiosk(win: KioskWindow) -> None:
    win.allow_close()
    win.close()
