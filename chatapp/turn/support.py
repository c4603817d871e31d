"""How much an answer owes to its library passages, by the model's own reckoning.

The model scores the tokens it wrote twice: as it wrote them, with the passages
in the prompt (``GenerationStats.logprobs``, free), and once more with the same
prompt but the bare question (``Engine.answer_logprobs``). The mean gain a
token is the grounding check's second floor, after the share of the passages'
words (``grounding.judge``). It catches answers the model would have written
without the passages, such as the question said back, or advice of its own:
on hand-labelled answers of three models most grounded answers gained 1 to 4
(natural log) a token, most answers about something else under 0.75. It does
not catch one invented sentence in an answer otherwise drawn from the passages
(RESULTS.md, "Grounding by the model's own likelihood").

The second scoring reads the question and the answer again (a few hundred
tokens). It also leaves the conversation's next prompt, which holds the bare
question and this answer, partly read already.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import fmean
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from model import Engine


def without_passages(messages: Sequence[dict], question: str) -> list[dict]:
    """``messages`` with the last turn's passages left out: the bare question."""
    return [*messages[:-1], {"role": "user", "content": question}]


def passage_gain(engine: Engine, messages: Sequence[dict], question: str,
                 token_ids: Sequence[int], logprobs: Sequence[float]) -> float | None:
    """The mean, over an answer's tokens ``token_ids``, of their log-probabilities
    after ``messages``, which hold the passages (``logprobs``: as the stream
    reported them while writing), minus theirs after the bare question; None
    where the engine cannot score its answer (a clinic's server) or wrote nothing."""
    if not token_ids:
        return None
    alone = engine.answer_logprobs(without_passages(messages, question), token_ids)
    if alone is None:
        return None
    return fmean(w - a for w, a in zip(logprobs, alone, strict=True))
