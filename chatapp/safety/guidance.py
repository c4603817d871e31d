"""The "get help now if…" text a borderline message gets first (guidance_*.toml)."""

from __future__ import annotations

import tomllib
from functools import cache

from ..resources import resource_path
from .numbers import number_of_kind


@cache
def _guidance(language: str) -> dict:
    with resource_path("safety", f"guidance_{language}.toml").open("rb") as fh:
        return tomllib.load(fh)


def get_help_if(category: str, language: str, country: str, no_number: str) -> str:
    """The category's signs that mean "act now", as a short Markdown list.

    ``no_number`` stands in for the emergency number where the country has none
    on file (the rules' own wording for it).
    """
    data = _guidance(language if language in ("en", "zh") else "en")
    signs = data["signs"].get(category)
    if not signs:
        return ""
    emergency = number_of_kind(country, "emergency")
    call = data["call"].format(emergency=emergency.number if emergency else no_number)
    return "\n".join([data["heading"], *(f"- {s}" for s in signs), "", call])
