"""The administrator's PIN, typed on a large number pad: the gate out of kiosk mode.

The check itself (scrypt, the growing wait after wrong tries) is ``admin_pin.PinGate``;
the same gate object lives as long as the kiosk, so closing the dialog does not
reset the count of wrong tries.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..admin_pin import MAX_DIGITS, PinGate
from .a11y import describe
from .i18n import Retranslates

KEY_PX = 72  # the number keys: well above the 48 px touch minimum


class PinDialog(Retranslates, QDialog):
    """Asks for the PIN; ``exec()`` is accepted only when the gate lets it in."""

    def __init__(self, gate: PinGate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.gate = gate
        self.setObjectName("pinDialog")
        self.setModal(True)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        self.prompt = QLabel(self, objectName="heading")
        self.prompt.setWordWrap(True)
        self.field = QLineEdit(self)
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setMaxLength(MAX_DIGITS)
        self.field.setMinimumHeight(KEY_PX)
        self.field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.field.returnPressed.connect(self.submit)
        self.message = QLabel(self, objectName="caution")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.prompt)
        layout.addWidget(self.field)
        layout.addWidget(self.message)

        pad = QGridLayout()
        pad.setSpacing(8)
        self.digit_buttons: dict[str, QPushButton] = {}
        for n, digit in enumerate("123456789"):
            pad.addWidget(self._digit(digit), n // 3, n % 3)
        self.clear_button = self._key()
        self.clear_button.clicked.connect(self.field.backspace)
        pad.addWidget(self.clear_button, 3, 0)
        pad.addWidget(self._digit("0"), 3, 1)
        self.ok_button = self._key()
        self.ok_button.setObjectName("primary")
        self.ok_button.clicked.connect(self.submit)
        pad.addWidget(self.ok_button, 3, 2)
        layout.addLayout(pad)

        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = self._key()
        self.cancel_button.clicked.connect(self.reject)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        self.retranslate()
        self._show_wait()

    def _key(self) -> QPushButton:
        button = QPushButton(self)
        button.setMinimumSize(KEY_PX, KEY_PX)
        # The style's layout margins would otherwise eat the grid's gaps.
        button.setAttribute(Qt.WidgetAttribute.WA_LayoutUsesWidgetRect)
        button.setAutoDefault(False)  # Enter in the field submits; no button is default
        return button

    def _digit(self, digit: str) -> QPushButton:
        button = self._key()
        button.setText(digit)
        button.setAccessibleName(digit)
        button.clicked.connect(lambda _=False, d=digit: self.field.insert(d))
        self.digit_buttons[digit] = button
        return button

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        # The window's style sheet polishes the keys to a smaller minimum when the
        # dialog is first shown: size the dialog again so the rows keep their gaps.
        for button in self.findChildren(QPushButton):
            button.setMinimumSize(KEY_PX, KEY_PX)
        super().showEvent(event)
        self._fit()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Staff only"))
        self.prompt.setText(self.tr("Staff only: enter the administrator PIN."))
        describe(self.field, self.tr("Administrator PIN"), self.tr("Digits only"))
        self.clear_button.setText("⌫")
        describe(self.clear_button, self.tr("Delete the last digit"),
                 self.tr("Delete the last digit"))
        self.ok_button.setText(self.tr("OK"))
        describe(self.ok_button, self.tr("Check the PIN"), self.tr("Check the PIN"))
        self.cancel_button.setText(self.tr("Cancel"))
        describe(self.cancel_button, self.tr("Back to CareChat"),
                 self.tr("Back to CareChat without the PIN"))

    def enter(self, pin: str) -> bool:
        """Type ``pin`` and submit it (what the keys do); True if it let the person in."""
        self.field.setText(pin)
        self.submit()
        return self.result() == QDialog.DialogCode.Accepted

    def submit(self) -> None:
        attempt = self.gate.attempt(self.field.text())
        self.field.clear()
        if attempt.ok:
            self.accept()
            return
        if attempt.wait_s > 0:
            self._show_wait(attempt.wait_s)
        else:
            self._say(self.tr("That PIN is not right. Tries left before a wait: {n}.")
                      .format(n=attempt.tries_left))

    def _show_wait(self, wait_s: float | None = None) -> None:
        wait_s = self.gate.wait_s() if wait_s is None else wait_s
        if wait_s > 0:
            self._say(self.tr("Too many wrong PINs. Try again in {seconds} seconds.")
                      .format(seconds=math.ceil(wait_s)))

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self._fit()  # room for the message without squeezing the keys

    def _fit(self) -> None:
        # Not adjustSize(): it stops at two thirds of the screen's height.
        self.resize(self.size().expandedTo(self.sizeHint()))


class AdminDialog(Retranslates, QDialog):
    """What staff came to do, once the PIN let them in."""

    LEAVE, SETTINGS = "leave", "settings"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModal(True)
        self.chosen = ""
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        self.heading = QLabel(self, objectName="heading")
        layout.addWidget(self.heading)
        self.leave_button = self._choice(self.LEAVE)
        self.settings_button = self._choice(self.SETTINGS)
        self.back_button = QPushButton(self)
        self.back_button.setMinimumHeight(KEY_PX)
        self.back_button.clicked.connect(self.reject)
        for button in (self.leave_button, self.settings_button, self.back_button):
            layout.addWidget(button)
        self.retranslate()

    def _choice(self, name: str) -> QPushButton:
        button = QPushButton(self)
        button.setMinimumHeight(KEY_PX)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _=False: self.choose(name))
        return button

    def choose(self, name: str) -> None:
        self.chosen = name
        self.accept()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Staff only"))
        self.heading.setText(self.tr("What would you like to do?"))
        self.leave_button.setText(self.tr("Leave kiosk mode and close CareChat"))
        describe(self.leave_button, self.tr("Leave kiosk mode"),
                 self.tr("Clear the visit and close CareChat"))
        self.settings_button.setText(self.tr("Settings (until CareChat restarts)"))
        describe(self.settings_button, self.tr("Settings"),
                 self.tr("Model, device, answer length and look, for this run of the kiosk"))
        self.back_button.setText(self.tr("Back to the kiosk"))
        describe(self.back_button, self.tr("Back to the kiosk"), self.tr("Back to the kiosk"))
