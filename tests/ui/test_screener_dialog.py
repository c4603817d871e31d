"""The reading screener dialog and the level picker, in English and Chinese."""

from __future__ import annotations

import itertools
import re

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import QAbstractButton, QLabel, QRadioButton

from chatapp.literacy import Level, Preferences, load_screener
from chatapp.ui.screener_dialog import (
    MIN_TARGET_PX,
    NOT_SAYING,
    LevelDialog,
    LevelPicker,
    ScreenerDialog,
    level_description,
)

ITEMS = [item.id for item in load_screener("en").items]


def make(qtbot, language: str = "en", preferences: Preferences | None = None) -> ScreenerDialog:
    dialog = ScreenerDialog(language, preferences)
    qtbot.addWidget(dialog)
    return dialog


def click(qtbot, button: QAbstractButton) -> None:
    # Scrolled into view first, as a patient would, so the click lands on it.
    dialog = button.window()
    if isinstance(dialog, ScreenerDialog):
        dialog.scroll.ensureWidgetVisible(button)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def answer(qtbot, dialog: ScreenerDialog, values: dict[str, int]) -> None:
    for item_id, value in values.items():
        click(qtbot, dialog.item_groups[item_id].button(value))


def expected_level(values: tuple[int, ...]) -> Level:
    """The rule of screener_en.toml, written out independently of the code."""
    if any(v >= 3 for v in values):
        return Level.BASIC
    if all(v == 1 for v in values):
        return Level.ADVANCED
    return Level.STANDARD


def label_texts(dialog: ScreenerDialog) -> list[str]:
    return [label.text() for label in dialog.scroll.widget().findChildren(QLabel)]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_item_and_option_is_shown(qtbot, language) -> None:
    screener = load_screener(language)
    dialog = make(qtbot, language)
    dialog.show()
    assert dialog.windowTitle() == screener.title
    texts = label_texts(dialog)
    assert any(screener.intro in text for text in texts)
    assert screener.items
    for item in screener.items:
        assert item.question in texts
        group = dialog.item_groups[item.id]
        shown = [b.text() for b in group.buttons()]
        assert shown[:-1] == [o.label for o in item.options]
        assert group.id(group.buttons()[-1]) == NOT_SAYING
        assert all(not b.isChecked() for b in group.buttons())  # nothing chosen for them
    for question in (screener.language_question, screener.text_size_question,
                     screener.answer_style_question):
        assert question.question in texts
    assert [b.text() for b in dialog.language_group.buttons()] == \
        [label for _, label in screener.language_question.options]
    assert [b.text() for b in dialog.length_group.buttons()] == \
        [label for _, label in screener.answer_style_question.options]
    assert [b.text() for b in dialog.size_group.buttons()] == \
        ["100%", "125%", "150%", "175%", "200%"]
    assert dialog.skip_button.text() == screener.skip_label
    if screener.translation_note:
        assert screener.translation_note in texts


@pytest.mark.parametrize("values", [(1, 1, 1), (2, 1, 1), (1, 2, 2), (2, 2, 2), (3, 1, 1),
                                    (1, 1, 5), (5, 5, 5)])
def test_all_answered_gives_the_expected_level(qtbot, values) -> None:
    dialog = make(qtbot)
    dialog.show()
    answer(qtbot, dialog, dict(zip(ITEMS, values, strict=True)))
    with qtbot.waitSignal(dialog.completed) as done:
        click(qtbot, dialog.done_button)
    result = dialog.result()
    assert done.args == [result]
    assert result.level == expected_level(values)
    assert result.answers == tuple(zip(ITEMS, values, strict=True))
    assert not result.skipped
    assert dialog.showing_result()


def test_every_combination_of_answers_maps_to_its_level(qtbot) -> None:
    dialog = make(qtbot)
    sizes = [len(load_screener("en").item(i).options) for i in ITEMS]
    seen = set()
    for values in itertools.product(*(range(1, n + 1) for n in sizes)):
        for item_id, value in zip(ITEMS, values, strict=True):
            dialog.item_groups[item_id].button(value).setChecked(True)
        assert dialog.finish().level == expected_level(values), values
        seen.add(dialog.result().level)
    assert seen == set(Level)


