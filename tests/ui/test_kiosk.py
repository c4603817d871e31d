"""Kiosk mode: a visit by touch, the idle wipe, "I'm done", the PIN gate, the handout,
and nothing of the visit on disk."""

from __future__ import annotations

import io
import re
import threading
from pathlib import Path
from types import SimpleNamespace

import pypdf  # test extra: reads the handout's text back
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QPushButton

from chatapp import admin_pin
from chatapp.config import load_settings
from chatapp.kiosk_config import KioskConfig
from chatapp.ui import KioskWindow
from chatapp.ui.handout import render_pdf
from chatapp.ui.kiosk_window import KIOSK_TARGET_PX
from chatapp.ui.pin_dialog import AdminDialog, PinDialog

TIMEOUT_MS = 60_000  # a ceiling for waiting on a signal, not a measured time
PIN = "4071"
LEFT = Qt.MouseButton.LeftButton


class Dialogs:
    """Stands in for the person at the PIN pad: types ``pins`` in turn, then chooses."""

    def __init__(self, pins: list[str], choice: str = "") -> None:
        self.pins = list(pins)
        self.choice = choice
        self.seen: list[str] = []

    def __call__(self, dialog: QDialog) -> bool:
        self.seen.append(type(dialog).__name__)
        if isinstance(dialog, PinDialog):
            return dialog.enter(self.pins.pop(0)) if self.pins else False
        if isinstance(dialog, AdminDialog) and self.choice:
            dialog.choose(self.choice)
            return True
        return False


class PaperTray:
    """A printer that keeps the handout as PDF bytes (made in memory, as a PDF printer would)."""

    def __init__(self) -> None:
        self.pdfs: list[bytes] = []

    def __call__(self, items, **options) -> None:
        self.pdfs.append(render_pdf(items, **options))


def make_kiosk(qtbot, data_dir: Path, model: str, printer=None, **config) -> KioskWindow:
    admin_pin.set_pin(data_dir, PIN)
    win = KioskWindow(load_settings(data_dir, model, "cpu"), KioskConfig(**config),
                      printer=printer)
    qtbot.addWidget(win, before_close_func=lambda w: w.allow_close())
    win.resize(1280, 900)
    win.show()
    return win


@pytest.fixture
def tray() -> PaperTray:
    return PaperTray()


@pytest.fixture
def kiosk(qtbot, tiny_model_dir: Path, _isolated_data_dir: Path, tray: PaperTray):
    win = make_kiosk(qtbot, _isolated_data_dir, str(tiny_model_dir), printer=tray)
    with qtbot.waitSignal(win.controller.ready, timeout=TIMEOUT_MS):
        win.start()
    qtbot.waitUntil(lambda: bool(win.welcome.tile_buttons), timeout=TIMEOUT_MS)
    yield win
    win.allow_close()
    win.close()


def tap(qtbot, widget) -> None:
    qtbot.mouseClick(widget, LEFT)


def type_on_screen(qtbot, win: KioskWindow, text: str) -> None:
    """Tap the on-screen keyboard's keys (its digits and "?" are on the symbols page)."""
    for char in text:
        if char.isdigit() and win.keyboard.pages.currentWidget() is win.keyboard.letters_page:
            tap(qtbot, win.keyboard.key("SYMBOLS"))
        elif char.isalpha() and \
                win.keyboard.pages.currentWidget() is win.keyboard.symbols_page:
            tap(qtbot, win.keyboard.key("LETTERS"))
        tap(qtbot, win.keyboard.key("SPACE" if char == " " else char))


def ask_by_touch(qtbot, win: KioskWindow, question: str):
    type_on_screen(qtbot, win, question)
    with qtbot.waitSignal(win.controller.finished, timeout=TIMEOUT_MS) as done:
        tap(qtbot, win.keyboard.key("ENTER"))
    return done.args[0]


# --- the welcome screen -------------------------------------------------------------


def test_the_kiosk_opens_on_the_welcome_screen_frameless_with_topic_tiles(kiosk):
    assert kiosk.pages.currentWidget() is kiosk.welcome
    assert kiosk.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert not kiosk.sidebar.isVisible() and kiosk.menuBar().actions() == []
    titles = [b.text() for b in kiosk.welcome.tile_buttons.values()]
    assert "High blood pressure" in titles and len(titles) == len(KioskConfig().topics)
    assert not kiosk.idle.is_active()  # nothing to wipe before a visit starts


def test_every_button_is_a_large_touch_target(qtbot, kiosk):
    tap(qtbot, kiosk.welcome.ask_button)
    kiosk.open_topic("asthma-and-inhalers")
    kiosk.tabs.setCurrentIndex(0)
    for page in (kiosk.welcome, kiosk.pages.widget(1), kiosk.keyboard, kiosk.topics):
        for button in page.findChildren(QPushButton):
            hint = button.minimumSizeHint().expandedTo(button.minimumSize())
            assert min(hint.width(), hint.height()) >= KIOSK_TARGET_PX, button.text()


