"""Health literacy, Qt-free: screening → level; readability scores; writing instructions."""

from ._data import LiteracyDataError
from .levels import ORDER, Level, parse_level, simpler
from .plain import simplify, simplify_sentence, steps_for
from .readability import (
    Readability,
    badge,
    chinese_sentence_target,
    easiest_level,
    meets_target,
    near_target,
    plain_text,
    score_text,
)
from .rewrite import Choice, choose, is_easier, needs_rewrite, rewrite_instruction
from .screener import (
    Item,
    Option,
    Preferences,
    Screener,
    ScreenerResult,
    Source,
    default_preferences,
    load_screener,
    read_screener,
    score,
    skip,
)
from .style import max_sentence, style_instructions
from .teachback import Check, TeachBack, feedback_prompt, teach_back

__all__ = [
    "Check",
    "Choice",
    "Item",
    "Level",
    "LiteracyDataError",
    "ORDER",
    "Option",
    "Preferences",
    "Readability",
    "Screener",
    "ScreenerResult",
    "Source",
    "TeachBack",
    "badge",
    "chinese_sentence_target",
    "choose",
    "default_preferences",
    "easiest_level",
    "feedback_prompt",
    "is_easier",
    "load_screener",
    "max_sentence",
    "meets_target",
    "near_target",
    "needs_rewrite",
    "parse_level",
    "plain_text",
    "read_screener",
    "rewrite_instruction",
    "score",
    "score_text",
    "simpler",
    "simplify",
    "simplify_sentence",
    "skip",
    "steps_for",
    "style_instructions",
    "teach_back",
]
