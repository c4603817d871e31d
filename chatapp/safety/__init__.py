"""Patient safety, Qt-free: emergencies before the model, scope rules around it."""

from .numbers import Number, default_country, known_countries, numbers_for
from .triage import LANGUAGES, NOT_EMERGENCY, Triage, kiosk_line, triage

__all__ = [
    "LANGUAGES",
    "NOT_EMERGENCY",
    "Number",
    "Triage",
    "default_country",
    "kiosk_line",
    "known_countries",
    "numbers_for",
    "triage",
]