def test_a_topic_tile_opens_the_article_without_the_model(qtbot, kiosk):
    tap(qtbot, kiosk.welcome.tile_buttons["type-2-diabetes"])
    assert kiosk.in_visit() and kiosk.idle.is_active()
    assert kiosk.tabs.currentIndex() == 1
    assert kiosk.topics.article.id == "type-2-diabetes"
    assert not kiosk.topics._external_links  # no web browser on a shared machine


def test_choosing_chinese_turns_the_welcome_screen_and_tiles_to_chinese(qtbot, kiosk):
    tap(qtbot, kiosk.welcome.language_buttons["zh"])
    # Qt posts the language change: widgets take it on the next turn of the event loop.
    qtbot.waitUntil(lambda: kiosk.welcome.title.text() == "欢迎使用 CareChat")
    titles = [b.text() for b in kiosk.welcome.tile_buttons.values()]
    assert "高血压" in titles and len(titles) == len(KioskConfig().topics)
    # Topics the library has only in English give way to ones written in Chinese.
    assert all(re.search(r"[\u4e00-\u9fff]", title) for title in titles), titles
    assert kiosk.welcome.language_buttons["zh"].isChecked()
    kiosk.idle.set_times(50, 100, 20)  # nobody went on: the next visitor gets English
    with qtbot.waitSignal(kiosk.visit_ended, timeout=TIMEOUT_MS):
        pass
    qtbot.waitUntil(lambda: kiosk.welcome.title.text() == "Welcome to CareChat")



class FakeLibrary:
    """Articles by (id, language); ``article`` falls back to English, as LibraryIndex does."""

    def __init__(self, *have: tuple[str, str]) -> None:
        self.have = have

    def _article(self, article_id: str, language: str):
        return SimpleNamespace(id=article_id, title=f"{article_id}-{language}",
                               language=language)

    def article(self, article_id: str, language: str):
        for lang in (language, "en"):
            if (article_id, lang) in self.have:
                return self._article(article_id, lang)
        return None

    def articles(self, language: str):
        return tuple(self._article(i, lang) for i, lang in sorted(self.have) if lang == language)


@pytest.mark.parametrize(("language", "have", "topics", "tiles"), [
    # The configured order; an id the library lacks is left out.
    ("en", ["a", "b", "c"], ["c", "a", "nowhere"], ["c-en", "a-en"]),
    # A topic only in English gives way to another written in the reader's language.
    ("zh", ["a", "c", "d", "e"], ["a", "b", "c", "nowhere"], ["a-zh", "c-zh", "d-zh"]),
    # Too few in the language: the English ones fill the rest, in the configured order.
    ("zh", ["a", "d"], ["a", "b", "f"], ["a-zh", "d-zh", "b-en"]),
    ("zh", ["a"], ["a", "b", "f"], ["a-zh", "b-en", "f-en"]),
    ("zh", ["d", "e"], ["b", "f"], ["d-zh", "e-zh"]),
])
def test_the_tiles_prefer_topics_written_in_the_readers_language(language, have, topics,
                                                                  tiles):
    english = {(i, "en") for i in ("a", "b", "c", "d", "e", "f")}
    library = FakeLibrary(*english | {(i, language) for i in have})
    window = SimpleNamespace(library=library, kiosk=KioskConfig(topics=tuple(topics)),
                             language=language)
    chosen = KioskWindow.tile_topics(window)
    assert [title for _id, title in chosen] == tiles
    assert [article_id for article_id, _title in chosen] == [t.split("-")[0] for t in tiles]

# --- a visit by touch ----------------------------------------------------------------


