"""What every engine hands out, without torch: what is loaded (``ModelInfo``), the
text stream of one answer (``TextStream``) and its timings (``GenerationStats``).

Shared by the local ``engine.Engine`` and the ``server.ServerEngine``, so that
choosing and configuring a server never imports torch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class ModelInfo:
    """What is loaded and where it runs."""

    name: str
    device: str
    dtype: str
    source: str
    context_length: int
    loaded_from: str  # "gguf" (converted now), "cache" or "folder"
    load_ms: float
    notice: str = ""  # something the user should know, e.g. the cache could not be saved
    # How the weights are held: "int4", "float16", "float32" (own decode loop on
    # the CPU) or "transformers" (transformers' forward, any device).
    weights: str = "transformers"


@dataclass(frozen=True)
class GenerationStats:
    """Timings of one answer."""

    prompt_tokens: int
    tokens: int
    ttft_ms: float
    total_ms: float
    tokens_per_s: float
    stop_reason: str  # "eos", "length" or "stopped"
    reused_tokens: int = 0  # prompt tokens whose keys and values were kept from before
    # The tokens written (no end token) and each one's log-probability as the model
    # chose it; empty where the engine does not report them (a clinic's server).
    token_ids: tuple[int, ...] = ()
    logprobs: tuple[float, ...] = ()


class TextStream:
    """Iterate to receive text pieces; ``stats`` is set once the stream ends."""

    def __init__(self, run: Callable[[Callable[[GenerationStats], None]], Iterator[str]]) -> None:
        self.stats: GenerationStats | None = None
        self._pieces = run(self._finish)

    def _finish(self, stats: GenerationStats) -> None:
        self.stats = stats

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        return next(self._pieces)
