"""Emergency and crisis numbers per country, from resources/safety/numbers.toml."""

from __future__ import annotations

import contextlib
import locale
import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from ..resources import resource_path

# Countries that use the single European emergency number 112.
EU_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)


@dataclass(frozen=True)
class Number:
    kind: str  # emergency, crisis, poison, urgent
    number: str
    label: str
    source: str


@lru_cache(maxsize=1)
def _table() -> dict:
    with resource_path("safety", "numbers.toml").open("rb") as fh:
        return tomllib.load(fh)


def known_countries() -> list[str]:
    return sorted(_table())


def region_for(country: str) -> str | None:
    """The table entry for ``country``: itself, "EU" for EU members, else None."""
    code = (country or "").upper()
    if code == "UK":
        code = "GB"
    if code in _table():
        return code
    if code in EU_COUNTRIES:
        return "EU"
    return None


def numbers_for(country: str) -> tuple[Number, ...]:
    region = region_for(country)
    if region is None:
        return ()
    return tuple(Number(**n) for n in _table()[region]["number"])


def number_of_kind(country: str, kind: str) -> Number | None:
    return next((n for n in numbers_for(country) if n.kind == kind), None)


def default_country(env: dict | None = None) -> str:
    """The country from the system locale (``en_GB`` -> ``GB``); "" when unknown."""
    env = os.environ if env is None else env
    candidates = [env.get(name, "") for name in ("LC_ALL", "LC_MESSAGES", "LANG")]
    with contextlib.suppress(ValueError):  # an odd locale string is no country
        candidates.append(locale.getlocale()[0] or "")
    for value in candidates:
        tag = value.split(".")[0].replace("-", "_")
        if "_" in tag:
            return tag.split("_")[1].upper()
    return ""