def test_a_visit_by_touch_alone(qtbot, kiosk, tray):
    tap(qtbot, kiosk.welcome.ask_button)
    assert kiosk.pages.currentIndex() == 1
    assert QGuiApplication.focusObject() is kiosk.composer
    assert kiosk.keyboard.isVisible() and kiosk.keyboard.target() is kiosk.composer
    result = ask_by_touch(qtbot, kiosk, "what is asthma?")
    assert [i.text for i in kiosk.messages.items()][0] == "what is asthma?"
    assert QGuiApplication.focusObject() is kiosk.composer  # the keys never took focus
    assert kiosk.handout_button.isVisible() and kiosk.handout_button.isEnabled()
    tap(qtbot, kiosk.handout_button)
    (pdf,) = tray.pdfs
    text = " ".join(" ".join(page.extract_text().split())
                    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "what is asthma?" in text
    assert " ".join(result.answer.split()[:4]) in text
    assert "not a doctor" in text or "not medical advice" in text  # the disclaimer
    assert "printing" in kiosk.notice.text()


@pytest.mark.parametrize(("printers", "shown"), [([], False), (["Front desk"], True)])
def test_print_my_handout_is_offered_only_where_there_is_a_printer(
        qtbot, monkeypatch, tiny_model_dir, _isolated_data_dir, printers, shown):
    monkeypatch.setattr("chatapp.ui.kiosk_window.printer_names", lambda: printers)
    win = make_kiosk(qtbot, _isolated_data_dir, str(tiny_model_dir))  # no test printer
    win.begin_visit()
    assert win.handout_button.isVisible() is shown


def test_an_emergency_in_the_kiosk_also_says_to_tell_the_front_desk(qtbot, kiosk):
    tap(qtbot, kiosk.welcome.ask_button)
    kiosk.composer.setPlainText("I have crushing chest pain and can't breathe")
    with qtbot.waitSignal(kiosk.controller.finished, timeout=TIMEOUT_MS):
        kiosk.send()
    assert kiosk.banner.isVisible()
    assert kiosk.banner.front_desk.isVisible()
    assert "front desk" in kiosk.banner.front_desk.text().lower()


# --- the end of a visit ----------------------------------------------------------------


def visit_with_traces(qtbot, win: KioskWindow) -> None:
    """A visit that leaves something everywhere a visit can: an answer, a half-typed
    question with undo history, Chinese chosen, an article searched, the clipboard."""
    tap(qtbot, win.welcome.language_buttons["zh"])
    tap(qtbot, win.welcome.ask_button)
    ask_by_touch(qtbot, win, "what is asthma?")
    type_on_screen(qtbot, win, "my secret")
    win.open_topic()
    win.topics.search.setText("rash")
    win.tabs.setCurrentIndex(0)
    QGuiApplication.clipboard().setText("my secret")


def assert_wiped(qtbot, win: KioskWindow) -> None:
    qtbot.waitUntil(lambda: win.welcome.title.text() == "Welcome to CareChat")
    assert win.pages.currentWidget() is win.welcome and not win.in_visit()
    assert win.messages.rowCount() == 0 and win.conversation_id is None
    assert win.composer.toPlainText() == ""
    assert not win.composer.document().isUndoAvailable()
    assert win.topics is None  # the search box and the article went with it
    assert QGuiApplication.clipboard().text() == ""
    assert win.language == "en"
    assert win.store.conversations(win.profile.id) == []
    assert win.profile.literacy_level == "basic"
    assert not win.keyboard.isVisible() and not win.idle.is_active()


def test_im_done_clears_everything_at_once(qtbot, kiosk):
    visit_with_traces(qtbot, kiosk)
    old_store = kiosk.store
    with qtbot.waitSignal(kiosk.visit_ended, timeout=TIMEOUT_MS) as ended:
        tap(qtbot, kiosk.done_button)
    assert ended.args == ["done"]
    assert_wiped(qtbot, kiosk)
    assert kiosk.store is not old_store
    assert kiosk.store.location != old_store.location  # a new in-memory database


def test_idle_asks_are_you_still_there_then_wipes_the_visit(qtbot, kiosk):
    visit_with_traces(qtbot, kiosk)
    kiosk.idle.set_times(200, 600, 20)  # the real default is 120 s, then 15 s
    with qtbot.waitSignal(kiosk.idle.warned, timeout=TIMEOUT_MS):
        pass
    assert kiosk.idle.overlay.isVisible()
    assert kiosk.idle.overlay.title.text() == "您还在吗？"  # the visitor chose Chinese
    with qtbot.waitSignal(kiosk.visit_ended, timeout=TIMEOUT_MS) as ended:
        pass
    assert ended.args == ["idle"]
    assert_wiped(qtbot, kiosk)


def test_touching_the_screen_during_the_countdown_keeps_the_visit(qtbot, kiosk):
    tap(qtbot, kiosk.welcome.ask_button)
    kiosk.composer.setPlainText("still typing")
    kiosk.idle.set_times(100, 5_000, 20)
    with qtbot.waitSignal(kiosk.idle.warned, timeout=TIMEOUT_MS):
        pass
    with qtbot.waitSignal(kiosk.idle.resumed, timeout=TIMEOUT_MS):
        tap(qtbot, kiosk.idle.overlay.button)
    assert kiosk.in_visit() and kiosk.composer.toPlainText() == "still typing"


def test_ending_a_visit_mid_answer_drops_that_answer_and_the_next_visit_works(qtbot, kiosk):
    tap(qtbot, kiosk.welcome.ask_button)
    gate = threading.Event()
    kiosk.controller.worker.token.connect(lambda _piece: gate.wait(TIMEOUT_MS / 1000),
                                          Qt.ConnectionType.DirectConnection)
    kiosk.composer.setPlainText("what is asthma?")
    kiosk.send()
    qtbot.waitUntil(lambda: kiosk.turn is not None and kiosk.turn.text != "",
                    timeout=TIMEOUT_MS)
    kiosk.end_visit("done")
    kiosk.composer.setPlainText("too soon")
    kiosk.send()
    assert "One moment" in kiosk.notice.text()  # the old answer is still stopping
    with qtbot.waitSignal(kiosk.controller.finished, timeout=TIMEOUT_MS):
        gate.set()
    assert kiosk.messages.rowCount() == 0  # the old visit's answer is not shown
    kiosk.composer.clear()
    tap(qtbot, kiosk.welcome.ask_button)
    result = ask_by_touch(qtbot, kiosk, "what is a cold?")
    assert [i.text for i in kiosk.messages.items()] == ["what is a cold?", result.answer]
    saved = kiosk.store.messages(kiosk.conversation_id)
    assert [m.content for m in saved][0] == "what is a cold?"
    assert len(kiosk.store.conversations(kiosk.profile.id)) == 1


def test_a_kiosk_visit_writes_not_one_byte_of_it_to_disk(qtbot, tiny_model_dir,
                                                          _isolated_data_dir, tray):
    before = {p: p.read_bytes() for p in _isolated_data_dir.rglob("*") if p.is_file()}
    win = make_kiosk(qtbot, _isolated_data_dir, str(tiny_model_dir), printer=tray)
    with qtbot.waitSignal(win.controller.ready, timeout=TIMEOUT_MS):
        win.start()
    phrase = "zebra quokka seventeen"
    tap(qtbot, win.welcome.ask_button)
    ask_by_touch(qtbot, win, f"what is {phrase}?")
    tap(qtbot, win.handout_button)
    tap(qtbot, win.done_button)
    win.allow_close()
    win.close()
    written = {p: p.read_bytes() for p in _isolated_data_dir.rglob("*") if p.is_file()}
    # The PIN file was written before the visit; nothing else may appear or change.
    assert {p.name for p in written} == {admin_pin.PIN_FILENAME}
    for path, data in written.items():
        assert phrase.encode() not in data and b"quokka" not in data, path
    assert not any(p.suffix in (".db", ".sqlite", ".pdf") for p in written)
    assert before.keys() <= written.keys()


# --- the administrator -----------------------------------------------------------------


def test_closing_and_escape_keys_do_not_leave_the_kiosk(qtbot, kiosk):
    assert kiosk.close() is False
    for key, modifiers in ((Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
                           (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
                           (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
                           (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
                           (Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier)):
        qtbot.keyClick(kiosk, key, modifiers)
    assert kiosk.isVisible()


def test_settings_and_leaving_need_the_pin(qtbot, kiosk):
    kiosk.run_dialog = Dialogs(["1111"], AdminDialog.LEAVE)
    tap(qtbot, kiosk.staff_button)
    assert kiosk.isVisible() and kiosk.run_dialog.seen == ["PinDialog"]
    qtbot.keyClick(kiosk, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)  # settings
    assert kiosk.isVisible() and kiosk.run_dialog.seen == ["PinDialog", "PinDialog"]
    kiosk.run_dialog = Dialogs([PIN], AdminDialog.LEAVE)
    tap(qtbot, kiosk.staff_button)
    assert kiosk.run_dialog.seen == ["PinDialog", "AdminDialog"]
    assert not kiosk.isVisible()


def test_the_pin_pad_counts_wrong_tries_and_then_makes_staff_wait(qtbot, kiosk):
    dialog = PinDialog(kiosk.gate, kiosk)
    qtbot.addWidget(dialog)
    for digit in "1111":
        tap(qtbot, dialog.digit_buttons[digit])
    tap(qtbot, dialog.ok_button)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "Tries left before a wait: 4" in dialog.message.text()
    for _ in range(4):
        dialog.enter("1111")
    assert re.search(r"Try again in \d+ seconds", dialog.message.text())
    assert not dialog.enter(PIN)  # even the right PIN waits out the lockout


def test_the_normal_window_saves_the_conversation_as_a_handout(qtbot, tiny_model_dir,
                                                                tmp_path):
    from chatapp.ui import MainWindow

    win = MainWindow(load_settings(tmp_path / "data", str(tiny_model_dir), "cpu"))
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.controller.ready, timeout=TIMEOUT_MS):
        win.start()
    assert not win.handout_button.isEnabled()
    win.composer.setPlainText("What is asthma?")
    with qtbot.waitSignal(win.controller.finished, timeout=TIMEOUT_MS):
        win.send()
    target = tmp_path / "visit"
    win.ask_save_path = lambda *_args: str(target)
    tap(qtbot, win.handout_button)
    saved = target.with_suffix(".pdf")
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(saved).pages)
    assert "What is asthma?" in " ".join(text.split())
    assert str(saved) in win.notice.text()
    win.close()
