"""Is an answer written from its passages? The check that replaces an answer the
model made up, or that is a loop, with the library's own text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..knowledge.text import HAN_RUN, content_words
from ..vocabulary import Level
from .prompts import passage_text

if TYPE_CHECKING:
    from ..knowledge import Passage


@dataclass(frozen=True)
class GroundingRule:
    """How ``keeps_to_passages`` judges an answer in one language."""

    min_units: int  # shorter: not an answer ("You are a doctor.")
    loop_share: float  # at most this share of different units: a loop
    min_share: float  # at least this share of the answer must be in the passages
    # Chinese: the share counts runs of this many characters (length and loops
    # count pairs); English counts content words for all three.
    gram: int = 2


# The thresholds come from the built-in model's answers, measured with
# benchmarks/eval_grounding.py and eval_readability.py; benchmarks/RESULTS.md
# ("Grounding thresholds") has the figures and the answers they separate.
GROUNDING = {
    "en": GroundingRule(min_units=6, loop_share=0.3, min_share=0.6),
    "zh": GroundingRule(min_units=12, loop_share=0.5, min_share=0.8, gram=4),
}


def answer_units(text: str, language: str, gram: int = 2) -> list[str]:
    """What ``keeps_to_passages`` counts: English content words (``gram`` does not
    apply), or runs of ``gram`` Chinese characters."""
    if language == "zh":
        return [run[i:i + gram] for run in HAN_RUN.findall(text)
                for i in range(len(run) - gram + 1)]
    return content_words(text)


def keeps_to_passages(answer: str, passages: Sequence[Passage], question: str,
                      language: str = "en", level: Level | None = Level.BASIC) -> bool:
    """Whether ``answer`` is written from ``passages`` as the prompt gave them at
    ``level`` (see ``prompts.passage_text``), and is not a loop (see ``GROUNDING``).

    Passages in another language than the answer's (a Chinese question on a topic
    the library has only in English) cannot be compared word for word: then only
    the length and the loop are checked.
    """
    if not passages:
        return True
    rule = GROUNDING.get(language, GROUNDING["en"])
    said = answer_units(answer, language)
    if len(said) < rule.min_units or len(set(said)) / len(said) <= rule.loop_share:
        return False
    same_language = [p for p in passages if p.language == language]
    if not same_language:
        return True
    shown = " ".join(passage_text(p, level) for p in same_language)
    units = answer_units(answer, language, rule.gram) if language == "zh" else said
    if not units:
        return False
    known = set(answer_units(f"{question} {shown}", language, rule.gram))
    return sum(unit in known for unit in units) / len(units) >= rule.min_share
