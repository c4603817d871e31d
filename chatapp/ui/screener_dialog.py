"""The reading screener (first start, profile menu) and the reading-level picker.

All the questions are on one scrollable page rather than one per page: there are
only three, so the patient sees at once how short it is, can answer in any order,
and has no Next/Back steps to learn; a screen reader reads it top to bottom.
The language question comes first, and the page switches to the chosen
language at once (the questions, options and introduction come from
``resources/literacy/screener_<language>.toml``). The dialog's own buttons and
notes are Qt translations and follow the application's language; connect
``language_chosen`` to ``i18n.install_language`` to switch those as well.

Unanswered questions count as skipped, and "Skip" skips them all: both give
``basic`` (``chatapp.literacy.score``). Closing the dialog is a skip too.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..literacy import (
    Item,
    Level,
    Preferences,
    Screener,
    ScreenerResult,
    default_preferences,
    load_screener,
    parse_level,
    score,
)
from .a11y import MIN_TARGET_PX, describe
from .i18n import Retranslates

BASE_POINT_SIZE = 12.0  # the window's text size at 100% (main_window.BASE_POINT_SIZE)
NOT_SAYING = 0  # the button id of "I'd rather not say": the item is skipped
# Large answer circles drawn in the theme's own colours (palette roles, no colour of
# its own): the platform's small circle all but vanishes on the dark and
# high-contrast themes. Belongs in theme.style_sheet once the window has radios too.
RADIO_STYLE = """
QRadioButton { spacing: 10px; }
QRadioButton::indicator { width: 20px; height: 20px; border-radius: 12px;
    border: 2px solid palette(text); background: palette(base); }
QRadioButton::indicator:checked { background: palette(highlight);
    border: 2px solid palette(text); }