def test_skip_gives_basic_and_says_so(qtbot) -> None:
    dialog = make(qtbot)
    dialog.show()
    answer(qtbot, dialog, {"sils": 1})
    with qtbot.waitSignal(dialog.completed):
        click(qtbot, dialog.skip_button)
    result = dialog.result()
    assert result.level == Level.BASIC
    assert result.skipped
    assert dialog.showing_result()
    assert dialog.level_text.text() == level_description(Level.BASIC)
    assert "short, simple sentences" in dialog.level_text.text()
    assert "change" in dialog.change_later.text()
    assert dialog.close_button.isVisible()
    assert dialog.focusWidget() is dialog.close_button  # Enter or Space closes it


def test_partly_answered_gives_basic(qtbot) -> None:
    dialog = make(qtbot)
    dialog.show()
    answer(qtbot, dialog, {"sils": 1, "confident_forms": 1})
    click(qtbot, dialog.done_button)
    result = dialog.result()
    assert result.level == Level.BASIC
    assert dict(result.answers) == {"sils": 1, "confident_forms": 1, "problems_learning": None}
    assert not result.skipped


def test_rather_not_say_takes_an_answer_back(qtbot) -> None:
    dialog = make(qtbot)
    dialog.show()
    answer(qtbot, dialog, {"sils": 1, "confident_forms": 1, "problems_learning": 1})
    assert dialog.answers() == {"sils": 1, "confident_forms": 1, "problems_learning": 1}
    click(qtbot, dialog.item_groups["problems_learning"].button(NOT_SAYING))
    assert dialog.answers()["problems_learning"] is None
    click(qtbot, dialog.done_button)
    assert dialog.result().level == Level.BASIC


def test_closing_without_finishing_counts_as_a_skip(qtbot) -> None:
    dialog = make(qtbot)
    dialog.show()
    answer(qtbot, dialog, {"sils": 1, "confident_forms": 1, "problems_learning": 1})
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result().level == Level.BASIC
    assert dialog.result().skipped


def test_enter_on_an_answer_does_not_end_the_screener(qtbot) -> None:
    dialog = make(qtbot)
    dialog.show()
    button = dialog.item_groups["sils"].button(1)
    click(qtbot, button)
    qtbot.keyClick(button, Qt.Key.Key_Return)
    assert not dialog.showing_result()
    assert dialog.isVisible()


def test_preferences_are_in_the_result(qtbot) -> None:
    dialog = make(qtbot)
    dialog.show()
    click(qtbot, dialog.size_group.button(150))
    click(qtbot, dialog.length_group.buttons()[1])  # "More detail"
    answer(qtbot, dialog, {"sils": 2, "confident_forms": 1, "problems_learning": 1})
    click(qtbot, dialog.done_button)
    result = dialog.result()
    assert result.level == Level.STANDARD
    assert result.preferences == Preferences("en", 150, "more_detail")
    assert "150%" in dialog.chosen.text() and "More detail" in dialog.chosen.text()


def test_the_text_size_preview_follows_the_choice(qtbot) -> None:
    dialog = make(qtbot)
    assert "12.0pt" in dialog.size_preview.styleSheet()
    dialog.size_group.button(200).setChecked(True)
    assert "24.0pt" in dialog.size_preview.styleSheet()


def test_starting_preferences_are_shown_even_off_the_usual_steps(qtbot) -> None:
    dialog = make(qtbot, "en", Preferences("zh", 110, "more_detail"))
    assert dialog.size_group.checkedId() == 110  # a size the window offers (110%)
    assert dialog.size_group.checkedButton().text() == "110%"
    assert dialog.length_group.checkedButton().text() == "More detail"
    # The starting language is the dialog's own, not the profile's old one.
    assert dialog.preferences() == Preferences("en", 110, "more_detail")


def test_choosing_chinese_switches_the_questions_at_once(qtbot) -> None:
    dialog = make(qtbot)
    dialog.show()
    answer(qtbot, dialog, {"sils": 2})
    click(qtbot, dialog.size_group.button(175))
    with qtbot.waitSignal(dialog.language_chosen) as chosen:
        click(qtbot, dialog.language_group.buttons()[1])  # 中文（简体）
    assert chosen.args == ["zh"]
    zh = load_screener("zh")
    assert dialog.windowTitle() == zh.title
    texts = label_texts(dialog)
    for item in zh.items:
        assert item.question in texts
        assert [b.text() for b in dialog.item_groups[item.id].buttons()][:-1] == \
            [o.label for o in item.options]
    assert dialog.skip_button.text() == zh.skip_label
    assert dialog.item_groups["sils"].checkedId() == 2  # answers kept
    assert dialog.size_group.checkedId() == 175
    answer(qtbot, dialog, {"confident_forms": 1, "problems_learning": 1})
    click(qtbot, dialog.done_button)
    result = dialog.result()
    assert result.preferences.language == "zh"
    assert result.preferences.text_size == 175
    assert result.level == Level.STANDARD


