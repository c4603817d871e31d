"""The patient's text before a turn: is it a question we can take, and in which language."""

from __future__ import annotations

import re

MAX_QUESTION_CHARS = 4000

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")


class QuestionError(ValueError):
    """The patient's text cannot be sent as it is; the message says why."""


def clean_question(text: str) -> str:
    """``text`` stripped; a QuestionError when it is empty or too long (never cut)."""
    question = text.strip()
    if not question:
        raise QuestionError("Please type a question first.")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"Your message is {len(question):,} characters long. Please keep it under "
            f"{MAX_QUESTION_CHARS:,} characters, or ask one question at a time."
        )
    return question


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