QRadioButton:focus { background: palette(alternate-base); }
"""

# The picker's and the result page's words for each level: what the patient gets.
LEVEL_NAMES = {
    Level.BASIC: QT_TRANSLATE_NOOP("LevelPicker", "Basic"),
    Level.STANDARD: QT_TRANSLATE_NOOP("LevelPicker", "Standard"),
    Level.ADVANCED: QT_TRANSLATE_NOOP("LevelPicker", "Advanced"),
}
LEVEL_DESCRIPTIONS = {
    Level.BASIC: QT_TRANSLATE_NOOP(
        "LevelPicker", "We'll write answers in short, simple sentences with everyday words."),
    Level.STANDARD: QT_TRANSLATE_NOOP(
        "LevelPicker", "We'll write answers in clear, everyday language and explain any "
                       "medical words."),
    Level.ADVANCED: QT_TRANSLATE_NOOP(
        "LevelPicker", "We'll write answers with more detail and some medical words, each "
                       "one explained."),
}


def level_name(level: Level | str) -> str:
    return QCoreApplication.translate("LevelPicker", LEVEL_NAMES[parse_level(level)])


def level_description(level: Level | str) -> str:
    """The level in plain words: "We'll write answers in short, simple sentences…"."""
    return QCoreApplication.translate("LevelPicker", LEVEL_DESCRIPTIONS[parse_level(level)])



def _label(text: str = "", parent: QWidget | None = None, object_name: str = "") -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    if object_name:
        label.setObjectName(object_name)
    return label


def _first_author(authors: str) -> str:
    first, *others = authors.split(", ")
    return f"{first} et al." if others else first


def _fit_wrapped_text(window: QWidget) -> None:
    # A window is sized before its wrapped labels know their width; at large text
    # sizes they would overlap. Grow it to the height its width needs.
    layout = window.layout()
    layout.activate()
    needed = layout.totalHeightForWidth(window.width())
    if needed > window.height():
        window.resize(window.width(), needed)


def _radio(text: str, parent: QWidget) -> QRadioButton:
    button = QRadioButton(text, parent)
    button.setMinimumHeight(MIN_TARGET_PX)
    return button


class LevelPicker(Retranslates, QWidget):
    """See and change the reading level: three choices, each with what it means."""

    level_changed = Signal(str)  # the level's name: "basic", "standard", "advanced"

    def __init__(self, level: Level | str = Level.BASIC, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(RADIO_STYLE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.group = QButtonGroup(self)
        self.buttons: dict[Level, QRadioButton] = {}
        self.descriptions: dict[Level, QLabel] = {}
        for number, each in enumerate(Level):
            button = _radio("", self)
            button.setObjectName(f"level_{each.value}")
            description = _label("", self, "muted")
            description.setIndent(32)  # under the button's text, not its circle
            description.installEventFilter(self)  # clicking the words chooses too
            self.group.addButton(button, number)
            self.buttons[each] = button
            self.descriptions[each] = description
            layout.addWidget(button)
            layout.addWidget(description)
            layout.addSpacing(6)
        self.set_level(level)
        self.group.idToggled.connect(self._on_toggled)
        self.retranslate()

    def retranslate(self) -> None:
        self.setAccessibleName(self.tr("Reading level"))
        self.setToolTip(self.tr("How CareChat writes its answers for you"))
        for each, button in self.buttons.items():
            button.setText(level_name(each))
            describe(button, self.tr("{level} reading level").format(level=level_name(each)),
                  self.tr("Aim: reading grade {grade} or lower").format(grade=each.grade))
            self.descriptions[each].setText(level_description(each))

    def level(self) -> Level:
        for each, button in self.buttons.items():
            if button.isChecked():
                return each
        return Level.BASIC

    def set_level(self, level: Level | str) -> None:
        self.buttons[parse_level(level)].setChecked(True)

    def _on_toggled(self, number: int, checked: bool) -> None:
        if checked:
            self.level_changed.emit(list(Level)[number].value)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.MouseButtonRelease:
            for each, description in self.descriptions.items():
                if watched is description:
                    self.buttons[each].click()
                    return True
        return super().eventFilter(watched, event)


class LevelDialog(Retranslates, QDialog):
    """The profile menu's "Reading level…": the picker with Save and Cancel."""

    def __init__(self, level: Level | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.intro = _label("", self)
        self.picker = LevelPicker(level, self)
        self.save_button = QPushButton(self, objectName="primary")
        self.cancel_button = QPushButton(self)
        for button in (self.save_button, self.cancel_button):
            button.setMinimumHeight(MIN_TARGET_PX)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.save_button)
        layout.addWidget(self.intro)
        layout.addWidget(self.picker)
        layout.addStretch(1)
        layout.addLayout(row)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Reading level"))
        self.intro.setText(self.tr("Choose how CareChat writes its answers for you. "
                                   "You can change this at any time."))
        self.save_button.setText(self.tr("Save"))
        describe(self.save_button, self.tr("Save the reading level"),
              self.tr("Use this reading level from now on"))
        self.cancel_button.setText(self.tr("Cancel"))
        describe(self.cancel_button, self.tr("Cancel"), self.tr("Close without changing it"))

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        _fit_wrapped_text(self)

    def level(self) -> Level:
        return self.picker.level()


