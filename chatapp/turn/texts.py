"""What CareChat itself says in a turn, and what it adds to the prompt
(resources/prompts/): the rules, the library's framing, the fixed answers."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from ..knowledge.text import normalize
from ..resources import read_text, resource_path


@dataclass(frozen=True)
class TurnTexts:
    """A turn's own words in one language (resources/prompts/turns.toml)."""

    grounding: str  # system prompt: answer from the passages only
    no_passages: str  # system prompt: the library had nothing for this question
    passages: str  # the line above the passages in the patient's turn
    rewrite_label: str  # the line above the text a rewrite is given
    rewriting: str  # the status shown while the rewrite runs
    library_model: str  # the "model" of an answer CareChat wrote itself
    fallback_library: str  # before a passage given instead of an unusable answer
    fallback_none: str  # instead of an unusable answer, with no passage to give
    server_cut: str  # after what a failed server wrote: it was cut off
    server_library: str  # before a passage given when the server failed
    server_none: str  # when the server failed and no passage matched
    not_covered: str  # the library has no article on the question
    closest_topics: str  # before the closest articles' titles
    small_talk: str  # the reply to a greeting or thanks


def system_prompt() -> str:
    """The safety rules every prompt starts with."""
    return read_text("prompts", "system.md").strip()


@cache
def _turns_table(language: str) -> dict:
    with resource_path("prompts", "turns.toml").open("rb") as fh:
        return tomllib.load(fh)[language]


@cache
def turn_texts(language: str) -> TurnTexts:
    table = _turns_table(language)
    return TurnTexts(**{name: table[name].strip() for name in TurnTexts.__dataclass_fields__})


@cache
def _small_talk_phrases(language: str) -> frozenset[str]:
    return frozenset(_bare(p) for p in _turns_table(language)["small_talk_phrases"])


def _bare(text: str) -> str:
    return re.sub(r"[\W_]+", "", normalize(text))


def is_small_talk(text: str, language: str = "en") -> bool:
    """Only a greeting or thanks ("Hi!", "thank you", "谢谢"), no question in it."""
    return _bare(text) in _small_talk_phrases(language)
