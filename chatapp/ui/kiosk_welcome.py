"""The kiosk's first screen: choose a language, tap a question or a topic, or start asking.

Everything here is a large button. Topic tiles open a library article straight
away, without the model, so a visitor can read while the model is still loading.
Question buttons (the tile topics' common questions) ask one through the normal
turn, so a visitor can ask without typing at all.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from .a11y import describe
from .i18n import Retranslates
from .question_buttons import QuestionButtons

TILE_PX = 96  # topic tiles: twice the 48 px touch minimum, room for two lines
BUTTON_PX = 72
TILE_COLUMNS = 4
# Each language is named in itself, so a visitor finds their own whatever is showing.
LANGUAGE_NAMES = (("en", "English"), ("zh", "中文"))


class KioskWelcome(Retranslates, QWidget):
    language_chosen = Signal(str)
    ask_chosen = Signal()
    topic_chosen = Signal(str)  # article id
    question_chosen = Signal(str)  # a question to ask, tapped

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kioskWelcome")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 36, 48, 36)
        layout.setSpacing(18)

        self.title = QLabel(self, objectName="welcomeTitle")
        self.title.setWordWrap(True)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)

        languages = QHBoxLayout()
        self.language_label = QLabel(self)
        languages.addWidget(self.language_label)
        self.language_group = QButtonGroup(self)
        self.language_buttons: dict[str, QPushButton] = {}
        for code, name in LANGUAGE_NAMES:
            button = QPushButton(name, self)
            button.setCheckable(True)
            button.setMinimumSize(BUTTON_PX * 2, BUTTON_PX)
            button.setAccessibleName(name)
            button.clicked.connect(lambda _=False, c=code: self.language_chosen.emit(c))
            self.language_group.addButton(button)
            self.language_buttons[code] = button
            languages.addWidget(button)
        languages.addStretch(1)
        layout.addLayout(languages)

        self.ask_button = QPushButton(self, objectName="primary")
        self.ask_button.setMinimumHeight(BUTTON_PX)
        self.ask_button.clicked.connect(self.ask_chosen)
        layout.addWidget(self.ask_button)

        self.questions = QuestionButtons(self)
        self.questions.target_px = BUTTON_PX
        self.questions.asked.connect(self.question_chosen)
        layout.addWidget(self.questions)

        self.topics_label = QLabel(self, objectName="heading")
        layout.addWidget(self.topics_label)
        self.tiles_box = QWidget(self)
        self.tiles = QGridLayout(self.tiles_box)
        self.tiles.setContentsMargins(0, 0, 0, 0)
        self.tiles.setSpacing(12)
        self.tile_buttons: dict[str, QPushButton] = {}
        layout.addWidget(self.tiles_box)
        self.waiting = QLabel(self, objectName="muted")
        layout.addWidget(self.waiting)
        layout.addStretch(1)

        self.caution = QLabel(self, objectName="caution")
        self.caution.setWordWrap(True)
        layout.addWidget(self.caution)
        self.show_language(language)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Welcome to CareChat"))
        self.intro.setText(self.tr(
            "Ask a health question in your own words, or tap a topic to read about it. "
            "Nothing you ask is kept: when you are done, everything is cleared."))
        self.language_label.setText(self.tr("Language:"))
        self.ask_button.setText(self.tr("Ask a question"))
        describe(self.ask_button, self.tr("Ask a question"),
                 self.tr("Start asking CareChat your health questions"))
        self.topics_label.setText(self.tr("Or read about a topic"))
        self.waiting.setText(self.tr("The health topics are loading…"))
        self.caution.setText(self.tr(
            "CareChat gives general health information, not medical advice. "
            "If you feel very unwell, tell the front desk now."))

    def show_language(self, language: str) -> None:
        button = self.language_buttons.get(language)
        if button is not None:
            button.setChecked(True)

    def set_questions(self, questions: Sequence[str]) -> None:
        """The questions to ask with one tap (none: the row is hidden)."""
        self.questions.show_questions(self.tr("Or tap a question to ask it:"), questions)

    def set_topics(self, topics: Sequence[tuple[str, str]]) -> None:
        """The tiles: (article id, title) in the order given."""
        for button in self.tile_buttons.values():
            self.tiles.removeWidget(button)
            button.deleteLater()
        self.tile_buttons = {}
        for n, (article_id, title) in enumerate(topics):
            button = QPushButton(title, self.tiles_box, objectName="topicTile")
            button.setMinimumHeight(TILE_PX)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            describe(button, title, self.tr("Read about {topic}").format(topic=title))
            button.clicked.connect(lambda _=False, a=article_id: self.topic_chosen.emit(a))
            self.tiles.addWidget(button, n // TILE_COLUMNS, n % TILE_COLUMNS)
            self.tile_buttons[article_id] = button
        self.waiting.setVisible(not topics)
        self.tiles_box.setVisible(bool(topics))
        self.tiles.setAlignment(Qt.AlignmentFlag.AlignTop)
