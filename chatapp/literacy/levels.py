"""Reading levels: the one definition is ``chatapp.vocabulary.Level``; literacy adds
what it means to go down a level."""

from __future__ import annotations

from ..vocabulary import ORDER, Level, parse_level

__all__ = ["ORDER", "Level", "parse_level", "simpler"]


def simpler(level: Level | str) -> Level:
    """One level down; basic is already the simplest and stays basic."""
    index = ORDER.index(parse_level(level))
    return ORDER[max(0, index - 1)]
