"""Every dialog a window shows goes through four methods, which tests replace."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget


class Dialogs(Protocol):
    """What a part of the window may ask the person (``DialogSeams`` on the window)."""

    def run_dialog(self, dialog: QDialog) -> bool: ...

    def confirm(self, title: str, text: str) -> bool: ...

    def ask_text(self, title: str, label: str, text: str) -> str | None: ...

    def ask_save_path(self, title: str, name: str, kinds: str) -> str: ...


class DialogSeams:
    """``Dialogs`` for a window, shown over it and waited for.

    A test replaces one on the window (``window.run_dialog = choose``); the parts
    look them up on the window each time, so the replacement is what they call.
    """

    def run_dialog(self: QWidget, dialog: QDialog) -> bool:
        """Show a dialog and wait; True when it was accepted."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def confirm(self: QWidget, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self, title, text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def ask_text(self: QWidget, title: str, label: str, text: str) -> str | None:
        value, ok = QInputDialog.getText(self, title, label, QLineEdit.EchoMode.Normal, text)
        return value if ok else None

    def ask_save_path(self: QWidget, title: str, name: str, kinds: str) -> str:
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        path, _kind = QFileDialog.getSaveFileName(self, title, f"{folder}/{name}", kinds)
        return path
