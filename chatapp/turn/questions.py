"""The patient's text before a turn: is it a question we can take, and in which language."""

from __future__ import annotations

import re

from ..text_input import MAX_MESSAGE_CHARS, InputError, clean_input

MAX_QUESTION_CHARS = MAX_MESSAGE_CHARS

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")


class QuestionError(InputError):
    """The patient's text cannot be sent as it is; the message says why."""


def clean_question(text: str) -> str:
    """``text`` normalised (``text_input.normalize_text``) and stripped; a
    QuestionError when it is empty or too long (never cut).

    Every turn's question passes here (the window, the kiosk, ``carechat ask``,
    ``Assistant.answer``), so what is saved, searched, screened and put in the
    prompt is the normalised text. Calling it again is cheap and changes nothing.
    """
    try:
        return clean_input(text, MAX_QUESTION_CHARS, empty="Please type a question first.")
    except InputError as exc:
        raise QuestionError(exc.message, exc.hint) from None


def turn_language(text: str, default: str = "en") -> str:
    """The language a turn is in: its text's, whatever the window's language is.

    A question in Chinese is searched, answered and scored as Chinese even in an
    English window (and the other way round); a Han character counts as much as
    two Latin letters. Text with neither (digits, emoji) keeps ``default``.
    """
    han = len(HAN.findall(text))
    latin = len(LATIN.findall(text))
    if han and 2 * han >= latin:
        return "zh"
    if latin:
        return "en"
    return default
