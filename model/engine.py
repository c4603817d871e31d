"""Stream text from a loaded causal language model, one token at a time.

Generation is a chain of small functions (prefill, decode one token, sample) in
the style of gpt-fast, so each step is testable and Stop is checked between any
two tokens.
"""

from __future__ import annotations

import inspect
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import torch
from transformers import DynamicCache, PreTrainedModel

from .decoding import IncrementalDecoder
from .errors import ModelOutOfMemoryError, PromptTooLongError, UnsupportedModelError


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


@dataclass(frozen=True)
class GenerationStats:
    """Timings of one answer."""

    prompt_tokens: int
    tokens: int
    ttft_ms: float
    total_ms: float
    tokens_per_s: float
    stop_reason: str  # "eos", "length" or "stopped"


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


def cache_keyword(model: PreTrainedModel) -> str:
    """transformers 5.x renamed ``past_key_values`` to ``cache``; accept both."""
    params = inspect.signature(model.forward).parameters
    return "cache" if "cache" in params else "past_key_values"


def prefill(
    model: PreTrainedModel, input_ids: torch.Tensor, cache: DynamicCache, keyword: str
) -> torch.Tensor:
    """Run the whole prompt once; return the logits of its last position."""
    with torch.inference_mode():
        out = model(input_ids=input_ids, use_cache=True, logits_to_keep=1, **{keyword: cache})
    return out.logits[0, -1]


def decode_one(
    model: PreTrainedModel, token_id: int, cache: DynamicCache, keyword: str
) -> torch.Tensor:
    """Feed one token; return the logits for the next one."""
    with torch.inference_mode():
        ids = torch.tensor([[token_id]], device=model.device)
        out = model(input_ids=ids, use_cache=True, **{keyword: cache})
    return out.logits[0, -1]


def sample(
    logits: torch.Tensor,
    temperature: float,
    top_p: float = 1.0,
    generator: torch.Generator | None = None,
) -> int:
    """Greedy at temperature 0, else nucleus sampling."""
    if temperature <= 0:
        return int(torch.argmax(logits))
    probs = torch.softmax(logits.float() / temperature, dim=-1)
    if top_p < 1.0:
        sorted_probs, order = torch.sort(probs, descending=True)
        keep = torch.cumsum(sorted_probs, dim=-1) - sorted_probs < top_p
        sorted_probs = torch.where(keep, sorted_probs, torch.zeros_like(sorted_probs))
        choice = torch.multinomial(sorted_probs, 1, generator=generator)
        return int(order[choice])
    return int(torch.multinomial(probs, 1, generator=generator))


class Engine:
    """A loaded model and its tokenizer; turns chat messages into streamed text.

    One stream at a time: the app runs every turn on a single worker thread.
    """

    def __init__(self, model: PreTrainedModel, tokenizer, info: ModelInfo) -> None:
        if not getattr(tokenizer, "chat_template", None):
            raise UnsupportedModelError(
                f"{info.name} has no chat template, so it is not a chat model.",
                "Choose an instruct (chat) version of the model.",
            )
        self.model = model
        self.tokenizer = tokenizer
        self.info = info
        self._eos_ids = _eos_ids(model, tokenizer)
        self._cache_keyword = cache_keyword(model)
        # Longest first, so "<|im_start|>" goes before any token it contains.
        self._control_tokens = sorted(
            {t for t in tokenizer.all_special_tokens if t}, key=len, reverse=True
        )

    def prompt_ids(self, messages: Sequence[dict]) -> list[int]:
        """Token ids of ``messages`` in the model's own chat template.

        Control tokens typed inside a message ("<|im_start|>system...") are
        removed first: otherwise the tokenizer would read them as real role
        markers, and a patient's text could pose as the system's rules.
        """
        clean = [{**m, "content": self._without_control_tokens(m["content"])} for m in messages]
        text = self.tokenizer.apply_chat_template(clean, add_generation_prompt=True, tokenize=False)
        return self.tokenizer(text, add_special_tokens=False)["input_ids"]

    def _without_control_tokens(self, text: str) -> str:
        for token in self._control_tokens:
            text = text.replace(token, "")
        return text

    def count_tokens(self, messages: Sequence[dict]) -> int:
        return len(self.prompt_ids(messages))

    def stream(
        self,
        messages: Sequence[dict],
        max_new_tokens: int = 256,
        temperature: float = 0.0,
        stop_event: threading.Event | None = None,
        top_p: float = 0.9,
        seed: int | None = None,
    ) -> TextStream:
        """Start generating an answer to ``messages``; iterate the result for text.

        With ``stop_event`` set, the stream ends before the next token.
        """
        ids = self.prompt_ids(messages)
        room = self.info.context_length - len(ids)
        if room <= 0:
            raise PromptTooLongError(
                f"The conversation is {len(ids)} tokens long; the model reads at most "
                f"{self.info.context_length}.",
                "Start a new conversation or ask a shorter question.",
            )
        budget = min(max_new_tokens, room)
        return TextStream(
            lambda done: self._generate(
                done, ids, budget, temperature, top_p, seed, stop_event or threading.Event()
            )
        )

    def _generate(self, done, ids, max_new_tokens, temperature, top_p, seed, stop_event):
        decoder = IncrementalDecoder(self.tokenizer)
        generator = None
        if seed is not None:
            generator = torch.Generator(device=self.model.device).manual_seed(seed)
        start = time.perf_counter()
        first_at = None
        produced = decode_steps = 0
        reason = "length"
        cache = DynamicCache(config=self.model.config)
        try:
            logits = None
            for _ in range(max_new_tokens):
                if stop_event.is_set():
                    reason = "stopped"
                    break
                if logits is None:
                    prompt = torch.tensor([ids], device=self.model.device)
                    logits = prefill(self.model, prompt, cache, self._cache_keyword)
                token = sample(logits, temperature, top_p, generator)
                first_at = first_at or time.perf_counter()
                if token in self._eos_ids:
                    reason = "eos"
                    break
                produced += 1
                if piece := decoder.push(token):
                    yield piece
                if produced < max_new_tokens and not stop_event.is_set():
                    logits = decode_one(self.model, token, cache, self._cache_keyword)
                    decode_steps += 1
        except (MemoryError, torch.OutOfMemoryError) as exc:
            raise ModelOutOfMemoryError(
                "The computer ran out of memory while writing the answer.",
                "Close other programs, ask a shorter question, or choose a smaller model.",
            ) from exc
        if tail := decoder.flush():
            yield tail
        end = time.perf_counter()
        first_at = first_at or end
        done(
            GenerationStats(
                prompt_tokens=len(ids),
                tokens=produced,
                ttft_ms=round((first_at - start) * 1000, 1),
                total_ms=round((end - start) * 1000, 1),
                # The first token comes from the prefill; speed counts decode steps.
                tokens_per_s=round(decode_steps / (end - first_at), 2) if decode_steps else 0.0,
                stop_reason=reason,
            )
        )


def _eos_ids(model: PreTrainedModel, tokenizer) -> frozenset[int]:
    ids: set[int] = set()
    for value in (
        getattr(model.generation_config, "eos_token_id", None),
        getattr(model.config, "eos_token_id", None),
        tokenizer.eos_token_id,
    ):
        if isinstance(value, int):
            ids.add(value)
        elif isinstance(value, (list, tuple)):
            ids.update(v for v in value if isinstance(v, int))
    return frozenset(ids)
