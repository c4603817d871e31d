"""Taking back what CareChat put on the clipboard (the end of a kiosk visit, a locked
profile), and only that: another program's clipboard is not ours to clear."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QClipboard, QGuiApplication


def clear_ours(also: Callable[[QClipboard.Mode], bool] = lambda _mode: False) -> None:
    """Clear the clipboard and the selection where CareChat owns them, or where
    ``also(mode)`` says the text there is CareChat's (where ownership is not known)."""
    clipboard = QGuiApplication.clipboard()
    for mode, owns in ((QClipboard.Mode.Clipboard, clipboard.ownsClipboard()),
                       (QClipboard.Mode.Selection, clipboard.ownsSelection())):
        if owns or also(mode):
            clipboard.clear(mode)
