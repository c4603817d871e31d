"""CareChat educates; it does not diagnose, prescribe or give doses.

Two checks from resources/safety/scope_*.toml: requests for a dose, a diagnosis
or a change of medicine get a fixed, reviewed referral instead of the model's
answer; and every sentence of any model answer that states a specific dose is
removed before it is shown.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from ..resources import resource_path
from ..sentences import SENTENCE_END
from .triage import LANGUAGES, normalize

FLAGS = re.IGNORECASE


@dataclass(frozen=True)
class ScopeRequest:
    kind: str  # dose, diagnosis, medication_change
    referral: str  # the reviewed answer


@dataclass(frozen=True)
class _Rule:
    """One kind of request: any of ``patterns``, unless one of ``unless`` matches
    and ``still_if`` does not (a habit's "how much", without a medicine named)."""

    request: ScopeRequest
    patterns: tuple[re.Pattern, ...]
    unless: tuple[re.Pattern, ...] = ()
    still_if: re.Pattern | None = None

    def matches(self, text: str) -> bool:
        if not any(p.search(text) for p in self.patterns):
            return False
        if any(p.search(text) for p in self.unless):
            return self.still_if is not None and bool(self.still_if.search(text))
        return True


@dataclass(frozen=True)
class _Scope:
    dose_referral: str
    dose_patterns: tuple[re.Pattern, ...]
    requests: tuple[_Rule, ...]


@cache
def _scope(language: str) -> _Scope:
    with resource_path("safety", f"scope_{language}.toml").open("rb") as fh:
        data = tomllib.load(fh)
    return _Scope(
        dose_referral=data["dose_referral"],
        dose_patterns=tuple(re.compile(p, FLAGS) for p in data["dose_patterns"]),
        requests=tuple(
            _Rule(ScopeRequest(r["id"], r["referral"]),
                  tuple(re.compile(p, FLAGS) for p in r["patterns"]),
                  tuple(re.compile(p, FLAGS) for p in r.get("unless", ())),
                  re.compile(r["still_if"], FLAGS) if "still_if" in r else None)
            for r in data["request"]
        ),
    )


def _lang(language: str) -> str:
    return language if language in LANGUAGES else "en"


def scope_request(text: str, language: str = "en") -> ScopeRequest | None:
    """The out-of-scope request in ``text`` (dose first, then diagnosis, then change)."""
    cleaned = normalize(text)
    for lang in dict.fromkeys((_lang(language), "en", "zh")):
        for rule in _scope(lang).requests:
            if rule.matches(cleaned):
                # Answer in the patient's language, whichever rules matched.
                wanted = _scope(_lang(language)).requests
                return next(r.request for r in wanted if r.request.kind == rule.request.kind)
    return None


def states_a_dose(sentence: str) -> bool:
    cleaned = normalize(sentence)
    return any(p.search(cleaned) for lang in LANGUAGES for p in _scope(lang).dose_patterns)


class SentenceFilter:
    """Streams text through a sentence at a time; ``_check`` keeps, changes or drops each.

    Text is held until its sentence ends, so a dropped sentence is never shown,
    even for a moment.
    """

    def __init__(self) -> None:
        self._pending = ""

    def feed(self, piece: str) -> str:
        self._pending += piece
        parts = SENTENCE_END.split(self._pending)
        self._pending = parts.pop()
        return "".join(self._check(p) for p in parts)

    def flush(self) -> str:
        tail, self._pending = self._pending, ""
        return self._check(tail)

    def _check(self, sentence: str) -> str:
        raise NotImplementedError


class SentenceChecks(SentenceFilter):
    """Several filters' checks on each sentence, in order, with the text split once.

    Filters fed one into the next would each hold a sentence until the space
    after it arrives, which comes only with the next sentence from the filter
    before: every filter in such a chain shows each sentence one sentence later.
    A sentence one check drops is not shown to the next.
    """

    def __init__(self, *filters: SentenceFilter) -> None:
        super().__init__()
        self.filters = filters

    def _check(self, sentence: str) -> str:
        for each in self.filters:
            if not sentence:
                break
            sentence = each._check(sentence)
        return sentence


class DoseFilter(SentenceFilter):
    """Streams text through, sentence by sentence, without any that states a dose.

    The first removed sentence becomes a referral to the pharmacist.
    """

    def __init__(self, language: str = "en") -> None:
        super().__init__()
        self.referral = _scope(_lang(language)).dose_referral
        self.removed = 0

    def _check(self, sentence: str) -> str:
        if not states_a_dose(sentence):
            return sentence
        self.removed += 1
        if self.removed > 1:
            return ""
        lead = sentence[: len(sentence) - len(sentence.lstrip())]
        trail = sentence[len(sentence.rstrip()):]
        return f"{lead}{self.referral}{trail}"
