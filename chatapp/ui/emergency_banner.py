"""The unmissable emergency banner: large, high contrast, with the number to call."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..safety import Number, kiosk_line
from .read_aloud import ListenButton, ReadAloud
from .theme import scaled_font

# White on deep red: a contrast ratio well above WCAG AAA's 7:1.
STYLE = """
QFrame#EmergencyBanner { background: #9b0015; border: 3px solid #ffffff; border-radius: 8px; }
QFrame#EmergencyBanner QLabel { color: #ffffff; }
QFrame#EmergencyBanner QPushButton {
    background: #ffffff; color: #9b0015; font-weight: bold; padding: 8px 16px;
    border-radius: 6px; min-height: 44px;
}
"""


class EmergencyBanner(QFrame):
    def __init__(self, kiosk: bool = False, parent: QWidget | None = None,
                 read_aloud: ReadAloud | None = None) -> None:
        super().__init__(parent)
        self.kiosk = kiosk
        self.language = "en"
        self.setObjectName("EmergencyBanner")
        self.setStyleSheet(STYLE)
        self.setAccessibleName(self.tr("Emergency"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)

        # Sizes are set here and again by the window's style sheet (theme.py), which
        # scales them with the patient's text size.
        self.title = QLabel(self, objectName="emergencyTitle")
        self.title.setFont(scaled_font(self.font(), 1.7, bold=True))
        self.numbers = QLabel(self, objectName="emergencyNumbers")
        self.numbers.setFont(scaled_font(self.font(), 2.2, bold=True))
        self.numbers.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = QLabel(self, objectName="emergencyMessage")
        self.message.setWordWrap(True)
        self.message.setFont(scaled_font(self.font(), 1.15))
        self.front_desk = QLabel(self, objectName="emergencyFrontDesk")
        self.front_desk.setFont(scaled_font(self.font(), 1.4, bold=True))

        self.close_button = QPushButton(self.tr("I understand"), self)
        self.close_button.setAccessibleName(self.tr("Close the emergency notice"))
        self.close_button.setToolTip(self.tr("Hide this notice. Call for help first."))
        self.close_button.clicked.connect(self.hide)
        row = QHBoxLayout()
        row.addWidget(self.title, stretch=1)
        # Read aloud for a patient who cannot read the notice (read_aloud.py).
        self.listen_button = None
        self.read_aloud = read_aloud
        if read_aloud is not None:
            self.listen_button = ListenButton(read_aloud, "emergency", self.spoken, self)
            row.addWidget(self.listen_button, alignment=Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.close_button, alignment=Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)
        for label in (self.numbers, self.front_desk, self.message):
            layout.addWidget(label)
        self.hide()

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if self.read_aloud is not None and self.read_aloud.reading() == "emergency":
            self.read_aloud.stop()  # "I understand", or the conversation cleared
        super().hideEvent(event)

    def spoken(self) -> tuple[str, str]:
        """The notice as it is read aloud: the title, whom to call, then the rest."""
        lines = [self.title.text(), self.numbers.text(),
                 self.front_desk.text() if self.kiosk else "", self.message.text()]
        return "\n\n".join(line for line in lines if line), self.language

    def show_emergency(
        self, title: str, message: str, numbers: tuple[Number, ...], language: str = "en"
    ) -> None:
        self.language = language
        self.title.setText(title)
        self.message.setText(message)
        self.numbers.setText(
            "   ".join(self.tr("Call {number}").format(number=n.number) for n in numbers)
            or self.tr("Call your local emergency number")
        )
        self.numbers.setToolTip("\n".join(f"{n.number}: {n.label}" for n in numbers))
        self.front_desk.setText(kiosk_line(language) if self.kiosk else "")
        self.front_desk.setVisible(self.kiosk)
        self.setAccessibleDescription(f"{title}. {self.numbers.text()}. {message}")
        self.show()
