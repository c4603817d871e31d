"""The learned second opinion: a linear model on a message's features.

A softmax over "none" and the emergency categories, trained by
``benchmarks/train_safety.py`` on ``resources/safety/training/`` and the labelled
sets; its weights are in ``resources/safety/learned/``, with the thresholds and
the figures they were chosen from in ``card.toml``.

A long message is read in pieces too (two sentences at a time): an emergency
written into the middle of a message about something else still scores as one.
"""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from ..resources import resource_path
from .features import Features, FeaturesUnavailableError, features

log = logging.getLogger(__name__)

NONE = "none"
# The encoder's time grows with tokens: about one a Chinese character, one per
# four Latin characters. Budgets in those tokens:
WHOLE_MESSAGE_TOKENS = 150  # longer: read in pieces only
PIECE_TOKENS = 75  # a piece of a long message: two sentences, cut to this
MAX_PIECES = 120  # the n-grams rank them all (cheap): 4,000 Chinese characters
FULL_PIECES = 3  # of a longer message, the full model reads the 3 likeliest pieces
_SENTENCE = re.compile(r"(?<=[.!?。！？])\s*|\n+")
_CJK = re.compile(r"[\u3000-\u9fff\uf900-\ufaff]")


def _tokens(text: str) -> float:
    cjk = len(_CJK.findall(text))
    return cjk + (len(text) - cjk) / 4


def _cut(text: str, tokens: float) -> str:
    have = _tokens(text)
    return text if have <= tokens else text[: max(1, int(len(text) * tokens / have))]


@dataclass(frozen=True)
class LearnedScore:
    """How likely the message is an emergency (0-1), and of which category."""

    score: float
    category: str
    features: str  # which model scored it: "e5+ngram" or "ngram"
    whole: bool = True  # False: a long message, of which the likeliest pieces were read


@dataclass(frozen=True)
class LinearModel:
    labels: tuple[str, ...]  # "none" first, then the categories
    features: str
    weights: np.ndarray  # (dimensions, labels)
    bias: np.ndarray  # (labels,)
    data_sha256: str = ""  # of the training data it was fitted on

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        # Only the features that are there (an n-gram vector is mostly zeros), and
        # einsum, not BLAS: measured, BLAS's threads kept spinning after this small
        # product and slowed the sentence encoder's own threads 2-3 times.
        used = np.flatnonzero(vectors.any(axis=0))
        logits = np.einsum("nd,dc->nc", vectors[:, used], self.weights[used]) + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def save(self, path: Path) -> None:
        """As .npz: plain numpy, read back with pickling off (no code in a data file)."""
        with path.open("wb") as fh:
            np.savez_compressed(fh, weights=self.weights.astype(np.float16),
                                bias=self.bias.astype(np.float32), labels=np.array(self.labels),
                                features=np.array(self.features),
                                data_sha256=np.array(self.data_sha256))

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        with np.load(path, allow_pickle=False) as data:
            return cls(tuple(str(label) for label in data["labels"]), str(data["features"]),
                       data["weights"].astype(np.float32), data["bias"].astype(np.float32),
                       str(data["data_sha256"]))


@dataclass(frozen=True)
class Thresholds:
    emergency: float  # at or above: an emergency, as if a rule had matched
    borderline: float  # at or above (and below emergency): the "get help now if" guidance
    overrule: float = 0.0  # below: a rule's match is taken for a false alarm


def reads_whole(text: str) -> bool:
    """Whether the message is short enough to be scored whole (else in pieces)."""
    return _tokens(text) <= WHOLE_MESSAGE_TOKENS


def _slices(sentence: str) -> list[str]:
    """A sentence too long for half a piece, cut in consecutive slices: a long
    message typed without full stops is still read to its end."""
    have = _tokens(sentence)
    if have <= PIECE_TOKENS / 2:
        return [sentence]
    size = max(1, int(len(sentence) * PIECE_TOKENS / 2 / have))
    return [sentence[i:i + size] for i in range(0, len(sentence), size)]


def pieces(text: str) -> list[str]:
    """What is scored: the message, and for a message of several sentences each
    pair of neighbouring sentences; the highest score counts."""
    if not text.strip():
        return []
    sentences = [p for s in _SENTENCE.split(text) if s and s.strip()
                 for p in _slices(s.strip())]
    found = [text.strip()] if reads_whole(text) else []
    if len(sentences) > 2 or not found:
        windows = [" ".join(sentences[i:i + 2]) for i in range(max(1, len(sentences) - 1))]
        found += [_cut(w, PIECE_TOKENS) for w in windows]
    return list(dict.fromkeys(found))[:MAX_PIECES + 1]


