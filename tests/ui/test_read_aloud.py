"""Read aloud with Qt's own speech module: the speaking states, Listen buttons on answers,
articles and the emergency notice, and what is said where no voice can speak.

Qt's silent "mock" engine (tests/conftest.py sets it) speaks English voices only,
one word every 100 ms, and reports each word: the states and highlights are Qt's
own, only the sound is missing. It has no Chinese voice, which is how the
"no Chinese voice installed" path is tested.
"""

from __future__ import annotations

import sys

import pytest
from kiosk_helpers import close_kiosk, started_kiosk
from PySide6.QtCore import Qt

from chatapp.config import load_settings
from chatapp.safety import Number
from chatapp.speech_text import speakable
from chatapp.ui import MainWindow
from chatapp.ui import read_aloud as read_aloud_module
from chatapp.ui.emergency_banner import EmergencyBanner
from chatapp.ui.message_model import ChatItem
from chatapp.ui.read_aloud import ListenButton, ReadAloud

TIMEOUT_MS = 60_000
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def voice(qtbot) -> ReadAloud:
    speaker = ReadAloud(engine="mock")
    yield speaker
    speaker.stop()


def test_a_text_is_read_word_by_word_to_the_end(qtbot, voice):
    words: list[tuple[str, str, int]] = []
    voice.word.connect(lambda key, word, at: words.append((key, word, at)))
    with qtbot.waitSignal(voice.started) as started:
        assert voice.speak("answer", "## Rest\nDrink **water** often.", "en")
    assert started.args == ["answer"] and voice.reading() == "answer"
    with qtbot.waitSignal(voice.finished, timeout=5_000) as finished:
        pass
    assert finished.args == ["answer"] and voice.reading() == ""
    assert voice.spoken == "Rest. Drink water often."
    assert [w for _, w, _ in words] == ["Rest", "Drink", "water", "often"]
    assert all(voice.spoken[at:at + len(w)] == w for _, w, at in words)  # offsets in spoken


def test_stop_ends_the_reading_at_once_and_nothing_is_left_queued(qtbot, voice):
    finished: list[str] = []
    voice.finished.connect(finished.append)
    voice.speak("article", "One two three four five six seven eight nine ten.", "en")
    qtbot.waitUntil(lambda: voice._tts.state() == voice._states.Speaking, timeout=2_000)
    voice.stop()
    assert finished == ["article"] and voice.reading() == ""
    assert voice._tts.state() == voice._states.Ready
    qtbot.wait(300)  # long enough for three more words, had any been left queued
    assert finished == ["article"]


def test_reading_something_else_stops_the_first(qtbot, voice):
    finished: list[str] = []
    voice.finished.connect(finished.append)
    voice.speak("article", "A long article to read.", "en")
    voice.speak("answer", "A short answer.", "en")
    assert finished == ["article"] and voice.reading() == "answer"
    with qtbot.waitSignal(voice.finished, timeout=5_000) as done:
        pass
    assert done.args == ["answer"]


def test_the_chosen_speed_is_used(qtbot, voice):
    voice.set_rate("slower")
    voice.speak("answer", "Slowly now.", "en")
    assert voice._tts.rate() == pytest.approx(read_aloud_module.RATES["slower"])
    voice.set_rate(5.0)
    assert voice.rate == 1.0  # Qt's range ends at 1


def test_without_a_chinese_voice_it_says_so_and_how_to_add_one(qtbot, voice):
    with qtbot.waitSignal(voice.unavailable) as said:
        assert not voice.speak("answer", "多喝水，好好休息。", "zh")
    assert "No Chinese voice is installed" in said.args[0]
    assert "espeak-ng" in said.args[0] and "Windows" in said.args[0]
    assert voice.reading() == ""
    assert voice.speak("answer", "English still works.", "en")  # the voice itself is fine


