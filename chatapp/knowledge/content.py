"""Content rules that a machine can check: no phone number, dose or statistic.

The library README: "Never a dose, a statistic, or a phone number". Emergency
numbers come from the safety rules (per country), so an article must not carry
one of its own. Each rule is a pattern and the words used to report it.
"""

from __future__ import annotations

import re
import unicodedata

_NUMBER_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|half\s+a)"
_EN_UNITS = (
    r"(?:mg|mcg|µg|μg|ml|g|kg|iu|units?|tablets?|pills?|capsules?|caps|drops?|puffs?"
    r"|sprays?|teaspoons?|tablespoons?|spoonfuls?|tsp|tbsp|doses?)"
)
_ZH_DIGITS = r"[0-9一二两三四五六七八九十百千半]"

RULES: tuple[tuple[str, re.Pattern], ...] = (
    # Seven or more digits, maybe split by spaces, dots, dashes or brackets.
    ("a phone number", re.compile(r"(?<!\d)\+?\d(?:[\s().\-]{0,2}\d){6,}(?!\d)")),
    # Short emergency and help-line numbers (US, UK, EU, AU, CN and others).
    ("an emergency number",
     re.compile(r"(?<![\d/])(?<!\d[.,])(?:911|999|112|000|111|988|110|119|120)"
                r"(?!\d|[.,]\d|\s*[/%])")),
    ("a dose", re.compile(rf"(?<![\w.])\d+(?:[.,]\d+)?\s*{_EN_UNITS}\b", re.IGNORECASE)),
    ("a dose", re.compile(rf"\b{_NUMBER_WORDS}\s+{_EN_UNITS}\b", re.IGNORECASE)),
    ("a dose", re.compile(r"\d+(?:\.\d+)?\s*(?:毫克|毫升|微克|克|片|粒|颗|喷|滴|勺)")),
    ("a dose", re.compile(rf"{_ZH_DIGITS}+\s*(?:毫克|毫升|微克|粒|喷)")),
    ("a percentage", re.compile(r"\d\s*(?:%|％|percent\b|per\s+cent\b)", re.IGNORECASE)),
    ("a percentage", re.compile(rf"{_ZH_DIGITS}*分之{_ZH_DIGITS}+")),
    ("a statistic", re.compile(r"\b\d+\s+(?:in|out\s+of)\s+(?:every\s+)?\d+\b", re.IGNORECASE)),
    ("a reading", re.compile(r"(?<![\d/])\d{2,3}\s*/\s*\d{2,3}(?![\d/])")),
)


def content_problems(text: str) -> list[str]:
    """Each broken rule in ``text``, as "a dose ('500 mg')"."""
    cleaned = unicodedata.normalize("NFKC", text)
    found = []
    for what, pattern in RULES:
        match = pattern.search(cleaned)
        if match:
            found.append(f"{what} ({match.group(0).strip()!r})")
    return found
