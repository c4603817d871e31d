"""The safety step: reviewed rules answer an emergency or an out-of-scope request,
and the model is not asked."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..safety import triage
from ..safety.scope import scope_request
from ..text_input import normalize_text
from ..vocabulary import MessageStatus, StopReason
from .results import Emergency, Generation, TurnResult, where_saved

if TYPE_CHECKING:
    from ..storage import TurnLog

SAFETY_RULES = "CareChat safety rules"  # the "model" of a turn the rules answered


def answer_by_rules(
    question: str,
    language: str = "en",
    country: str = "",
    on_token: Callable[[str], None] | None = None,
    log: TurnLog | None = None,
) -> TurnResult | None:
    """The turn, if reviewed rules answer it: an emergency, or a request out of scope.

    Needs no model, so the window can run it even while the model is loading or
    could not load: an emergency is never kept waiting. ``question`` is
    normalised here too (``text_input``), so what the rules save is what every
    other turn saves, whoever calls.
    """
    question = normalize_text(question).strip()
    triaged = triage(question, language, country)
    if triaged.emergency:
        emergency = Emergency(triaged.category, triaged.title, triaged.numbers)
        return _rules_answer(question, triaged.message, on_token, log, emergency=emergency)
    request = scope_request(question, language)
    if request is not None:
        # Measured on the built-in model: asked for a dose, it invents one; asked
        # about stopping a medicine, it invents claims. These get the reviewed
        # referral, not the model.
        return _rules_answer(question, request.referral, on_token, log, scope=request.kind)
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