class LearnedScreen:
    """Scores a message with ``model``; ``prescreen`` (a cheaper screen) picks the
    pieces of a long message worth the full model's time."""

    def __init__(self, model: LinearModel, thresholds: Thresholds, encoder: Features,
                 prescreen: LearnedScreen | None = None) -> None:
        if encoder.name != model.features:
            raise ValueError(f"A {model.features} model cannot read {encoder.name} features.")
        self.model = model
        self.thresholds = thresholds
        self.encoder = encoder
        self.prescreen = prescreen
        self._none = model.labels.index(NONE)

    @property
    def name(self) -> str:
        return self.model.features

    def piece_scores(self, parts: list[str]) -> np.ndarray:
        return 1.0 - self.model.probabilities(self.encoder.vectors(parts))[:, self._none]

    def score(self, text: str) -> LearnedScore:
        parts = pieces(text)
        if not parts:
            return LearnedScore(0.0, "", self.name)
        whole = reads_whole(text)
        if self.prescreen is not None and len(parts) > FULL_PIECES:
            # The sentence encoder's time grows with tokens (~0.2 ms each on two
            # cores): a long message gets it on its likeliest pieces only, as the
            # n-grams rank them.
            ranked = np.argsort(-self.prescreen.piece_scores(parts), kind="stable")
            parts = [parts[i] for i in sorted(ranked[:FULL_PIECES])]
        probs = self.model.probabilities(self.encoder.vectors(parts))
        emergency = 1.0 - probs[:, self._none]
        best = int(np.argmax(emergency))
        row = probs[best].copy()
        row[self._none] = -1.0
        return LearnedScore(round(float(emergency[best]), 4),
                            self.model.labels[int(np.argmax(row))], self.name, whole)


def card() -> dict:
    with resource_path("safety", "learned", "card.toml").open("rb") as fh:
        return tomllib.load(fh)


def _load(section: str, kinds: tuple[str, ...] = ()) -> tuple[LinearModel, dict, Features] | None:
    info = card()
    for kind in kinds or info["preference"]:
        try:
            encoder = features(kind)
        except FeaturesUnavailableError as exc:
            log.info("Learned %s screen: no %s features (%s).", section, kind, exc)
            continue
        entry = info[section][kind]
        return LinearModel.load(resource_path("safety", "learned", entry["file"])), entry, encoder
    log.warning("No learned %s screen can run here; the rules still do.", section)
    return None


@cache
def learned_screen(kind: str = "") -> LearnedScreen | None:
    """The best triage screen this machine can run: the sentence-encoder model,
    else the n-gram one; None if neither loads (the rules still run). ``kind``
    asks for one of them (benchmarks/eval_safety.py compares them)."""
    loaded = _load("triage", (kind,) if kind else ())
    if loaded is None:
        return None
    model, entry, encoder = loaded
    thresholds = Thresholds(entry["emergency"], entry["borderline"], entry.get("overrule", 0.0))
    prescreen = learned_screen("ngram") if model.features != "ngram" else None
    return LearnedScreen(model, thresholds, encoder, prescreen)


@dataclass(frozen=True)
class ScopeOpinion:
    none: float  # P(an ordinary question)
    request: str  # the likeliest request kind
    likelihood: float  # its probability


class LearnedScope:
    """The scope model's opinion: the rules' referral is dropped at ``veto`` or
    more P(none); the model alone refers at ``refer`` or more P(request)."""

    def __init__(self, model: LinearModel, veto: float, refer: float, encoder: Features) -> None:
        self.model = model
        self.veto = veto
        self.refer = refer
        self.encoder = encoder

    def opinion(self, text: str) -> ScopeOpinion:
        probs = self.model.probabilities(self.encoder.vectors([text]))[0]
        none = self.model.labels.index(NONE)
        others = [(float(p), label) for label, p in zip(self.model.labels, probs, strict=True)
                  if label != NONE]
        likelihood, request = max(others)
        return ScopeOpinion(float(probs[none]), request, likelihood)


@cache
def learned_scope(kind: str = "") -> LearnedScope | None:
    loaded = _load("scope", (kind,) if kind else ())
    if loaded is None:
        return None
    model, entry, encoder = loaded
    return LearnedScope(model, entry["veto"], entry["refer"], encoder)
