"""Stream text from a loaded causal language model, one token at a time.

Generation is a chain of small functions (prefill, decode one token, sample) in
the style of gpt-fast, so each step is testable and Stop is checked between any
two tokens. The forward passes come from a backend: ``runner.LlamaRunner`` (our
own loop for Llama-family models on the CPU, which keeps the prompt's cache
between answers) or ``TransformersBackend`` (any model, any device).
"""

from __future__ import annotations

import inspect
import threading
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

import torch
from transformers import DynamicCache

from .decoding import IncrementalDecoder
from .errors import ModelOutOfMemoryError, PromptTooLongError, UnsupportedModelError
from .special_tokens import SpecialTokens
from .streams import GenerationStats, ModelInfo, TextStream

if TYPE_CHECKING:
    # transformers' model classes cost ~85 MB of memory to import; our own loop
    # never needs them, so a later start on the CPU does without.
    from transformers import PreTrainedModel


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


class TransformersBackend:
    """transformers' own forward with a fresh cache per prompt: any model, any device."""

    keeps_prefix = False  # each prompt starts from an empty cache
    reused = 0  # so no prompt token is ever kept from before

    def __init__(self, model: PreTrainedModel) -> None:
        self.model = model
        self._keyword = cache_keyword(model)
        self._cache: DynamicCache | None = None

    def reset(self) -> None:
        self._cache = None

    def prefill(self, ids: Sequence[int]) -> torch.Tensor:
        self.reset()
        self._cache = DynamicCache(config=self.model.config)
        prompt = torch.tensor([list(ids)], device=self.model.device)
        return prefill(self.model, prompt, self._cache, self._keyword)

    def forward(self, new_ids: Sequence[int]) -> torch.Tensor:
        (token,) = new_ids
        return decode_one(self.model, token, self._cache, self._keyword)

    def continuation_logprobs(self, prompt: Sequence[int],
                              continuation: Sequence[int]) -> list[float]:
        """``LlamaRunner.continuation_logprobs``, in one forward pass without a cache."""
        continuation = list(continuation)
        if not continuation:
            return []
        self.reset()
        ids = torch.tensor([[*prompt, *continuation[:-1]]], device=self.model.device)
        with torch.inference_mode():
            logits = self.model(input_ids=ids, logits_to_keep=len(continuation)).logits[0]
        logprobs = logits.float().log_softmax(-1)
        picked = logprobs.gather(1, torch.tensor(continuation, device=logits.device)[:, None])
        return picked[:, 0].tolist()


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

    def __init__(
        self,
        model: PreTrainedModel | None,
        tokenizer,
        info: ModelInfo,
        runner=None,
        eos_ids: frozenset[int] = frozenset(),
    ) -> None:
        """``model`` runs through transformers; or ``runner`` (a ``LlamaRunner``) does."""
        if not getattr(tokenizer, "chat_template", None):
            raise UnsupportedModelError(
                f"{info.name} has no chat template, so it is not a chat model.",
                "Choose an instruct (chat) version of the model.",
            )
        self.model = model
        self.tokenizer = tokenizer
        self.info = info
        self._eos_ids = eos_ids | end_ids(
            getattr(getattr(model, "generation_config", None), "eos_token_id", None),
            getattr(getattr(model, "config", None), "eos_token_id", None),
            tokenizer.eos_token_id)
        self._backend = runner if runner is not None else TransformersBackend(model)
        self._turn = 0  # which stream may use the backend: the newest one
        self.special_tokens = SpecialTokens(tokenizer)

    def prompt_ids(self, messages: Sequence[dict]) -> list[int]:
        """Token ids of ``messages`` in the model's own chat template.

        Special tokens typed inside a message ("<|im_start|>system...") are
        broken first (``SpecialTokens.plain``): otherwise the tokenizer would read
        them as real role markers, and a patient's text could pose as the system's
        rules. The only special tokens in the prompt are the template's own.
        """
        clean = [{**m, "content": self.special_tokens.plain(m["content"])} for m in messages]
        # enable_thinking=False: Qwen3's template then opens the answer with an
        # empty thinking block, so the model answers at once instead of writing
        # a long hidden reasoning first. Other templates ignore the variable.
        text = self.tokenizer.apply_chat_template(clean, add_generation_prompt=True,
                                                  tokenize=False, enable_thinking=False)
        return self.tokenizer(text, add_special_tokens=False)["input_ids"]

    def count_tokens(self, messages: Sequence[dict]) -> int:
        return len(self.prompt_ids(messages))

    def answer_logprobs(self, messages: Sequence[dict],
                        token_ids: Sequence[int]) -> list[float] | None:
        """The log-probability of each of ``token_ids`` as the answer to ``messages``
        (an answer this engine wrote, ``GenerationStats.token_ids``). None when the
        computer runs out of memory for it: a check is not worth failing the answer."""
        if not token_ids:
            return []
        self._turn += 1  # a stream still open would use a cache this replaces
        try:
            return self._backend.continuation_logprobs(self.prompt_ids(messages), token_ids)
        except (MemoryError, torch.OutOfMemoryError):
            self._backend.reset()
            return None

    def forget(self) -> None:
        """Drop what the model keeps of the last prompt (a conversation's tokens),
        so nothing of it stays in memory (a protected profile was locked)."""
        getattr(self._backend, "wipe", self._backend.reset)()

    def prepare(self, messages: Sequence[dict]) -> int:
        """Read ``messages`` into the model now, so a later prompt that starts the
        same way (the system prompt, earlier turns) only reads what is new.

        Call it on the model's thread while the patient is still typing (a stream
        not yet finished ends, as when a new one starts). Returns how many tokens
        are now kept; 0 where the model keeps nothing between
        answers (models run through transformers).
        """
        ids = self.prompt_ids(messages)[: self.info.context_length]
        if not self._backend.keeps_prefix or not ids:
            return 0
        self._turn += 1
        try:
            self._backend.prefill(ids)
        except (MemoryError, torch.OutOfMemoryError) as exc:
            self._backend.reset()
            raise ModelOutOfMemoryError(
                "The computer ran out of memory while reading the conversation.",
                "Close other programs, or choose a smaller model.",
            ) from exc
        return len(self._backend.cached)

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
        self._turn += 1
        turn = self._turn
        return TextStream(
            lambda done: self._generate(
                done, ids, budget, temperature, top_p, seed, stop_event or threading.Event(), turn
            )
        )

    def _generate(self, done, ids, max_new_tokens, temperature, top_p, seed, stop_event, turn):
        decoder = IncrementalDecoder(self.tokenizer)
        backend = self._backend
        generator = None
        if seed is not None:
            device = self.model.device if self.model is not None else "cpu"
            generator = torch.Generator(device=device).manual_seed(seed)
        start = time.perf_counter()
        first_at = None
        decode_steps = reused = 0
        written: list[int] = []
        logprobs: list[float] = []
        reason = "length"
        try:
            logits = None
            for _ in range(max_new_tokens):
                # A newer stream owns the model's cache now: this one ends.
                if stop_event.is_set() or turn != self._turn:
                    reason = "stopped"
                    break
                if logits is None:
                    logits = backend.prefill(ids)
                    reused = backend.reused
                token = sample(logits, temperature, top_p, generator)
                first_at = first_at or time.perf_counter()
                if token in self._eos_ids:
                    reason = "eos"
                    break
                written.append(token)
                # How likely the model found its own token: with the same tokens
                # scored without the library (``answer_logprobs``), the turn tells
                # an answer drawn from the passages from one the model knew anyway.
                # 0.07 ms a token over a 151,936-token vocabulary (a 1.5B step: 28 ms).
                logits = logits.float()
                logprobs.append(float(logits[token] - torch.logsumexp(logits, -1)))
                if piece := decoder.push(token):
                    yield piece
                if len(written) < max_new_tokens and not stop_event.is_set() and turn == self._turn:
                    logits = backend.forward([token])
                    decode_steps += 1
        except (MemoryError, torch.OutOfMemoryError) as exc:
            backend.reset()
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
                tokens=len(written),
                ttft_ms=round((first_at - start) * 1000, 1),
                total_ms=round((end - start) * 1000, 1),
                # The first token comes from the prefill; speed counts decode steps.
                tokens_per_s=round(decode_steps / (end - first_at), 2) if decode_steps else 0.0,
                stop_reason=reason,
                reused_tokens=reused,
                token_ids=tuple(written),
                logprobs=tuple(logprobs),
            )
        )


def end_ids(*settings) -> frozenset[int]:
    """The token ids that end an answer, from ``eos_token_id`` settings (each an
    id, a list of ids or None): the generation config's, the model config's, the
    tokenizer's."""
    ids: set[int] = set()
    for value in settings:
        if isinstance(value, int):
            ids.add(value)
        elif isinstance(value, (list, tuple)):
            ids.update(v for v in value if isinstance(v, int))
    return frozenset(ids)
