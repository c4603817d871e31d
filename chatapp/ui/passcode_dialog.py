"""A profile's passcode: the dialog that opens a locked profile, and the one that sets,
changes or removes the passcode (storage/protection.py does the work).

Wrong passcodes meet ``try_gate.TryGate``'s growing wait, as the kiosk's PIN pad
does; the gate belongs to the window, so closing the dialog does not reset it.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..storage.vault import PasscodeError, check_passcode
from ..try_gate import TryGate
from .a11y import MIN_TARGET_PX, describe
from .i18n import Retranslates


def _secret_field(parent: QWidget) -> QLineEdit:
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMinimumHeight(MIN_TARGET_PX)
    return field


class UnlockDialog(Retranslates, QDialog):
    """Asks for ``name``'s passcode; accepted only when ``gate`` lets it in."""

    def __init__(self, name: str, gate: TryGate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.gate = gate
        self.setModal(True)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        self.prompt = QLabel(self, objectName="heading")
        self.prompt.setWordWrap(True)
        self.field = _secret_field(self)
        self.field.returnPressed.connect(self.submit)
        self.message = QLabel(self, objectName="caution")
        self.message.setWordWrap(True)
        self.message.hide()
        self.forgotten = QLabel(self, objectName="muted")
        self.forgotten.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        # ActionRole: the box must not accept by itself; the gate decides.
        self.unlock_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.unlock_button.setDefault(True)
        self.cancel_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.unlock_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        for widget in (self.prompt, self.field, self.message, self.forgotten, self.buttons):
            layout.addWidget(widget)
        self._ticker = QTimer(self, interval=1000)
        self._ticker.timeout.connect(self._show_wait)
        self.retranslate()
        self._show_wait()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Protected profile"))
        self.prompt.setText(self.tr("“{name}” is protected. Type its passcode to open it.")
                            .format(name=self.name))
        describe(self.field, self.tr("Passcode"), self.tr("The profile's passcode"))
        self.forgotten.setText(self.tr(
            "Forgot it? Nobody can recover this profile's conversations without the "
            "passcode. The profile can still be erased with “carechat erase --profile”."))
        self.unlock_button.setText(self.tr("Unlock"))
        self.cancel_button.setText(self.tr("Cancel"))

    def enter(self, passcode: str) -> bool:
        """Type ``passcode`` and submit it; True if it opened the profile."""
        self.field.setText(passcode)
        self.submit()
        return self.result() == QDialog.DialogCode.Accepted

    def submit(self) -> None:
        attempt = self.gate.attempt(self.field.text())
        self.field.clear()
        if attempt.ok:
            self._ticker.stop()
            self.accept()
        elif attempt.wait_s > 0:
            self._show_wait()
        else:
            self._say(self.tr("That passcode is not right. Tries left before a wait: {n}.")
                      .format(n=attempt.tries_left))

    def _show_wait(self) -> None:
        wait_s = self.gate.wait_s()
        self.unlock_button.setEnabled(wait_s <= 0)
        self.field.setEnabled(wait_s <= 0)
        if wait_s > 0:
            self._say(self.tr("Too many wrong passcodes. Try again in {seconds} seconds.")
                      .format(seconds=math.ceil(wait_s)))
            self._ticker.start()
        else:
            self._ticker.stop()
            self.field.setFocus()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        _fit(self)
        _fit(self)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        _fit(self)


def _fit(dialog: QDialog) -> None:
    """Room for wrapped text that was just shown (adjustSize stops at 2/3 of the screen)."""
    dialog.layout().activate()
    dialog.resize(dialog.size().expandedTo(dialog.sizeHint()))


class PasscodeDialog(Retranslates, QDialog):
    """Set a passcode for ``name`` (``protected`` False), or change or remove it.

    After ``exec()``: ``action`` is "set", "change" or "remove"; ``current`` and
    ``new`` hold what was typed.
    """

    def __init__(self, name: str, protected: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.protected = protected
        self.action = ""
        self.setModal(True)
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.warning = QLabel(self, objectName="caution")
        self.warning.setWordWrap(True)
        layout.addWidget(self.warning)
        form = QFormLayout()
        self.current = _secret_field(self)
        self.new = _secret_field(self)
        self.again = _secret_field(self)
        self.current_label, self.new_label, self.again_label = QLabel(self), QLabel(self), \
            QLabel(self)
        if protected:
            form.addRow(self.current_label, self.current)
        form.addRow(self.new_label, self.new)
        form.addRow(self.again_label, self.again)
        layout.addLayout(form)
        self.message = QLabel(self, objectName="caution")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.setDefault(True)
        self.remove_button: QPushButton | None = None
        if protected:
            self.remove_button = self.buttons.addButton(
                "", QDialogButtonBox.ButtonRole.DestructiveRole)
            self.remove_button.clicked.connect(self.remove)
        self.cancel_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Passcode for “{name}”").format(name=self.name))
        self.warning.setText(self.tr(
            "A passcode encrypts this profile's conversations on this computer, and "
            "CareChat asks for it to open them. If you forget it, nobody can recover "
            "them: not CareChat, not your clinic. The profile can still be erased."))
        self.current_label.setText(self.tr("Current passcode:"))
        self.new_label.setText(self.tr("New passcode:"))
        self.again_label.setText(self.tr("The same again:"))
        describe(self.current, self.tr("Current passcode"), self.tr("The passcode it has now"))
        describe(self.new, self.tr("New passcode"),
                 self.tr("At least 4 characters; a few words are easier to remember"))
        describe(self.again, self.tr("New passcode again"), self.tr("Type it once more"))
        self.save_button.setText(self.tr("Change passcode") if self.protected
                                 else self.tr("Protect with this passcode"))
        if self.remove_button is not None:
            self.remove_button.setText(self.tr("Remove the passcode"))
        self.cancel_button.setText(self.tr("Cancel"))

    def save(self) -> None:
        if self.new.text() != self.again.text():
            self._say(self.tr("The two new passcodes differ."))
            return
        try:
            check_passcode(self.new.text())
        except PasscodeError:
            self._say(self.tr("A passcode needs at least 4 characters."))
            return
        self.action = "change" if self.protected else "set"
        self.accept()

    def remove(self) -> None:
        self.action = "remove"
        self.accept()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        _fit(self)
