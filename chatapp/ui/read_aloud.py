"""Read aloud: answers, articles and the emergency notice, in the platform's own voices.

Qt's text-to-speech module (QtTextToSpeech, in PySide6's add-ons) speaks through
the voices the computer has: speech-dispatcher with espeak-ng on Linux, SAPI or
WinRT on Windows, AVSpeech on macOS. Nothing is sent anywhere; there are no
cloud voices.

One ``ReadAloud`` per window reads one thing at a time: asking it to read
something else stops what it was reading. Each thing read has a key ("answer",
"article", "emergency"), so a ``ListenButton`` knows whether it is its own text
being read (it then says "Stop reading").

Before speech-dispatcher is used the first time, a child process checks that it
answers (``speech_probe``, at most ``PROBE_SECONDS``): a stuck daemon makes Qt
hang while connecting, which in the window's thread would freeze the window.
Meanwhile the Listen button already says "Stop reading".

Where it cannot speak, it says why and how to fix it (``unavailable``) and
never raises: the module missing (PySide6-Addons not installed, or the system's
sound library missing, which makes the import fail), no speech engine, an engine
that fails to start (speech-dispatcher not installed), no voice for the text's
language. The engine is made on the first Listen, not at start, so a window
opens as fast without voices as with them.

``CARECHAT_SPEECH_ENGINE`` names the engine to use (``mock``: Qt's silent test
engine, which reports each word as if spoken; the tests use it).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence

from PySide6.QtCore import QLocale, QObject, QProcess, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPushButton, QSizePolicy, QTextBrowser, QTextEdit, QWidget

from ..speech_text import speakable
from .a11y import MIN_TARGET_PX, describe
from .i18n import Retranslates

ENGINE_ENV = "CARECHAT_SPEECH_ENGINE"
# Preferences.speech_rate: QTextToSpeech's rate runs from -1 (slowest) to 1.
RATES = {"slower": -0.35, "normal": 0.0, "faster": 0.3}
_LANGUAGES = {"en": QLocale.Language.English, "zh": QLocale.Language.Chinese}
PROBE_SECONDS = 8
# Engines whose start can hang on a daemon: checked in a child process first.
PROBED_ENGINES = frozenset({"speechd"})
_PREFERRED = {"en": QLocale.Country.UnitedStates, "zh": QLocale.Country.China}


def _speech_module():
    """QtTextToSpeech, or None and why it could not be imported."""
    try:
        from PySide6 import QtTextToSpeech
    except ImportError as exc:
        return None, str(exc)
    return QtTextToSpeech, ""


class ReadAloud(QObject):
    """Speaks one text at a time and says what it is doing.

    Signals:
        started(str): the key of the text now being read.
        finished(str): that text's reading ended (read to the end, stopped, or failed).
        word(str, str, int): key, the word being spoken, its offset in ``spoken``
            (where the engine reports words: Qt's mock engine does; speech-dispatcher
            with espeak-ng, tried on Debian 12, reported none).
        unavailable(str): why nothing can be read, and how to add what is missing.
    """

    started = Signal(str)
    finished = Signal(str)
    word = Signal(str, str, int)
    unavailable = Signal(str)

    def __init__(self, parent: QObject | None = None, engine: str | None = None,
                 probe: Sequence[str] | None = None) -> None:
        """``probe``: the command that checks the engine (tests give their own);
        None: ``speech_probe`` where the engine is one of ``PROBED_ENGINES``."""
        super().__init__(parent)
        self.engine_name = os.environ.get(ENGINE_ENV, "") if engine is None else engine
        self._probe_command = list(probe) if probe is not None else None
        self._probe: QProcess | None = None
        self._probed = False
        self._pending: tuple[str, str] | None = None  # (spoken text, language) to say
        self._tts = None
        self._key = ""
        self._heard = False  # the engine said it is speaking the current text
        self.rate = 0.0
        self.spoken = ""  # the text as given to the voice (``word`` offsets are in it)

    # --- what it is doing ---------------------------------------------------------------
    def reading(self) -> str:
        """The key of the text being read, "" when silent."""
        return self._key

    def set_rate(self, rate: str | float) -> None:
        """A name of ``RATES`` or a rate from -1 to 1; used from the next reading on."""
        self.rate = RATES.get(rate, 0.0) if isinstance(rate, str) else max(-1.0, min(1.0, rate))

    # --- speaking -------------------------------------------------------------------------
    def speak(self, key: str, text: str, language: str = "en") -> bool:
        """Read ``text`` (Markdown or plain, in ``language``) aloud, instead of anything
        being read now. False, with ``unavailable`` said, where it cannot; True when
        it reads, or first checks the engine (``unavailable`` may still follow)."""
        self.stop()
        spoken = speakable(text, language)
        if not spoken:
            self.unavailable.emit(self.tr("There is nothing to read aloud here yet."))
            return False
        module, problem = _speech_module()
        if module is None:
            self.unavailable.emit(self.tr(
                "Read-aloud is not available: Qt's speech module could not be loaded "
                "({problem}). Install PySide6-Addons and, on Debian or Ubuntu, "
                "“sudo apt install libpulse0 speech-dispatcher espeak-ng”.").format(
                    problem=problem))
            return False
        if self._tts is None and not self._probed and self._needs_probe(module):
            self._key, self._pending = key, (spoken, language)
            self.started.emit(key)
            if self._probe is None:  # one check at a time: a later Listen waits for it
                self._start_probe()
            return True
        return self._say(key, spoken, language)

    def _say(self, key: str, spoken: str, language: str) -> bool:
        tts = self._engine()
        if tts is None or not self._choose_voice(tts, language):
            return False
        tts.setRate(self.rate)
        self.spoken, self._key, self._heard = spoken, key, False
        self.started.emit(key)
        tts.say(spoken)
        return True

    # --- checking the engine first (speech_probe) ---------------------------------------
    def _needs_probe(self, module) -> bool:
        if self._probe_command is not None:
            return True
        engines = module.QTextToSpeech.availableEngines()
        name = self.engine_name or (engines[0] if engines else "")
        return name in PROBED_ENGINES

    def _start_probe(self) -> None:
        command = self._probe_command or [sys.executable, "-m", "chatapp.ui.speech_probe",
                                          self.engine_name]
        self._probe = probe = QProcess(self)
        probe.finished.connect(lambda code, status: self._probe_finished(probe, code, status))
        probe.errorOccurred.connect(lambda _error: self._probe_error(probe))
        QTimer.singleShot(PROBE_SECONDS * 1000, probe, lambda: self._probe_timed_out(probe))
        probe.start(command[0], command[1:])

    def _probe_error(self, probe: QProcess) -> None:
        if self._probe is probe:  # not the kill after a time-out, already said
            self._probe_failed(probe.errorString())

    def _probe_timed_out(self, probe: QProcess) -> None:
        if self._probe is probe and probe.state() != QProcess.ProcessState.NotRunning:
            self._probe_failed(self.tr(
                "it did not answer within {seconds} seconds; restarting speech-dispatcher, "
                "or the computer, may help").format(seconds=PROBE_SECONDS))
            probe.kill()

    def _probe_finished(self, probe: QProcess, code: int,
                        status: QProcess.ExitStatus) -> None:
        if self._probe is not probe or status != QProcess.ExitStatus.NormalExit:
            return  # killed: _probe_timed_out has said why
        output = bytes(probe.readAllStandardOutput().data()).decode(errors="replace")
        self._probe = None
        if code != 0:
            self._probe_failed(output.strip() or self.tr("the speech engine failed"))
            return
        self._probed = True
        pending, self._pending = self._pending, None
        key, self._key = self._key, ""
        # Not stopped meanwhile: read it now.
        if pending is not None and key and not self._say(key, *pending):
            self.finished.emit(key)

    def _probe_failed(self, problem: str) -> None:
        self._probe, self._pending = None, None
        key, self._key = self._key, ""
        self.unavailable.emit(self._not_started(problem))
        if key:
            self.finished.emit(key)

    def _not_started(self, problem: str) -> str:
        return self.tr(
            "Read-aloud is not available: the speech engine did not start "
            "({problem}). On Debian or Ubuntu: “sudo apt install speech-dispatcher "
            "espeak-ng”; on Windows and macOS, add a voice in the system's speech "
            "settings.").format(problem=problem)

    def stop(self) -> None:
        """Stop at once; nothing stays queued (a kiosk visit's end calls this)."""
        key, self._key = self._key, ""
        self._pending = None  # a check still running then says nothing
        if self._tts is not None:
            self._tts.stop()
        if key:
            self.finished.emit(key)

    # --- the engine -----------------------------------------------------------------------
    def _engine(self):
        if self._tts is not None:
            return self._tts
        module, _problem = _speech_module()
        engines = module.QTextToSpeech.availableEngines()
        name = self.engine_name
        if not engines or (name and name not in engines):
            self.unavailable.emit(self.tr(
                "Read-aloud is not available: this computer has no speech engine. "
                "On Debian or Ubuntu: “sudo apt install speech-dispatcher espeak-ng”."))
            return None
        tts = module.QTextToSpeech(name, self) if name else module.QTextToSpeech(self)
        if tts.state() == module.QTextToSpeech.State.Error:
            problem = tts.errorString()
            tts.deleteLater()  # the next Listen tries again: a voice may have been added
            self.unavailable.emit(self._not_started(problem))
            return None
        self._states = module.QTextToSpeech.State
        tts.stateChanged.connect(self._on_state)
        tts.sayingWord.connect(self._on_word)
        tts.errorOccurred.connect(self._on_error)
        self._tts = tts
        return tts

    def _choose_voice(self, tts, language: str) -> bool:
        wanted = _LANGUAGES.get(language, QLocale.Language.English)
        if tts.locale().language() != wanted:
            locales = [loc for loc in tts.availableLocales() if loc.language() == wanted]
            if not locales:
                self.unavailable.emit(self.missing_voice(language))
                return False
            locales.sort(key=lambda loc: loc.territory() != _PREFERRED.get(language))
            tts.setLocale(locales[0])
        if not tts.availableVoices():
            self.unavailable.emit(self.missing_voice(language))
            return False
        return True

    def missing_voice(self, language: str) -> str:
        """What to say when no voice speaks ``language``, and how to add one."""
        name = self.tr("Chinese") if language == "zh" else self.tr("English")
        return self.tr(
            "No {language} voice is installed, so this cannot be read aloud. To add one: "
            "on Debian or Ubuntu, “sudo apt install espeak-ng speech-dispatcher-espeak-ng”; "
            "on Windows, Settings › Time & language › Speech › Add voices; on macOS, "
            "System Settings › Accessibility › Spoken Content › System voice."
        ).format(language=name)

    def _on_state(self, state) -> None:
        if not self._key:
            return
        if state == self._states.Speaking:
            self._heard = True
        elif state == self._states.Ready and self._heard:  # read to the end
            key, self._key = self._key, ""
            self.finished.emit(key)

    def _on_word(self, word: str, _id: int, start: int, _length: int) -> None:
        if self._key:
            self.word.emit(self._key, word, start)

    def _on_error(self, _reason, message: str) -> None:
        key, self._key = self._key, ""
        self.unavailable.emit(self.tr("Reading aloud stopped: {problem}").format(
            problem=message or self.tr("the speech engine failed")))
        if key:
            self.finished.emit(key)


class ListenButton(Retranslates, QPushButton):
    """Listen / Stop reading, for one text: ``text_of()`` gives (text, language)."""

    def __init__(self, read_aloud: ReadAloud, key: str,
                 text_of: Callable[[], tuple[str, str]] = lambda: ("", "en"),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.read_aloud = read_aloud
        self.key = key
        self.text_of = text_of
        self.setCheckable(True)
        self.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(MIN_TARGET_PX)
        self.clicked.connect(self._on_clicked)
        read_aloud.started.connect(lambda _key: self.retranslate())
        read_aloud.finished.connect(lambda _key: self.retranslate())
        self.retranslate()

    def _on_clicked(self) -> None:
        if self.read_aloud.reading() == self.key:
            self.read_aloud.stop()
        else:
            text, language = self.text_of()
            self.read_aloud.speak(self.key, text, language)
        self.retranslate()

    def retranslate(self) -> None:
        reading = self.read_aloud.reading() == self.key
        self.setChecked(reading)
        if reading:
            self.setText(self.tr("Stop reading"))
            describe(self, self.tr("Stop reading aloud"), self.tr("Stop reading this aloud"))
        else:
            self.setText(self.tr("Listen"))
            describe(self, self.tr("Listen"), self.tr("Read this aloud"))


class ReadAlong(QObject):
    """A ``ListenButton`` for a text browser's text, with each word highlighted as it
    is read (found in the browser after the last one: the voice reads the text
    cleaned by ``speakable``, not the browser's) and scrolled into view."""

    def __init__(self, read_aloud: ReadAloud, key: str, browser: QTextBrowser,
                 text_of: Callable[[], tuple[str, str]], parent: QWidget) -> None:
        super().__init__(parent)
        self.read_aloud = read_aloud
        self.key = key
        self.browser = browser
        self.button = ListenButton(read_aloud, key, text_of, parent)
        self._at = 0  # where in the browser the next word is looked for
        read_aloud.started.connect(self._on_started)
        read_aloud.word.connect(self._on_word)
        read_aloud.finished.connect(self._on_finished)

    def stop(self) -> None:
        """Stop, if it is this text being read."""
        if self.read_aloud.reading() == self.key:
            self.read_aloud.stop()

    def highlighted_word(self) -> str:
        selections = self.browser.extraSelections()
        return selections[0].cursor.selectedText() if selections else ""

    def _on_started(self, key: str) -> None:
        if key == self.key:
            self._at = 0

    def _on_word(self, key: str, word: str, _offset: int) -> None:
        if key != self.key or not word.strip():
            return
        found = self.browser.document().find(word, self._at)
        if found.isNull():
            return
        self._at = found.selectionEnd()
        selection = QTextEdit.ExtraSelection()
        selection.cursor = found
        palette = self.browser.palette()
        selection.format.setBackground(palette.highlight())
        selection.format.setForeground(palette.highlightedText())
        self.browser.setExtraSelections([selection])
        caret = QTextCursor(found)
        caret.clearSelection()
        self.browser.setTextCursor(caret)
        self.browser.ensureCursorVisible()

    def _on_finished(self, key: str) -> None:
        if key == self.key:
            self.browser.setExtraSelections([])
