"""Patient safety, Qt-free: emergencies before the model (rules and a learned
screen), scope rules around it."""

from .learned import LearnedScreen, learned_scope, learned_screen
from .numbers import Number, default_country, known_countries, numbers_for
from .triage import LANGUAGES, NOT_EMERGENCY, Triage, for_reply, kiosk_line, rules_triage, triage

__all__ = [
    "LANGUAGES",
    "NOT_EMERGENCY",
    "LearnedScreen",
    "Number",
    "Triage",
    "default_country",
    "for_reply",
    "kiosk_line",
    "known_countries",
    "learned_scope",
    "learned_screen",
    "numbers_for",
    "rules_triage",
    "triage",
]