class ScreenerDialog(Retranslates, QDialog):
    """A few questions about reading health information → a reading level, plus
    the patient's language, text size and answer length.

    ``language`` is the screener's language to start with; ``preferences`` (the
    profile's, or the defaults) preset text size and answer length. ``result()``
    is the ``ScreenerResult`` (not QDialog's result code, which ``exec()`` still
    returns).
    """

    completed = Signal(object)  # the ScreenerResult, after Done or Skip
    language_chosen = Signal(str)  # "en" or "zh", as soon as the patient picks it

    def __init__(
        self,
        language: str = "en",
        preferences: Preferences | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._screener: Screener = load_screener(language)
        start = preferences or default_preferences(self._screener)
        self._answers: dict[str, int | None] = {}
        self._preferences = Preferences(language, start.text_size, start.answer_style)
        self._result: ScreenerResult | None = None
        self.setStyleSheet(RADIO_STYLE)
        self.setMinimumSize(560, 480)
        self.resize(760, 800)

        layout = QVBoxLayout(self)
        self.pages = QStackedWidget(self)
        layout.addWidget(self.pages, stretch=1)

        # Page 1: the questions, in a scroll area; the buttons stay in view below it.
        questions_page = QWidget(self.pages)
        questions_layout = QVBoxLayout(questions_page)
        questions_layout.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea(questions_page)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        questions_layout.addWidget(self.scroll, stretch=1)
        self.skip_button = QPushButton(questions_page)
        self.done_button = QPushButton(questions_page, objectName="primary")
        for button in (self.skip_button, self.done_button):
            button.setMinimumHeight(MIN_TARGET_PX)
            button.setAutoDefault(False)  # Enter on an answer must not end the screener
        self.skip_button.clicked.connect(self.skip_all)
        self.done_button.clicked.connect(self.finish)
        row = QHBoxLayout()
        row.addWidget(self.skip_button)
        row.addStretch(1)
        row.addWidget(self.done_button)
        questions_layout.addLayout(row)
        self.pages.addWidget(questions_page)

        # Page 2: the result in plain words.
        result_page = QWidget(self.pages)
        result_layout = QVBoxLayout(result_page)
        result_layout.setContentsMargins(24, 24, 24, 24)
        result_layout.setSpacing(12)
        self.thanks = _label("", result_page, "heading")
        self.level_label = _label("", result_page, "heading")
        self.level_text = _label("", result_page)
        self.chosen = _label("", result_page)
        self.change_later = _label("", result_page, "muted")
        self.back_button = QPushButton(result_page)
        self.close_button = QPushButton(result_page, objectName="primary")
        for button in (self.back_button, self.close_button):
            button.setMinimumHeight(MIN_TARGET_PX)
        self.back_button.setAutoDefault(False)
        self.back_button.clicked.connect(self._back)
        self.close_button.clicked.connect(self.accept)
        result_layout.addStretch(1)
        for widget in (self.thanks, self.level_label, self.level_text, self.chosen,
                       self.change_later):
            result_layout.addWidget(widget)
        result_layout.addStretch(2)
        result_row = QHBoxLayout()
        result_row.addWidget(self.back_button)
        result_row.addStretch(1)
        result_row.addWidget(self.close_button)
        result_layout.addLayout(result_row)
        self.pages.addWidget(result_page)

        self.language_group = QButtonGroup(self)
        self.size_group = QButtonGroup(self)
        self.length_group = QButtonGroup(self)
        self.item_groups: dict[str, QButtonGroup] = {}
        self.language_group.idToggled.connect(self._on_language)
        self.size_group.idToggled.connect(self._on_size)
        self.length_group.idToggled.connect(self._on_length)
        self.retranslate()

    # --- building the questions page --------------------------------------------------
    def retranslate(self) -> None:
        self._build_questions()
        self.skip_button.setText(self._screener.skip_label)
        describe(self.skip_button, self.tr("Skip the questions"),
              self.tr("Skip all the questions. CareChat will write in short, simple "
                      "sentences."))
        self.done_button.setText(self.tr("Done"))
        describe(self.done_button, self.tr("Done"),
              self.tr("Finish. Questions you left out count as skipped."))
        self.back_button.setText(self.tr("Change my answers"))
        describe(self.back_button, self.tr("Change my answers"),
              self.tr("Go back to the questions"))
        self.close_button.setText(self.tr("Close"))
        describe(self.close_button, self.tr("Close"), self.tr("Close and start using CareChat"))
        self._show_result_texts()

    def _build_questions(self) -> None:
        """(Re)build the questions page in the screener's language, keeping the answers."""
        s = self._screener
        self.setWindowTitle(s.title)
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        for group in (self.language_group, self.size_group, self.length_group,
                      *self.item_groups.values()):
            for button in group.buttons():
                group.removeButton(button)
        self.item_groups = {}

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(16, 8, 16, 16)
        layout.setSpacing(14)
        self.title_label = _label(s.title, content, "heading")
        gap = "" if s.language == "zh" else " "  # Chinese sentences are not spaced
        self.intro_label = _label(
            s.intro + gap + self.tr("Your answers stay on this computer."), content)
        layout.addWidget(self.title_label)
        layout.addWidget(self.intro_label)
        if s.translation_note:
            layout.addWidget(_label(s.translation_note, content, "muted"))

        language = s.language_question
        self.language_box = self._choices(
            content, language.question, self.language_group,
            [(i, label) for i, (_, label) in enumerate(language.options)],
            language.values.index(self._preferences.language))
        layout.addWidget(self.language_box)

        for number, item in enumerate(s.items, start=1):
            layout.addWidget(self._item_box(content, item, number, len(s.items)))

        size = s.text_size_question
        sizes = sorted({*range(size.min, size.max + 1, size.step), self._preferences.text_size})
        self.size_preview = _label(self.tr("This is how big the text will be."), content)
        # One size a line, as the other answers: a row of five clips at 200% text.
        self.size_box = self._choices(
            content, size.question, self.size_group,
            [(value, f"{value}%") for value in sizes], self._preferences.text_size)
        self.size_box.layout().addWidget(self.size_preview)
        self._preview_size()
        layout.addWidget(self.size_box)

        length = s.answer_style_question
        self.length_box = self._choices(
            content, length.question, self.length_group,
            [(i, label) for i, (_, label) in enumerate(length.options)],
            length.values.index(self._preferences.answer_style))
        layout.addWidget(self.length_box)
        layout.addStretch(1)

        self.scroll.setWidget(content)
        for item_id, group in self.item_groups.items():
            group.idToggled.connect(
                lambda number, on, key=item_id: self._on_answer(key, number, on))

    def _box(self, parent: QWidget, question: str) -> tuple[QGroupBox, QVBoxLayout]:
        # A group box without a title: the wrapped label shows the question (a box
        # title never wraps), and the box gives screen readers the question.
        box = QGroupBox(parent)
        box.setFlat(True)
        box.setAccessibleName(question)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        return box, layout

    def _choices(self, parent: QWidget, question: str, group: QButtonGroup,
                 options: Iterable[tuple[int, str]], checked: int) -> QGroupBox:
        box, layout = self._box(parent, question)
        layout.addWidget(_label(question, box, "heading"))
        for value, text in options:
            button = _radio(text, box)
            describe(button, text, self.tr("Choose “{option}”").format(option=text))
            group.addButton(button, value)
            layout.addWidget(button)
            if value == checked:
                button.setChecked(True)
        return box

    def _item_box(self, parent: QWidget, item: Item, number: int, total: int) -> QGroupBox:
        box, layout = self._box(parent, item.question)
        counter = _label(self.tr("Question {number} of {total}").format(
            number=number, total=total), box, "muted")
        question = _label(item.question, box, "heading")
        cited = "; ".join(f"{_first_author(src.authors)}, {src.journal} {src.year}"
                          for src in item.sources)
        question.setToolTip(self.tr("Source: {citation}").format(citation=cited))
        layout.addWidget(counter)
        layout.addWidget(question)
        group = QButtonGroup(box)
        answer = self._answers.get(item.id)
        not_saying = self.tr("I'd rather not say")
        for value, text in [*((o.value, o.label) for o in item.options),
                            (NOT_SAYING, not_saying)]:
            button = _radio(text, box)
            tip = (self.tr("Skip this question") if value == NOT_SAYING
                   else self.tr("Choose “{option}”").format(option=text))
            describe(button, text, tip)
            group.addButton(button, value)
            layout.addWidget(button)
            if value == answer:
                button.setChecked(True)
        self.item_groups[item.id] = group
        return box

    # --- answers ----------------------------------------------------------------------
    def _on_answer(self, item_id: str, value: int, checked: bool) -> None:
        if checked:
            self._answers[item_id] = None if value == NOT_SAYING else value

    def _on_language(self, number: int, checked: bool) -> None:
        if not checked:
            return
        language = self._screener.language_question.values[number]
        if language == self._preferences.language:
            return
        self._preferences = Preferences(language, self._preferences.text_size,
                                        self._preferences.answer_style)
        self._screener = load_screener(language)
        # Rebuilt later: the click that chose it is not yet done with the old buttons.
        QTimer.singleShot(0, self._after_language)

    def _after_language(self) -> None:
        self.retranslate()
        self.language_group.button(
            self._screener.language_question.values.index(self._preferences.language)
        ).setFocus(Qt.FocusReason.OtherFocusReason)
        self.language_chosen.emit(self._preferences.language)

    def _on_size(self, value: int, checked: bool) -> None:
        if checked:
            self._preferences = Preferences(self._preferences.language, value,
                                            self._preferences.answer_style)
            self._preview_size()

    def _preview_size(self) -> None:
        # An inline size only: colours still come from the application's style sheet.
        points = BASE_POINT_SIZE * self._preferences.text_size / 100
        self.size_preview.setStyleSheet(f"font-size: {points:.1f}pt;")

    def _on_length(self, number: int, checked: bool) -> None:
        if checked:
            length = self._screener.answer_style_question.values[number]
            self._preferences = Preferences(self._preferences.language,
                                            self._preferences.text_size, length)

    def answers(self) -> dict[str, int | None]:
        """Item id → the chosen option's value, or None where not answered."""
        return {item.id: self._answers.get(item.id) for item in self._screener.items}

    def preferences(self) -> Preferences:
        return self._preferences

    # --- the end ----------------------------------------------------------------------
    def finish(self) -> ScreenerResult:
        """Done: score the answers given (missing ones count as skipped)."""
        return self._complete(score(self._screener, self.answers(), self._preferences))

    def skip_all(self) -> ScreenerResult:
        """Skip: basic, with the preferences as chosen so far."""
        return self._complete(score(self._screener, None, self._preferences))

    def _complete(self, result: ScreenerResult) -> ScreenerResult:
        self._result = result
        self._show_result_texts()
        self.pages.setCurrentIndex(1)
        self.close_button.setDefault(True)
        self.close_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.completed.emit(result)
        return result

    def _show_result_texts(self) -> None:
        level = self._result.level if self._result else Level.BASIC
        self.thanks.setText(self.tr("Thank you."))
        self.level_label.setText(self.tr("Your reading level: {level}").format(
            level=level_name(level)))
        self.level_text.setText(level_description(level))
        prefs = self._result.preferences if self._result else self._preferences
        language = dict(self._screener.language_question.options)[prefs.language]
        length = dict(self._screener.answer_style_question.options)[prefs.answer_style]
        self.chosen.setText(self.tr(
            "Language: {language}. Text size: {size}%. Answers: {length}.").format(
            language=language, size=prefs.text_size, length=length))
        self.change_later.setText(self.tr(
            "You can change these at any time from the profile menu."))
        for label in (self.thanks, self.level_label, self.level_text, self.chosen,
                      self.change_later):
            label.setAccessibleName(label.text())

    def _back(self) -> None:
        self.pages.setCurrentIndex(0)
        self.done_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def result(self) -> ScreenerResult:  # type: ignore[override]
        """The screener's result; until Done or Skip (or when closed), a skip: basic."""
        if self._result is not None:
            return self._result
        return score(self._screener, None, self._preferences)

    def showing_result(self) -> bool:
        return self.pages.currentIndex() == 1