def test_without_a_speech_engine_or_module_it_says_so_and_never_raises(qtbot, monkeypatch):
    missing = ReadAloud(engine="no-such-engine")
    with qtbot.waitSignal(missing.unavailable) as said:
        assert not missing.speak("answer", "Hello.", "en")
    assert "no speech engine" in said.args[0]
    monkeypatch.setattr(read_aloud_module, "_speech_module",
                        lambda: (None, "libpulse.so.0: cannot open shared object file"))
    broken = ReadAloud(engine="mock")
    with qtbot.waitSignal(broken.unavailable) as said:
        assert not broken.speak("answer", "Hello.", "en")
    assert "libpulse.so.0" in said.args[0] and "libpulse0" in said.args[0]
    with qtbot.waitSignal(broken.unavailable) as said:
        assert not broken.speak("answer", "## Sources\n- https://a.org", "en")
    assert "nothing to read" in said.args[0]


def test_a_listen_button_reads_its_own_text_and_turns_into_stop(qtbot, voice):
    button = ListenButton(voice, "answer", lambda: ("Wash your hands often.", "en"))
    qtbot.addWidget(button)
    other = ListenButton(voice, "article", lambda: ("Another text.", "en"))
    qtbot.addWidget(other)
    assert button.text() == "Listen" and not button.isChecked()
    qtbot.mouseClick(button, LEFT)
    assert voice.reading() == "answer"
    assert button.text() == "Stop reading" and button.isChecked()
    assert other.text() == "Listen" and not other.isChecked()
    qtbot.mouseClick(button, LEFT)
    assert voice.reading() == "" and button.text() == "Listen"
    qtbot.mouseClick(button, LEFT)
    with qtbot.waitSignal(voice.finished, timeout=5_000):
        pass
    assert button.text() == "Listen" and not button.isChecked()  # read to the end


# --- in the window -------------------------------------------------------------------


@pytest.fixture
def window(qtbot, tmp_path):
    # No model needed: reading aloud works on what the window shows.
    win = MainWindow(load_settings(tmp_path, "no-model-here", "cpu"))
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def test_the_answer_listen_button_reads_the_chosen_or_last_answer(qtbot, window):
    assert not window.ask.listen_button.isEnabled()  # nothing to read yet
    window.messages.append(ChatItem("user", "What is asthma?"))
    window.messages.append(ChatItem("assistant", "Asthma makes the airways **narrow**."))
    window._update_buttons()
    assert window.ask.listen_button.isEnabled()
    qtbot.mouseClick(window.ask.listen_button, LEFT)
    assert window.read_aloud.reading() == "answer"
    assert window.read_aloud.spoken == "Asthma makes the airways narrow."
    said: list[str] = []
    window.read_aloud.word.connect(lambda *_: said.append(window.delegate.spoken_word()))
    qtbot.waitUntil(lambda: len(said) >= 3, timeout=5_000)
    assert said[:3] == ["Asthma", "makes", "the"]  # highlighted in the answer's bubble
    window.new_conversation()  # a cleared conversation is not read on
    assert window.read_aloud.reading() == "" and window.delegate.spoken_word() == ""


def test_an_article_is_read_with_the_word_being_read_highlighted(qtbot, window):
    window.open_topic("asthma-and-inhalers")
    browser = window.topics
    qtbot.waitUntil(lambda: browser.article is not None, timeout=TIMEOUT_MS)
    assert browser.listen_button.isEnabled()
    qtbot.mouseClick(browser.listen_button, LEFT)
    assert window.read_aloud.reading() == "article"
    spoken = window.read_aloud.spoken
    assert spoken.startswith(speakable(f"# {browser.article.title}"))
    assert "http" not in spoken  # not the sources' addresses
    highlighted: list[str] = []
    window.read_aloud.word.connect(lambda *_: highlighted.append(browser.highlighted_word()))
    qtbot.waitUntil(lambda: len(highlighted) >= 3, timeout=5_000)
    # The engine reports words without their punctuation; each is found in the reader.
    assert highlighted[:3] == [w.strip(".,:") for w in spoken.split()[:3]]
    browser.open_article("type-2-diabetes")  # another article: the reading stops
    assert window.read_aloud.reading() == "" and browser.highlighted_word() == ""


