"""Reading levels: basic, standard, advanced, each with its target school grade."""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    # A StrEnum, so a level is stored and compared as its plain name ("basic").
    BASIC = "basic"
    STANDARD = "standard"
    ADVANCED = "advanced"

    @property
    def grade(self) -> int:
        """The highest US school grade a text for this level should score."""
        return _GRADES[self]


# DESIGN.md: basic ≤ grade 6, standard ≤ grade 8, advanced ≤ grade 10.
_GRADES = {Level.BASIC: 6, Level.STANDARD: 8, Level.ADVANCED: 10}
ORDER = (Level.BASIC, Level.STANDARD, Level.ADVANCED)


def parse_level(text: str | Level) -> Level:
    """``"Basic "`` → ``Level.BASIC``; anything else is a ValueError that names the choices."""
    if isinstance(text, Level):
        return text
    try:
        return Level(str(text).strip().lower())
    except ValueError:
        raise ValueError(
            f"Unknown reading level {text!r}. Use one of: {', '.join(ORDER)}."
        ) from None


def simpler(level: Level | str) -> Level:
    """One level down; basic is already the simplest and stays basic."""
    index = ORDER.index(parse_level(level))
    return ORDER[max(0, index - 1)]
