"""Filters a model's answer streams through, sentence by sentence, before the patient
sees it (with the dose filter of ``chatapp.safety``)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..literacy import simplify_sentence
from ..sentences import SENTENCE_END, SentenceFilter
from ..vocabulary import Level

REPEATS_TO_STOP = 3  # sentences said again before the answer is cut off as a loop

LIST_MARK = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s*")
# The model talking to itself in its instructions' words, however garbled ("You're
# CareChat, a patient-education assistant.", "You are CareChat, a patient who is
# caring for a patient."): never part of an answer to a patient.
ROLE_ECHO = re.compile(r"(?:you are|you re|your|你是) carechat\b")


class RepeatGuard(SentenceFilter):
    """Drops sentences the answer already said, or that say the prompt back; reports a loop.

    The small built-in model, decoding greedily, often starts to repeat one or two
    sentences until it runs out of tokens, and with library passages in the
    prompt it sometimes recites its instructions ("You are CareChat...", the
    writing rules) or the passages' labels. Such a sentence is dropped (text is
    held until its sentence ends, like the dose filter): the patient never sees
    the prompt. After ``REPEATS_TO_STOP`` repeats, or as many echoes, the answer
    is cut off, which also saves the time of generating the rest.
    """

    def __init__(self, limit: int = REPEATS_TO_STOP, echoes: Iterable[str] = ()) -> None:
        super().__init__()
        self.limit = limit
        self.removed = 0
        self.echoed = 0
        # Sentences of the prompt the model must not say back.
        # Cut both at line ends (a rule per line) and, with lines joined, at
        # sentence ends only (a sentence the prompt wraps over two lines).
        self._echoes = {sentence_key(part) for text in echoes
                        for cut in (text, re.sub(r"(?<=\S)\n(?=\S)", " ", text))
                        for part in SENTENCE_END.split(cut)} - {""}
        self._seen: set[str] = set()

    @property
    def looping(self) -> bool:
        return self.removed >= self.limit or self.echoed >= self.limit

    def check(self, sentence: str) -> str:
        key = sentence_key(sentence)
        if not key:
            return sentence  # spacing, list numbers, punctuation: keep the layout
        if key in self._echoes or ROLE_ECHO.match(key):
            self.echoed += 1
            return ""
        if key in self._seen:
            self.removed += 1
            return ""
        self._seen.add(key)
        return sentence


class PlainWords(SentenceFilter):
    """The level's plain-language edits (``literacy.simplify_sentence``), as the text streams.

    Applied to each sentence as it is shown, not after, so the answer does not
    change under the patient's eyes.
    """

    def __init__(self, level: Level, language: str) -> None:
        super().__init__()
        self.level = level
        self.language = language

    def check(self, sentence: str) -> str:
        return simplify_sentence(sentence, self.level, self.language)


def sentence_key(sentence: str) -> str:
    """A sentence's words, lower case, without list marks or punctuation."""
    return " ".join(re.findall(r"\w+", LIST_MARK.sub("", sentence).lower()))