def test_change_my_answers_goes_back_with_the_answers_kept(qtbot) -> None:
    dialog = make(qtbot)
    dialog.show()
    answer(qtbot, dialog, {"sils": 1, "confident_forms": 1, "problems_learning": 1})
    click(qtbot, dialog.done_button)
    assert dialog.result().level == Level.ADVANCED
    assert "Advanced" in dialog.level_label.text()
    click(qtbot, dialog.back_button)
    assert not dialog.showing_result()
    click(qtbot, dialog.item_groups["sils"].button(4))
    click(qtbot, dialog.done_button)
    assert dialog.result().level == Level.BASIC
    assert "Basic" in dialog.level_label.text()
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog.close_button)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_control_is_named_explained_and_big_enough(qtbot, language) -> None:
    dialog = make(qtbot, language)
    dialog.show()
    qtbot.waitExposed(dialog)
    buttons = [b for b in dialog.findChildren(QAbstractButton) if b.isVisible()]
    radios = [b for b in buttons if isinstance(b, QRadioButton)]
    screener = load_screener(language)
    assert len(radios) == sum(len(i.options) + 1 for i in screener.items) + 2 + 5 + 2
    for button in buttons:
        assert button.accessibleName(), button.text()
        assert button.toolTip(), button.text()
        assert button.height() >= MIN_TARGET_PX, button.text()
    dialog.skip_all()
    for button in (dialog.back_button, dialog.close_button):
        assert button.accessibleName() and button.toolTip()
        assert button.height() >= MIN_TARGET_PX


def test_the_level_picker_shows_and_changes_the_level(qtbot) -> None:
    picker = LevelPicker("standard")
    qtbot.addWidget(picker)
    picker.show()
    assert picker.level() == Level.STANDARD
    descriptions = [picker.descriptions[level].text() for level in Level]
    assert len(set(descriptions)) == 3 and all(descriptions)
    assert [picker.buttons[level].text() for level in Level] == \
        ["Basic", "Standard", "Advanced"]
    with qtbot.waitSignal(picker.level_changed) as changed:
        qtbot.mouseClick(picker.buttons[Level.ADVANCED], Qt.MouseButton.LeftButton)
    assert changed.args == ["advanced"]
    assert picker.level() == Level.ADVANCED
    with qtbot.waitSignal(picker.level_changed) as changed:  # the words choose too
        qtbot.mouseClick(picker.descriptions[Level.BASIC], Qt.MouseButton.LeftButton)
    assert changed.args == ["basic"]
    picker.set_level(Level.STANDARD)
    assert picker.buttons[Level.STANDARD].isChecked()
    for button in picker.buttons.values():
        assert button.accessibleName() and button.toolTip()
        assert button.height() >= MIN_TARGET_PX
    assert "grade 6" in picker.buttons[Level.BASIC].toolTip()


def test_the_level_dialog_saves_the_chosen_level(qtbot) -> None:
    dialog = LevelDialog(Level.BASIC)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.picker.buttons[Level.STANDARD], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.level() == Level.STANDARD
    for button in (dialog.save_button, dialog.cancel_button):
        assert button.accessibleName() and button.toolTip()
        assert button.height() >= MIN_TARGET_PX


class Shouting(QTranslator):
    """A stand-in translation: every string of these widgets in capitals."""

    def isEmpty(self) -> bool:  # noqa: N802 (Qt API)
        return False  # else Qt skips it as a translator with nothing in it

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: ARG002
        if context not in ("ScreenerDialog", "LevelPicker", "LevelDialog"):
            return ""
        return re.sub(r"[^{}]+(?![^{]*})", lambda m: m.group().upper(), source)


def test_a_language_change_retranslates_the_dialogs(qtbot) -> None:
    dialog = make(qtbot)
    picker = LevelPicker()
    qtbot.addWidget(picker)
    answer(qtbot, dialog, {"sils": 2})
    translator = Shouting()
    QCoreApplication.installTranslator(translator)
    try:
        qtbot.waitUntil(lambda: dialog.done_button.text() == "DONE")
        assert dialog.item_groups["sils"].checkedId() == 2  # the answers survive it
        assert picker.buttons[Level.BASIC].text() == "BASIC"
        assert picker.descriptions[Level.BASIC].text().startswith("WE'LL WRITE")
    finally:
        QCoreApplication.removeTranslator(translator)
    qtbot.waitUntil(lambda: dialog.done_button.text() == "Done")
