"""The words every layer shares, each defined once: reading levels, answer styles,
kinds of turn, why an answer stopped, and a saved message's status.

They are ``StrEnum``s, so a value is stored in SQLite, printed as JSON and compared
as its plain name (``Level.BASIC == "basic"``), while code compares members and a
typo is an ``AttributeError`` rather than a silent mismatch. This module imports
nothing of CareChat: storage, literacy, the turn pipeline and the window all use it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

_Word = TypeVar("_Word", bound=StrEnum)


class Level(StrEnum):
    """A patient's health-literacy level, which sets the answer's target grade."""

    BASIC = "basic"
    STANDARD = "standard"
    ADVANCED = "advanced"

    @property
    def grade(self) -> int:
        """The highest US school grade a text for this level should score."""
        return _GRADES[self]


# The architecture document's "patients first": basic ≤ grade 6, standard ≤ 8,
# advanced ≤ 10.
_GRADES = {Level.BASIC: 6, Level.STANDARD: 8, Level.ADVANCED: 10}
ORDER = (Level.BASIC, Level.STANDARD, Level.ADVANCED)  # easiest first


def parse_level(text: str | Level) -> Level:
    """``"Basic "`` → ``Level.BASIC``; anything else is a ValueError that names the choices."""
    return _parse(Level, text, "reading level", str(text).strip().lower())


class AnswerStyle(StrEnum):
    """How much an answer says: the profile's choice in the reading questions.

    Not the answer's length in tokens, which is the window's setting
    (``ui.settings_dialog.MAX_TOKENS_BY_LENGTH``).
    """

    SHORT = "short"
    MORE_DETAIL = "more_detail"


def parse_answer_style(text: str | AnswerStyle) -> AnswerStyle:
    return _parse(AnswerStyle, text, "answer style")


class TurnKind(StrEnum):
    """What a turn is: a question, or one of the buttons under an answer."""

    ASK = "ask"  # the patient's question
    SIMPLER = "simpler"  # "Explain it simpler": an answer again, one level down
    TEACH_BACK = "teach_back"  # "Check my understanding": 1-2 questions about an answer
    FEEDBACK = "feedback"  # a kind reply to the patient's own-words answer


def parse_turn_kind(text: str | TurnKind) -> TurnKind:
    return _parse(TurnKind, text, "kind of turn")


class StopReason(StrEnum):
    """Why an answer ended, or who wrote it when the model did not."""

    EOS = "eos"  # the model finished
    LENGTH = "length"  # the answer's token budget ran out
    STOPPED = "stopped"  # the patient pressed Stop
    REPEATING = "repeating"  # the model began to repeat itself and was cut off
    RULES = "rules"  # the safety rules answered (an emergency, or out of scope)
    LIBRARY = "library"  # the library's own text (teach-back questions, "simpler")
    NOT_COVERED = "not_covered"  # the library has no article on the question
    SMALL_TALK = "small_talk"  # a greeting or thanks, answered without the model
    SERVER_FAULT = "server_fault"  # the clinic's server failed: the library's text given


class MessageStatus(StrEnum):
    """A saved message's state."""

    COMPLETE = "complete"
    STREAMING = "streaming"  # being written now, or cut off by a crash (see INTERRUPTED)
    CANCELLED = "cancelled"  # stopped by the patient
    INTERRUPTED = "interrupted"  # found streaming at the next start: CareChat had closed
    ERROR = "error"


def _parse(words: type[_Word], text: object, what: str, value: object = None) -> _Word:
    """``words``' member for ``value`` (default: ``text``); a ValueError naming the choices."""
    try:
        return words(text if value is None else value)
    except ValueError:
        raise ValueError(f"Unknown {what} {text!r}. Use one of: {', '.join(words)}.") from None
