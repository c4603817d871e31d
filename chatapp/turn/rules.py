"""The safety step: reviewed text answers an emergency or an out-of-scope request,
and the model is not asked; a borderline message gets the "get help now if" signs
before its answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..safety import Triage, triage
from ..safety.scope import ScopeRequest, scope_check
from ..safety.triage import for_reply
from ..text_input import normalize_text
from ..vocabulary import MessageStatus, StopReason
from .questions import turn_language
from .results import Emergency, Generation, TurnResult, where_saved

if TYPE_CHECKING:
    from ..storage import TurnLog

SAFETY_RULES = "CareChat safety rules"  # the "model" of a turn the rules answered


@dataclass(frozen=True)
class SafetyCheck:
    """What the safety step found in ``question``: the triage, and a request out of scope."""

    question: str
    triage: Triage
    request: ScopeRequest | None

    @property
    def preface(self) -> str:
        """The text a turn the model answers starts with: a borderline message's signs."""
        return self.triage.guidance if self.triage.borderline else ""


def check_safety(question: str, language: str = "en", country: str = "", *,
                 reply: bool = False) -> SafetyCheck:
    """Triage (rules and the learned screen), then the scope check unless it is an
    emergency, in the language the message is written in (``turn_language``; the
    window's ``language`` for text with neither script), as every other step of a
    turn is: a Chinese message in an English window is checked against the Chinese
    rules and answered in Chinese. ``reply``: the patient's answer to a teach-back
    question, where the learned screen's word alone counts less
    (``safety.triage.for_reply``)."""
    language = turn_language(question, language)
    triaged = triage(question, language, country)
    if reply:
        triaged = for_reply(triaged, language, country)
    if triaged.emergency:
        return SafetyCheck(question, triaged, None)
    return SafetyCheck(question, triaged, scope_check(question, language))


def answer_by_rules(
    question: str,
    language: str = "en",
    country: str = "",
    on_token: Callable[[str], None] | None = None,
    log: TurnLog | None = None,
    *,
    checked: SafetyCheck | None = None,
    reply: bool = False,
) -> TurnResult | None:
    """The turn, if reviewed text answers it: an emergency, or a request out of scope.

    Needs no generation model, so the window can run it even while the model is
    loading or could not load: an emergency is never kept waiting. ``question`` is
    normalised here too (``text_input``), so what the rules save is what every
    other turn saves, whoever calls. ``checked``: the safety check already run on
    this question; ``reply``: see ``check_safety``.
    """
    question = normalize_text(question).strip()
    checked = checked or check_safety(question, language, country, reply=reply)
    triaged = checked.triage
    if triaged.emergency:
        emergency = Emergency(triaged.category, triaged.title, triaged.numbers)
        return _rules_answer(question, triaged.message, on_token, log, emergency=emergency)
    if checked.request is not None:
        # Measured on the built-in model: asked for a dose, it invents one; asked
        # about stopping a medicine, it invents claims. These get the reviewed
        # referral, not the model.
        # A borderline message's signs come first here too.
        referral = "\n\n".join(filter(None, (checked.preface, checked.request.referral)))
        return _rules_answer(question, referral, on_token, log, scope=checked.request.kind)
    return None


def _rules_answer(question: str, message: str, on_token: Callable[[str], None] | None,
                  log: TurnLog | None, **fields) -> TurnResult:
    if log is not None:
        log.begin(question)
    if on_token is not None:
        on_token(message)
    if log is not None:
        log.progress(message)
        log.finish(MessageStatus.COMPLETE, model=SAFETY_RULES)
    return TurnResult(
        question=question, answer=message, generation=Generation(SAFETY_RULES),
        stop_reason=StopReason.RULES, **where_saved(log), **fields)
