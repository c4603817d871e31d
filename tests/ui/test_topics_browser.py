"""The Health topics browser: list, search, read, sources, provenance, check questions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from english_only import english_only_index
from PySide6.QtCore import QCoreApplication, Qt, QTranslator, QUrl
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QLineEdit,
    QListWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from chatapp.knowledge import LibraryIndex, builtin_library_dir
from chatapp.ui.a11y import MIN_TARGET_PX
from chatapp.ui.topic_delegate import SUMMARY_ROLE
from chatapp.ui.topics_browser import TopicsBrowser

BUILTIN_EN = sorted(p.stem for p in (builtin_library_dir() / "en").glob("*.md"))
BUILTIN_ZH = sorted(p.stem for p in (builtin_library_dir() / "zh").glob("*.md"))

CLINIC_ARTICLE = """\
+++
id = "{id}"
language = "en"
title = "{title}"
summary = "A short summary of the topic."
keywords = ["plantar fasciitis", "heel pain"]
synonyms = ["sore heel", "heel hurts"]
last_reviewed = 2026-03-14
reviewed_by = "Dr Lee, Hillside Clinic"

[[sources]]
title = "Heel pain"
url = "https://www.nhs.uk/conditions/heel-pain/"

[[check]]
question = "Is heel pain common?"
answer = "Yes. It often gets better with rest."

[[check]]
question = "When should you see a doctor?"
answer = "When the pain does not get better."
+++

