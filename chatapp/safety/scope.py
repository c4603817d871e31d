"""CareChat educates; it does not diagnose, prescribe or give doses.

Two checks from resources/safety/scope_*.toml: requests for a dose, a diagnosis
or a change of medicine get a fixed, reviewed referral instead of the model's
answer; and every sentence of any model answer that states a specific dose is
removed before it is shown. ``scope_check`` adds the learned scope model's
opinion to the request rules (``scope_request``).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from ..resources import resource_path
from ..sentences import SentenceFilter
from .learned import LearnedScope, learned_scope
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


_PART = re.compile(r"\{(\w+)\}")


def expand_parts(pattern: str, parts: dict[str, str]) -> str:
    """``pattern`` with each ``{name}`` of ``parts`` replaced by that part, itself expanded.

    Other braces (``{0,40}``) are left alone: they are regex repeats.
    """

    def part(match: re.Match, seen: tuple[str, ...] = ()) -> str:
        name = match.group(1)
        if name not in parts:
            return match.group(0)
        if name in seen:
            raise ValueError(f"The dose part {name!r} refers to itself.")
        return _PART.sub(lambda m: part(m, (*seen, name)), parts[name])

    return _PART.sub(part, pattern)


@cache
def _scope(language: str) -> _Scope:
    with resource_path("safety", f"scope_{language}.toml").open("rb") as fh:
        data = tomllib.load(fh)
    parts = data.get("dose_parts", {})
    return _Scope(
        dose_referral=data["dose_referral"],
        dose_patterns=tuple(re.compile(expand_parts(p, parts), FLAGS)
                            for p in data["dose"]["patterns"]),
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


def scope_check(text: str, language: str = "en", *, model: LearnedScope | None = None,
                model_alone: bool = False) -> ScopeRequest | None:
    """The request to refer, the rules and the learned scope model together.

    A rule's match is dropped when the model is all but sure the message is an
    ordinary question ("I was just told I have type 2 diabetes, what can I eat?").
    ``model_alone`` also lets the model refer a request no rule matched. It is
    off in CareChat: measured (benchmarks/RESULTS.md), it referred far more real
    requests but also more ordinary questions ("I burned my hand, what should I
    put on it?" got "I can't tell you what you have"), and a wrong referral leaves
    a patient with no answer, where a missed request still meets the dose filter.
    Thresholds are in resources/safety/learned/card.toml, with their figures.
    ``model``: the learned scope model to use, else the best this machine runs.
    """
    ruled = scope_request(text, language)
    model = model or learned_scope()
    if model is None:
        return ruled
    opinion = model.opinion(text)
    if ruled is not None:
        return None if opinion.none >= model.veto else ruled
    if model_alone and opinion.likelihood >= model.refer:
        wanted = _scope(_lang(language)).requests
        return next(r.request for r in wanted if r.request.kind == opinion.request)
    return None


def states_a_dose(sentence: str) -> bool:
    cleaned = normalize(sentence)
    return any(p.search(cleaned) for lang in LANGUAGES for p in _scope(lang).dose_patterns)


class DoseFilter(SentenceFilter):
    """Streams text through, sentence by sentence, without any that states a dose.

    The first removed sentence becomes a referral to the pharmacist.
    """

    def __init__(self, language: str = "en") -> None:
        super().__init__()
        self.referral = _scope(_lang(language)).dose_referral
        self.removed = 0

    def check(self, sentence: str) -> str:
        if not states_a_dose(sentence):
            return sentence
        self.removed += 1
        if self.removed > 1:
            return ""
        lead = sentence[: len(sentence) - len(sentence.lstrip())]
        trail = sentence[len(sentence.rstrip()):]
        return f"{lead}{self.referral}{trail}"