def test_the_emergency_notice_can_be_listened_to_and_closing_it_stops(qtbot):
    voice = ReadAloud(engine="mock")
    banner = EmergencyBanner(kiosk=True, read_aloud=voice)
    qtbot.addWidget(banner)
    banner.show_emergency("This may be an emergency", "Call now.",
                          (Number("emergency", "911", "Emergency services", "test"),), "en")
    qtbot.mouseClick(banner.listen_button, LEFT)
    assert voice.reading() == "emergency"
    assert voice.spoken.startswith("This may be an emergency. Call 911. ")  # whom to call first
    assert "front desk" in voice.spoken
    qtbot.mouseClick(banner.close_button, LEFT)
    assert voice.reading() == ""


def test_a_kiosk_visit_that_ends_stops_reading_and_listening_keeps_the_visit(
        qtbot, tmp_path, tiny_model_dir):
    win = started_kiosk(qtbot, tmp_path, tiny_model_dir, idle_seconds=60,
                        countdown_seconds=10)
    qtbot.mouseClick(next(iter(win.welcome.tile_buttons.values())), LEFT)
    qtbot.mouseClick(win.topics.listen_button, LEFT)
    assert win.read_aloud.reading() == "article"
    win.idle.set_times(400, 10_000, 50)
    win.idle.reset()
    qtbot.wait(700)  # past the idle wait: the words being read kept the visit
    assert not win.idle.is_warning() and win.in_visit()
    win.end_visit("done")
    assert win.read_aloud.reading() == "" and win.read_aloud._tts.state() == \
        win.read_aloud._states.Ready
    close_kiosk(win)


# --- checking a daemon engine first (speech_probe) ----------------------------------


def probed(command: str) -> ReadAloud:
    return ReadAloud(engine="mock", probe=[sys.executable, "-c", command])


def test_a_stuck_speech_engine_is_reported_without_freezing_the_window(qtbot, monkeypatch):
    monkeypatch.setattr(read_aloud_module, "PROBE_SECONDS", 1)
    voice = probed("import time; time.sleep(60)")  # a daemon that never answers
    button = ListenButton(voice, "answer", lambda: ("Rest well.", "en"))
    qtbot.addWidget(button)
    with qtbot.waitSignal(voice.unavailable, timeout=10_000) as said:
        qtbot.mouseClick(button, LEFT)
        assert button.text() == "Stop reading"  # at once, while the engine is checked
    assert "did not answer within 1 seconds" in said.args[0]
    assert voice.reading() == "" and button.text() == "Listen" and voice._tts is None


def test_an_engine_that_answers_is_checked_once_then_reads(qtbot):
    voice = probed("pass")
    with qtbot.waitSignal(voice.word, timeout=10_000) as first:
        assert voice.speak("answer", "Rest well.", "en")
    assert first.args[:2] == ["answer", "Rest"] and voice._probed
    voice.stop()
    assert voice.speak("answer", "Again.", "en") and voice._probe is None  # no second check


def test_an_engine_that_fails_its_check_says_why_and_stop_meanwhile_reads_nothing(qtbot):
    voice = probed("print('Connection to speech-dispatcher failed'); raise SystemExit(1)")
    with qtbot.waitSignal(voice.unavailable, timeout=10_000) as said:
        voice.speak("answer", "Rest well.", "en")
    assert "Connection to speech-dispatcher failed" in said.args[0] and voice.reading() == ""
    quiet = probed("import time; time.sleep(0.3)")
    quiet.speak("answer", "Rest well.", "en")
    quiet.stop()
    qtbot.waitUntil(lambda: quiet._probe is None, timeout=10_000)
    assert quiet._tts is None or quiet._tts.state() != quiet._states.Speaking
    assert quiet.reading() == ""


def test_a_second_listen_during_the_check_reads_the_second_text_once(qtbot):
    voice = probed("import time; time.sleep(0.3)")
    started: list[str] = []
    voice.started.connect(started.append)
    voice.speak("article", "The first text.", "en")
    voice.speak("answer", "The second text.", "en")  # while the engine is checked
    with qtbot.waitSignal(voice.word, timeout=10_000) as first:
        pass
    assert first.args[:2] == ["answer", "The"] and voice.spoken == "The second text."
    assert voice._probe is None and started.count("article") == 1
