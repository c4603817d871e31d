"""Is this message a current emergency? Rules, with a learned second opinion.

Run before the model on every turn, in two parts:

- the rules (resources/safety/rules_*.toml): they never miss an emergency in our
  labelled set, and they tell a present emergency from a question about a topic,
  a past event, a negation or an idiom;
- the learned screen (``learned``): a model trained on many more messages, which
  catches emergencies worded in ways no rule was written for.

Either one finding an emergency makes it one (so the rules' guarantee stays). A
learned score just under the emergency threshold makes the message "borderline":
no banner, but the answer starts with the category's "get help now if" signs.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from functools import cache

from ..resources import resource_path
from ..text_input import match_form
from .guidance import get_help_if
from .learned import LearnedScreen, learned_screen
from .numbers import Number, number_of_kind, numbers_for

LANGUAGES = ("en", "zh")
APOSTROPHES = str.maketrans("", "", "'’‘`´")
CJK = re.compile(r"[\u4e00-\u9fff]")
FLAGS = re.IGNORECASE


@dataclass(frozen=True)
class Triage:
    emergency: bool
    category: str = ""
    title: str = ""
    message: str = ""
    numbers: tuple[Number, ...] = ()
    matched: str = ""  # the words that triggered a rule, for review and tests
    decided_by: str = ""  # "rules", "learned" or "both" for an emergency
    score: float | None = None  # the learned screen's score, None if it did not run
    learned_category: str = ""  # the category the learned screen leans to
    screen: str = ""  # which learned model scored: "e5" or "ngram"
    borderline: bool = False  # close to an emergency: start with ``guidance``
    guidance: str = ""  # the "get help now if" signs, for a borderline message
    overruled: str = ""  # a rule's category the learned screen took for a false alarm

    def to_dict(self) -> dict:
        return {
            "emergency": self.emergency,
            "category": self.category,
            "title": self.title,
            "message": self.message,
            "numbers": [n.__dict__ for n in self.numbers],
            "decided_by": self.decided_by or None,
            "learned": None if self.score is None else {
                "score": self.score, "category": self.learned_category, "model": self.screen},
            "borderline": self.borderline,
            "guidance": self.guidance,
            "overruled_rule": self.overruled or None,
        }


NOT_EMERGENCY = Triage(emergency=False)


@dataclass(frozen=True)
class _Category:
    id: str
    title: str
    message: str
    patterns: tuple[re.Pattern, ...]
    requires: re.Pattern | None


@dataclass(frozen=True)
class _Rules:
    language: str
    texts: dict
    negation: re.Pattern
    negation_window: int
    by_chars: bool
    past: re.Pattern
    present: re.Pattern
    topic: re.Pattern
    general: re.Pattern
    someone_present: re.Pattern
    hypothetical: re.Pattern
    idioms: tuple[re.Pattern, ...]
    categories: tuple[_Category, ...]


@cache
def rules(language: str) -> _Rules:
    with resource_path("safety", f"rules_{language}.toml").open("rb") as fh:
        data = tomllib.load(fh)
    ctx = data["context"]
    by_chars = "negation_window_chars" in ctx
    return _Rules(
        language=language,
        texts={k: data[k] for k in ("kiosk_line", "no_number", "crisis_sentence",
                                    "poison_sentence")},
        negation=re.compile(ctx["negation"], FLAGS),
        negation_window=ctx["negation_window_chars" if by_chars else "negation_window_words"],
        by_chars=by_chars,
        past=re.compile(ctx["past"], FLAGS),
        present=re.compile(ctx["present"], FLAGS),
        topic=re.compile(ctx["topic"], FLAGS),
        general=re.compile(ctx["general"], FLAGS),
        someone_present=re.compile(ctx["someone_present"], FLAGS),
        hypothetical=re.compile(ctx["hypothetical"], FLAGS),
        idioms=tuple(re.compile(p, FLAGS) for p in ctx["idioms"]),
        # Categories that need context (pregnancy, a young baby) are checked first,
        # so "pregnant and bleeding" is a pregnancy emergency, not just bleeding.
        categories=tuple(sorted((
            _Category(
                id=c["id"],
                title=c["title"],
                message=c["message"],
                patterns=tuple(re.compile(p, FLAGS) for p in c["patterns"]),
                requires=re.compile(c["requires"], FLAGS) if "requires" in c else None,
            )
            for c in data["category"]
        ), key=lambda c: c.requires is None)),
    )


def normalize(text: str) -> str:
    """``text`` as the rules read it, whoever calls: raw text too (``match_form``:
    NFKC, no control or invisible characters, look-alike letters as Latin), lower
    case, no apostrophes, one space between words."""
    text = match_form(text).lower().translate(APOSTROPHES)
    return re.sub(r"\s+", " ", text).strip()


def clauses(text: str) -> list[str]:
    parts = re.split(r"[.!?;,。！？；，、\n]+|\bbut\b|但是|可是", text)
    return [p.strip() for p in parts if p.strip()]


def triage(text: str, language: str = "en", country: str = "", *,
           learned: bool = True, screen: LearnedScreen | None = None) -> Triage:
    """Screen ``text``: the rules, then (``learned``) the learned screen: ``screen``,
    or the best this machine runs.

    The message may be in either language; the banner is in ``language``, with
    the numbers for ``country``.
    """
    ruled = rules_triage(text, language, country)
    screen = screen or (learned_screen() if learned else None)
    if screen is None:
        return ruled
    scored = screen.score(text)
    limits = screen.thresholds
    opinion = {"score": scored.score, "learned_category": scored.category,
               "screen": scored.features}
    if ruled.emergency and scored.whole and scored.score < limits.overrule:
        # The model, having read the whole message, is sure enough that this is
        # none: a news story or a "what if" question that matched a rule. (A long
        # message is read in pieces: there a rule's match always stands.)
        return replace(NOT_EMERGENCY, overruled=ruled.category, **opinion)
    if ruled.emergency:
        both = scored.score >= limits.emergency
        return replace(ruled, decided_by="both" if both else "rules", **opinion)
    language = language if language in LANGUAGES else "en"
    if scored.score >= limits.emergency:
        found = _emergency(scored.category, "", language, country)
        return replace(found, decided_by="learned", **opinion)
    if scored.score >= limits.borderline:
        return _borderline(scored.category, language, country, opinion)
    return replace(NOT_EMERGENCY, **opinion)


def for_reply(result: Triage, language: str = "en", country: str = "") -> Triage:
    """``result`` for a reply to a "check my understanding" question, which names
    the topic's signs by design ("It makes breathing hard"): the learned screen's
    word alone counts one step less (an emergency gives the signs, no banner; the
    signs give nothing). The rules' matches stand.
    """
    if result.borderline:
        return replace(result, borderline=False, guidance="")
    if not (result.emergency and result.decided_by == "learned"):
        return result
    language = language if language in LANGUAGES else "en"
    opinion = {"score": result.score, "learned_category": result.learned_category,
               "screen": result.screen}
    return _borderline(result.category, language, country, opinion)


def _borderline(category: str, language: str, country: str, opinion: dict) -> Triage:
    guidance = get_help_if(category, language, country, rules(language).texts["no_number"])
    return replace(NOT_EMERGENCY, borderline=bool(guidance), guidance=guidance, **opinion)


def rules_triage(text: str, language: str = "en", country: str = "") -> Triage:
    """The rules alone. Both languages' rules run on every message: a patient may
    write in either, whatever the interface language."""
    language = language if language in LANGUAGES else "en"
    cleaned = normalize(text)
    order = ("zh", "en") if CJK.search(cleaned) else ("en", "zh")
    for lang in order:
        found = _screen(cleaned, rules(lang))
        if found is not None:
            category, matched = found
            return _emergency(category, matched, language, country)
    return NOT_EMERGENCY


def _screen(text: str, r: _Rules) -> tuple[str, str] | None:
    for idiom in r.idioms:
        text = idiom.sub(" ", text)
    about_topic = bool(r.topic.search(text) or r.general.search(text))
    someone_here = bool(r.someone_present.search(text))
    if r.hypothetical.search(text) and not r.present.search(text):
        return None  # "what should I do if someone overdoses? I want to be prepared"
    for category in r.categories:
        if category.requires is not None and not category.requires.search(text):
            continue
        for clause in clauses(text):
            for pattern in category.patterns:
                for match in pattern.finditer(clause):
                    if _negated(clause, match.start(), r):
                        continue
                    if r.past.search(clause) and not r.present.search(clause):
                        continue
                    if about_topic and not someone_here:
                        continue
                    return category.id, match.group(0)
    return None


def _negated(clause: str, start: int, r: _Rules) -> bool:
    before = clause[:start]
    if r.by_chars:
        window = before[-r.negation_window:]
    else:
        window = " ".join(before.split()[-r.negation_window:])
    return bool(r.negation.search(window))


def _emergency(category_id: str, matched: str, language: str, country: str) -> Triage:
    r = rules(language)
    category = next(c for c in r.categories if c.id == category_id)
    emergency = number_of_kind(country, "emergency")
    crisis = number_of_kind(country, "crisis")
    poison = number_of_kind(country, "poison")
    fill = {
        "emergency": emergency.number if emergency else r.texts["no_number"],
        "crisis_sentence": (
            r.texts["crisis_sentence"].format(crisis=crisis.number) if crisis else ""
        ),
        "poison_sentence": (
            r.texts["poison_sentence"].format(poison=poison.number)
            if poison and r.texts["poison_sentence"] else ""
        ),
    }
    message = re.sub(r"\s+", " ", category.message.format(**fill)).strip()
    wanted = {"emergency"} | {"suicide": {"crisis"}, "overdose": {"poison"}}.get(category_id, set())
    numbers = tuple(n for n in numbers_for(country) if n.kind in wanted)
    return Triage(True, category_id, category.title, message, numbers, matched,
                  decided_by="rules")


def kiosk_line(language: str) -> str:
    return rules(language if language in LANGUAGES else "en").texts["kiosk_line"]