{body}
"""
SECTION = ("Drink water through the day. Eat fruit and vegetables. Move your body most days. "
           "Sleep well at night. Ask your nurse if you have questions about this topic.")
BODY = "\n\n".join(f"## Part {n}\n\n{SECTION}" for n in ("one", "two", "three"))


def write_clinic_article(folder: Path, name: str, title: str = "Heel pain",
                         body: str = BODY) -> Path:
    path = folder / "en" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CLINIC_ARTICLE.format(id=name, title=title, body=body), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def index() -> LibraryIndex:
    return LibraryIndex.load()


class Links:
    """Records what the browser asks before and when it opens a web page."""

    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.asked: list[str] = []
        self.opened: list[str] = []

    def confirm(self, _parent: QWidget, url: str) -> bool:
        self.asked.append(url)
        return self.answer

    def open(self, url: str) -> bool:
        self.opened.append(url)
        return True


def make(qtbot, index: LibraryIndex, language: str = "en", **kwargs) -> TopicsBrowser:
    links = kwargs.pop("links", Links(False))
    browser = TopicsBrowser(index, language, confirm=links.confirm, open_url=links.open,
                            **kwargs)
    qtbot.addWidget(browser)
    browser.resize(1100, 750)
    return browser


def reader_text(browser: TopicsBrowser) -> str:
    return browser.reader.toPlainText()


def test_every_built_in_article_is_listed_with_its_summary(qtbot, index) -> None:
    browser = make(qtbot, index)
    assert len(BUILTIN_EN) >= 40
    assert sorted(browser.shown_ids()) == BUILTIN_EN
    for row in range(browser.topics.count()):
        item = browser.topics.item(row)
        article = index.article(item.data(Qt.ItemDataRole.UserRole), "en")
        assert item.text() == article.title
        assert item.data(SUMMARY_ROLE) == article.summary
        assert item.toolTip() == article.summary
    assert browser.problem_row.isHidden()  # the built-in library has no problems
    assert reader_text(browser) == ""
    assert not browser.show_answers.isEnabled()


def test_in_chinese_every_topic_is_listed_chinese_ones_first(qtbot) -> None:
    index = english_only_index()  # one topic without its Chinese article
    browser = make(qtbot, index, "zh")
    ids = browser.shown_ids()
    assert sorted(ids) == BUILTIN_EN  # an untranslated topic is there, in English
    assert BUILTIN_ZH == BUILTIN_EN  # every built-in topic is written in Chinese
    assert ids[-1] == "kidney-health"
    first = browser.topics.item(0)
    assert index.article(ids[0], "zh").language == "zh"
    assert first.text() == index.article(ids[0], "zh").title
    last = browser.topics.item(len(ids) - 1)
    assert "(in English)" in last.text()


def test_search_filters_the_list_as_the_patient_types(qtbot, index) -> None:
    browser = make(qtbot, index)
    qtbot.keyClicks(browser.search, "inhaler")
    qtbot.waitUntil(lambda: len(browser.shown_ids()) < len(BUILTIN_EN))
    shown = browser.shown_ids()
    assert "asthma-and-inhalers" in shown
    assert "type-2-diabetes" not in shown
    assert shown == [a.id for a in index.articles("en", "inhaler")]

    browser.search.clear()
    qtbot.keyClicks(browser.search, "sugar")  # a lay word for diabetes
    qtbot.waitUntil(lambda: "type-2-diabetes" in browser.shown_ids())
    assert "asthma-and-inhalers" not in browser.shown_ids()

    browser.search.clear()
    qtbot.waitUntil(lambda: len(browser.shown_ids()) == len(BUILTIN_EN))
    assert browser.empty.isHidden()


def test_search_in_chinese(qtbot, index) -> None:
    browser = make(qtbot, index, "zh")
    browser.search.setText("血压")  # as an input method would; QTest types only ASCII
    qtbot.waitUntil(lambda: len(browser.shown_ids()) < len(BUILTIN_EN))
    assert "high-blood-pressure" in browser.shown_ids()
    assert "asthma-and-inhalers" not in browser.shown_ids()
    row = browser.shown_ids().index("high-blood-pressure")
    assert browser.topics.item(row).text() == "高血压"


def test_a_search_that_finds_nothing_says_so(qtbot, index) -> None:
    browser = make(qtbot, index)
    browser.show()
    qtbot.keyClicks(browser.search, "zzqqxxv")
    qtbot.waitUntil(lambda: browser.topics.count() == 0)
    assert browser.empty.isVisible()
    assert "zzqqxxv" in browser.empty.text()


def test_open_article_shows_title_sections_sources_and_provenance(qtbot, index) -> None:
    browser = make(qtbot, index)
    article = index.article("asthma-and-inhalers", "en")
    with qtbot.waitSignal(browser.article_opened) as opened:
        assert browser.open_article("asthma-and-inhalers")
    assert opened.args == ["asthma-and-inhalers", "en"]
    text = reader_text(browser)
    assert text.startswith(article.title)
    assert article.summary in text
    for section in article.sections:
        assert section.heading in text
    assert "Sources" in text
    for source in article.sources:
        assert source.title in text
        assert source.url in text  # the address itself is shown, selectable
    assert f"Reviewed by {article.reviewed_by} on" in text
    assert str(article.last_reviewed.year) in text
    assert "Added by your clinic" not in text
    assert browser.topics.currentItem().data(Qt.ItemDataRole.UserRole) == article.id
    assert browser.article == article


def test_open_article_finds_a_topic_the_search_hides(qtbot, index) -> None:
    browser = make(qtbot, index)
    qtbot.keyClicks(browser.search, "inhaler")
    qtbot.waitUntil(lambda: "back-pain" not in browser.shown_ids())
    assert browser.open_article("back-pain")  # as when a chat answer's source is clicked
    assert "back-pain" in browser.shown_ids()
    assert browser.search.text() == ""
    assert reader_text(browser).startswith("Back pain")


def test_an_unknown_article_is_refused_and_the_reader_is_unchanged(qtbot, index) -> None:
    browser = make(qtbot, index)
    browser.open_article("sleep")
    before = reader_text(browser)
    assert browser.open_article("no-such-topic") is False
    assert reader_text(browser) == before


def test_check_answers_stay_hidden_until_asked_for(qtbot, index) -> None:
    browser = make(qtbot, index)
    browser.show()
    browser.open_article("asthma-and-inhalers")
    article = browser.article
    assert len(article.check) >= 2
    text = reader_text(browser)
    assert "Check your understanding" in text
    for check in article.check:
        assert check.question in text
        assert check.answer not in text
    assert browser.show_answers.isEnabled()
    assert browser.show_answers.text() == "Show answers"

    qtbot.mouseClick(browser.show_answers, Qt.MouseButton.LeftButton)
    text = reader_text(browser)
    for check in article.check:
        assert check.answer in text
    assert browser.show_answers.text() == "Hide answers"
    assert browser.show_answers.accessibleName() == "Hide answers"

    browser.open_article("sleep")  # a new article starts with its answers hidden
    assert not browser.answers_shown()
    for check in browser.article.check:
        assert check.answer not in reader_text(browser)


def test_untranslated_topic_in_chinese_is_shown_in_english_with_a_note(qtbot) -> None:
    index = english_only_index()
    assert index.library.get("kidney-health", "zh") is None
    browser = make(qtbot, index, "zh")
    browser.show()
    browser.open_article("kidney-health")
    assert browser.article.language == "en"
    assert browser.fallback_note.isVisible()
    assert "English" in browser.fallback_note.text()

    browser.open_article("asthma-and-inhalers")
    assert browser.article.language == "zh"
    assert reader_text(browser).startswith("哮喘和吸入器")
    assert browser.fallback_note.isHidden()

    browser.language = "en"  # the open topic follows the language
    assert browser.article.language == "en"
    assert reader_text(browser).startswith("Asthma and inhalers")
    assert len(browser.shown_ids()) == len(BUILTIN_EN)


def test_an_article_is_shown_at_the_patients_reading_level(qtbot, index) -> None:
    article = index.article("high-blood-pressure", "en")
    first = article.sections[0]
    basic, advanced = first.text.split("\n")[0], first.text_at("advanced").split("\n")[0]
    assert basic != advanced
    browser = make(qtbot, index, level="advanced")
    browser.show()
    browser.open_article("high-blood-pressure")
    assert browser.level_box.isVisible()
    assert browser.level_box.currentData() == "advanced"
    assert advanced in reader_text(browser) and basic not in reader_text(browser)
    # The patient picks an easier version for this reading.
    browser.level_box.setCurrentIndex(browser.level_box.findData("basic"))
    assert browser.level == "basic"
    assert basic in reader_text(browser) and advanced not in reader_text(browser)
    browser.set_level("standard")  # the profile's level changed
    assert browser.level_box.currentData() == "standard"
    assert first.text_at("standard").split("\n")[0] in reader_text(browser)
    # In Chinese, the Chinese article at the same level.
    browser.language = "zh"
    zh_first = index.article("high-blood-pressure", "zh").sections[0]
    assert browser.article.language == "zh" and browser.level_box.isVisible()
    assert zh_first.text_at("standard").split("\n")[0] in reader_text(browser)


def test_an_article_written_at_one_level_offers_no_choice(qtbot, tmp_path) -> None:
    clinic = tmp_path / "library"
    write_clinic_article(clinic, "heel-pain")
    browser = make(qtbot, LibraryIndex.load(extra_dirs=[clinic]), level="advanced")
    browser.show()
    browser.open_article("heel-pain")
    assert browser.level_box.isHidden() and SECTION in reader_text(browser)


def test_a_clinic_article_is_listed_and_marked_as_the_clinics(qtbot, tmp_path) -> None:
    clinic = tmp_path / "library"
    write_clinic_article(clinic, "heel-pain")
    index = LibraryIndex.load(extra_dirs=[clinic])
    browser = make(qtbot, index)
    assert "heel-pain" in browser.shown_ids()
    assert len(browser.shown_ids()) == len(BUILTIN_EN) + 1
    browser.open_article("heel-pain")
    text = reader_text(browser)
    assert "Added by your clinic." in text
    assert "Reviewed by Dr Lee, Hillside Clinic on" in text
    assert "https://www.nhs.uk/conditions/heel-pain/" in text
    assert browser.problem_row.isHidden()


def test_markup_in_a_title_is_shown_as_plain_words(qtbot, tmp_path) -> None:
    clinic = tmp_path / "library"
    write_clinic_article(clinic, "heel-pain", title="Heel pain *after* [running] #1")
    browser = make(qtbot, LibraryIndex.load(extra_dirs=[clinic]))
    browser.open_article("heel-pain")
    assert reader_text(browser).startswith("Heel pain *after* [running] #1")


def test_a_broken_clinic_file_is_reported_once_and_is_not_fatal(qtbot, tmp_path) -> None:
    clinic = tmp_path / "library"
    write_clinic_article(clinic, "heel-pain")
    write_clinic_article(clinic, "broken-one", body="## Only one section\n\nText.")
    index = LibraryIndex.load(extra_dirs=[clinic])
    assert len(index.problems) == 1
    browser = make(qtbot, index)
    browser.show()
    assert browser.problem_row.isVisible()
    assert "broken-one.md" in browser.problem.text()
    assert "clinic staff" in browser.problem.text()
    assert "sections" in browser.problem.toolTip()  # the details, for staff
    assert "heel-pain" in browser.shown_ids()  # the good clinic article still works
    assert "broken-one" not in browser.shown_ids()
    assert browser.open_article("heel-pain")

    qtbot.mouseClick(browser.dismiss_button, Qt.MouseButton.LeftButton)
    assert browser.problem_row.isHidden()
    browser.set_index(LibraryIndex.load(extra_dirs=[clinic]))  # same problem: not again
    assert browser.problem_row.isHidden()
    assert browser.article.id == "heel-pain"

    write_clinic_article(clinic, "another-broken", body="No heading at all.")
    browser.set_index(LibraryIndex.load(extra_dirs=[clinic]))  # a new problem is said
    assert browser.problem_row.isVisible()
    assert "another-broken.md" in browser.problem.text()
    assert "broken-one.md" not in browser.problem.text()


def test_a_web_link_asks_before_it_leaves_carechat(qtbot, index) -> None:
    refuse = Links(False)
    browser = make(qtbot, index, links=refuse)
    browser.open_article("asthma-and-inhalers")
    url = browser.article.sources[0].url
    assert f'href="{url}"' in browser.reader.toHtml()
    browser.reader.anchorClicked.emit(QUrl(url))
    assert refuse.asked == [url]
    assert refuse.opened == []

    agree = Links(True)
    browser = make(qtbot, index, links=agree)
    browser.open_article("asthma-and-inhalers")
    browser.reader.anchorClicked.emit(QUrl(url))
    assert agree.asked == [url] and agree.opened == [url]


def test_a_link_to_another_article_opens_it_in_the_reader(qtbot, index) -> None:
    links = Links(True)
    browser = make(qtbot, index, links=links)
    browser.open_article("asthma-and-inhalers")
    browser.reader.anchorClicked.emit(QUrl("article:sleep"))
    assert browser.article.id == "sleep"
    assert links.asked == []


def test_without_external_links_the_address_is_text_only(qtbot, index) -> None:
    links = Links(True)
    browser = make(qtbot, index, links=links, external_links=False)
    browser.open_article("asthma-and-inhalers")
    url = browser.article.sources[0].url
    assert url in reader_text(browser)
    assert "href=" not in browser.reader.toHtml()
    browser.reader.anchorClicked.emit(QUrl(url))
    assert links.asked == [] and links.opened == []


def test_every_control_is_named_explained_and_big_enough(qtbot, tmp_path) -> None:
    clinic = tmp_path / "library"
    write_clinic_article(clinic, "broken-one", body="## Only one section\n\nText.")
    browser = make(qtbot, LibraryIndex.load(extra_dirs=[clinic]))
    browser.show()
    qtbot.waitExposed(browser)
    browser.open_article("asthma-and-inhalers")
    controls = [w for w in browser.findChildren(QWidget)
                if isinstance(w, (QAbstractButton, QComboBox, QLineEdit, QListWidget,
                                  QTextBrowser))
                and w.isVisible()]
    assert {browser.search, browser.topics, browser.reader, browser.show_answers,
            browser.dismiss_button, browser.level_box} <= set(controls)
    for control in controls:
        assert control.accessibleName(), control
        assert control.toolTip(), control
    for control in (browser.search, browser.show_answers, browser.dismiss_button,
                    browser.level_box):
        assert control.height() >= MIN_TARGET_PX, control
        assert control.width() >= MIN_TARGET_PX, control
    for row in range(browser.topics.count()):
        assert browser.topics.visualItemRect(browser.topics.item(row)).height() >= \
            MIN_TARGET_PX


def test_keyboard_search_list_reader_and_escape(qtbot, index) -> None:
    browser = make(qtbot, index)
    browser.show()
    browser.activateWindow()
    qtbot.waitUntil(browser.isActiveWindow)
    browser.search.setFocus()
    qtbot.keyClicks(browser.search, "asthma")
    qtbot.waitUntil(lambda: len(browser.shown_ids()) < len(BUILTIN_EN))
    first = browser.shown_ids()[0]

    qtbot.keyClick(browser.search, Qt.Key.Key_Down)  # into the list
    assert browser.topics.hasFocus()
    assert browser.topics.currentRow() == 0
    qtbot.keyClick(browser.topics, Qt.Key.Key_Return)  # Enter opens it, in the reader
    assert browser.reader.hasFocus()
    assert browser.article.id == first

    qtbot.keyClick(browser.reader, Qt.Key.Key_Escape)  # Esc clears the search
    assert browser.search.text() == ""
    assert browser.search.hasFocus()
    assert len(browser.shown_ids()) == len(BUILTIN_EN)
    assert browser.article.id == first  # the article stays open

    qtbot.keyClicks(browser.search, "back pain")
    qtbot.keyClick(browser.search, Qt.Key.Key_Return)  # Enter opens the first match at once
    assert browser.article.id == "back-pain"
    assert browser.reader.hasFocus()

    browser.search.setFocus()
    qtbot.keyClick(browser.search, Qt.Key.Key_Tab)  # Tab: search -> list -> reader
    assert browser.topics.hasFocus()
    qtbot.keyClick(browser.topics, Qt.Key.Key_Tab)
    assert browser.reader.hasFocus()


def test_escape_with_an_empty_search_closes_the_dialog_around_it(qtbot, index) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    browser = TopicsBrowser(index, parent=dialog)
    QVBoxLayout(dialog).addWidget(browser)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    browser.search.setFocus()
    qtbot.keyClicks(browser.search, "sleep")
    qtbot.keyClick(browser.search, Qt.Key.Key_Escape)  # first Esc: clears the search
    assert dialog.isVisible()
    assert browser.search.text() == ""
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(browser.search, Qt.Key.Key_Escape)  # then Esc closes as usual


class Shouting(QTranslator):
    """A stand-in translation: every string of the browser in capitals."""

    def isEmpty(self) -> bool:  # noqa: N802 (Qt API)
        return False  # else Qt skips it as a translator with nothing in it

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: ARG002
        if context != "TopicsBrowser":
            return ""
        # Placeholders stay as they are, as a real translation keeps them.
        return re.sub(r"[^{}]+(?![^{]*})", lambda m: m.group().upper(), source)


def test_a_language_change_retranslates_the_browser(qtbot, index) -> None:
    browser = make(qtbot, index)
    browser.open_article("asthma-and-inhalers")
    assert browser.heading.text() == "Health topics"
    translator = Shouting()
    QCoreApplication.installTranslator(translator)
    try:
        qtbot.waitUntil(lambda: browser.heading.text() == "HEALTH TOPICS")
        assert browser.show_answers.text() == "SHOW ANSWERS"
        assert "CHECK YOUR UNDERSTANDING" in reader_text(browser)
    finally:
        QCoreApplication.removeTranslator(translator)
    qtbot.waitUntil(lambda: browser.heading.text() == "Health topics")
