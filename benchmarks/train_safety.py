"""Fit the learned safety screens and choose their thresholds; writes resources/safety/learned/.

    .venv/bin/python benchmarks/train_safety.py [--check]

Two screens, each a softmax over labels, for each feature kind (``e5``, ``ngram``):

- triage: "none" or an emergency category. Data: the labelled set
  (tests/safety/cases.toml) and resources/safety/training/triage_*.toml.
- scope: "none", "dose", "diagnosis" or "medication_change". Data:
  resources/safety/training/scope_*.toml.

Thresholds come from 5-fold cross-validation on the training data only (each case
scored by a model that did not see it), never from the held-out sets:

- triage: ``emergency`` (at or above: an emergency), ``overrule`` (below it a
  rule's match is taken for a false alarm: news and "what if" questions) and
  ``borderline`` (the "get help now if" signs), by ``operating_point``: the
  fewest false alarms at TARGET_RECALL or more in each language.
- scope ``veto``: a rule's referral is dropped when the model's P(none) is at
  least this (chosen so that no cross-validated real request is vetoed);
  ``refer``: the model alone refers when P(that request) is at least this
  (chosen so that cross-validated false referrals stay at most 1 %).

The card (card.toml) records the figures each threshold was read from. With
--check, nothing is written: it exits 1 if the shipped weights were not fitted on
the data now in the tree.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tomllib
from pathlib import Path

import numpy as np
import torch

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from chatapp.safety.features import features  # noqa: E402
from chatapp.safety.learned import NONE, LinearModel, pieces  # noqa: E402
from chatapp.safety.triage import rules_triage  # noqa: E402

OUT = REPO / "resources" / "safety" / "learned"
TRAINING = REPO / "resources" / "safety" / "training"
LABELLED = REPO / "tests" / "safety" / "cases.toml"
KINDS = ("e5+ngram", "ngram")
FOLDS = 5
# L2 penalty, by 5-fold cross-validation (false alarms at 98 % recall, 2,627
# cases): e5+ngram 3e-6: 0.112, 1e-5: 0.124; ngram 3e-6: 0.147, 1e-5: 0.154.
L2 = {"e5+ngram": 3e-6, "ngram": 3e-6}
TARGET_RECALL = 0.98
BORDERLINE_RECALL = 0.995
BORDERLINE_SHARE = 0.25
SCOPE_LABELS = (NONE, "dose", "diagnosis", "medication_change")


def triage_files() -> list[Path]:
    return [LABELLED, *sorted(TRAINING.glob("triage_*.toml"))]


def scope_files() -> list[Path]:
    return sorted(TRAINING.glob("scope_*.toml"))


def data_sha256(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.relative_to(REPO).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load(paths: list[Path]) -> list[dict]:
    return [c for p in paths for c in tomllib.loads(p.read_text(encoding="utf-8"))["case"]]


def triage_label(case: dict) -> str:
    return case["category"] if case["emergency"] else NONE


def fit(x: np.ndarray, y: np.ndarray, classes: int, l2: float) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression, L-BFGS, L2 on the weights: deterministic."""
    torch.manual_seed(0)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    w = torch.zeros(x.shape[1], classes, requires_grad=True)
    b = torch.zeros(classes, requires_grad=True)
    opt = torch.optim.LBFGS([w, b], max_iter=500, history_size=20,
                            line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(xt @ w + b, yt) + l2 * (w * w).sum()
        loss.backward()
        return loss

    opt.step(closure)
    return w.detach().numpy(), b.detach().numpy()


class Encoded:
    """Each case's whole-message vector (for fitting) and piece vectors (for scoring)."""

    def __init__(self, kind: str, texts: list[str]) -> None:
        enc = features(kind)
        self.whole = enc.vectors(texts)
        split = [pieces(t) for t in texts]
        flat = enc.vectors([p for ps in split for p in ps])
        bounds = np.cumsum([0] + [len(ps) for ps in split])
        self.parts = [flat[bounds[i]:bounds[i + 1]] for i in range(len(texts))]


def piece_probabilities(model: LinearModel, parts: list[np.ndarray], label: int) -> np.ndarray:
    """Per case, the probabilities of the piece that is least ``label`` (least "none")."""
    rows = []
    for vectors in parts:
        probs = model.probabilities(vectors)
        rows.append(probs[int(np.argmin(probs[:, label]))])
    return np.stack(rows)


def folds(n: int) -> np.ndarray:
    return np.random.default_rng(0).permutation(n) % FOLDS


def cross_validate(enc: Encoded, y: np.ndarray, labels: tuple[str, ...], kind: str,
                   l2: float) -> np.ndarray:
    fold = folds(len(y))
    out = np.zeros((len(y), len(labels)), dtype=np.float32)
    for k in range(FOLDS):
        train = fold != k
        w, b = fit(enc.whole[train], y[train], len(labels), l2)
        model = LinearModel(labels, kind, w, b)
        test = np.flatnonzero(~train)
        out[test] = piece_probabilities(model, [enc.parts[i] for i in test], 0)
    return out


def highest_threshold(scores: np.ndarray, positive: np.ndarray, recall: float) -> float:
    """The highest t with share(scores[positive] >= t) >= recall."""
    s = np.sort(scores[positive])[::-1]
    k = max(1, int(np.ceil(recall * len(s))))
    return round(float(np.floor(s[k - 1] * 1000) / 1000), 3)


def rates(scores, emergency, languages, t) -> dict:
    """Cross-validated recall and false-alarm rate per language at threshold ``t``."""
    out = {}
    for lang in ("en", "zh"):
        m = languages == lang
        out[f"{lang}_recall"] = round(float((scores[m & emergency] >= t).mean()), 3)
        out[f"{lang}_false_alarms"] = round(float((scores[m & ~emergency] >= t).mean()), 3)
    return out


def operating_point(score: np.ndarray, ruled: np.ndarray, emergency: np.ndarray,
                    languages: np.ndarray) -> tuple[float, float, float]:
    """The (emergency, overrule, borderline) thresholds from the cross-validated scores.

    What CareChat does with them: an emergency if the score is at least
    ``emergency``, or a rule matched and the score is at least ``overrule``. Of
    all pairs whose recall is at least TARGET_RECALL in each language, the one
    with the fewest false alarms (the mean of the two languages). ``borderline``:
    the highest score from which, counted with those emergencies, recall reaches
    BORDERLINE_RECALL in each language, but never so low that more than
    BORDERLINE_SHARE of the non-emergencies in a language would start with the
    signs (a warning on every answer is a warning nobody reads).
    """
    grid = np.round(np.arange(0.0, 0.801, 0.005), 3)
    langs = [(languages == lang) for lang in ("en", "zh")]
    best = None
    for t_e in grid[1:]:
        above = score >= t_e
        for t_o in grid[grid <= t_e]:
            pred = above | (ruled & (score >= t_o))
            if min(pred[m & emergency].mean() for m in langs) < TARGET_RECALL:
                continue
            fa = float(np.mean([pred[m & ~emergency].mean() for m in langs]))
            if best is None or fa < best[0] - 1e-9:
                best = (fa, float(t_e), float(t_o))
    _, t_e, t_o = best
    pred = (score >= t_e) | (ruled & (score >= t_o))
    t_b = t_e
    for t in grid[grid < t_e][::-1]:
        flagged = pred | (score >= t)
        if max(flagged[m & ~emergency].mean() for m in langs) > BORDERLINE_SHARE:
            break
        t_b = float(t)
        if min(flagged[m & emergency].mean() for m in langs) >= BORDERLINE_RECALL:
            break
    return t_e, t_o, t_b


def train_triage(kind: str, cases: list[dict], sha: str) -> dict:
    labels = (NONE, *sorted({c["category"] for c in cases if c["emergency"]}))
    y = np.array([labels.index(triage_label(c)) for c in cases])
    emergency = y != 0
    languages = np.array([c["language"] for c in cases])
    enc = Encoded(kind, [c["text"] for c in cases])
    ruled = np.array([rules_triage(c["text"], c["language"]).emergency for c in cases])
    l2 = L2[kind]
    probs = cross_validate(enc, y, labels, kind, l2)
    score = 1.0 - probs[:, 0]
    t_e, t_o, t_b = operating_point(score, ruled, emergency, languages)
    combined = (score >= t_e) | (ruled & (score >= t_o))
    right = probs[emergency][:, 1:].argmax(axis=1) + 1 == y[emergency]
    w, b = fit(enc.whole, y, len(labels), l2)
    file = f"triage_{kind}.npz"
    LinearModel(labels, kind, w, b, sha).save(OUT / file)
    curve = [{"threshold": t, **rates(score, emergency, languages, t)}
             for t in (0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)]
    return {"file": file, "l2": l2, "emergency": t_e, "overrule": t_o, "borderline": t_b,
            "cases": len(cases),
            "combined": rates(combined.astype(float), emergency, languages, 0.5),
            "combined_or_borderline": rates((combined | (score >= t_b)).astype(float),
                                            emergency, languages, 0.5),
            "learned_alone": rates(score, emergency, languages, t_e),
            "rules_alone": rates(ruled.astype(float), emergency, languages, 0.5),
            "category_accuracy": round(float(right.mean()), 3), "curve": curve}


def train_scope(kind: str, cases: list[dict], sha: str) -> dict:
    y = np.array([SCOPE_LABELS.index(c["request"]) for c in cases])
    enc = Encoded(kind, [c["text"] for c in cases])
    l2 = 1e-5
    fold = folds(len(y))
    probs = np.zeros((len(y), len(SCOPE_LABELS)), dtype=np.float32)
    for k in range(FOLDS):
        train = fold != k
        w, b = fit(enc.whole[train], y[train], len(SCOPE_LABELS), l2)
        probs[~train] = LinearModel(SCOPE_LABELS, kind, w, b).probabilities(enc.whole[~train])
    request = y != 0
    # veto: above every cross-validated real request's P(none)
    veto = round(float(np.ceil((probs[request, 0].max() + 1e-6) * 1000) / 1000), 3)
    veto = min(veto, 0.999)
    best_other = probs[:, 1:].max(axis=1)
    refer = 1.0
    for t in np.arange(0.50, 1.0, 0.01):
        if (best_other[~request] >= t).mean() <= 0.01:
            refer = float(round(t, 2))
            break
    w, b = fit(enc.whole, y, len(SCOPE_LABELS), l2)
    file = f"scope_{kind}.npz"
    LinearModel(SCOPE_LABELS, kind, w, b, sha).save(OUT / file)
    kind_right = (probs[request].argmax(axis=1) == y[request]).mean()
    return {"file": file, "l2": l2, "veto": veto, "refer": refer, "cases": len(cases),
            "requests_referred_alone": round(float((best_other[request] >= refer).mean()), 3),
            "false_referrals_alone": round(float((best_other[~request] >= refer).mean()), 3),
            "request_kind_accuracy": round(float(kind_right), 3)}


def _inline(values: dict) -> str:
    return "{ " + ", ".join(f"{k} = {v}" for k, v in values.items()) + " }"


def write_card(triage: dict, scope: dict, shas: dict) -> None:
    lines = [
        "# The learned safety screens: written by benchmarks/train_safety.py, do not edit.",
        "# Thresholds were read from 5-fold cross-validated scores on the training data",
        "# (each case scored by a model that did not see it); the figures below are those.",
        "# The held-out sets' figures are in benchmarks/RESULTS.md.",
        "",
        'preference = ["e5+ngram", "ngram"]  # the first whose features load here',
        f'triage_data_sha256 = "{shas["triage"]}"',
        f'scope_data_sha256 = "{shas["scope"]}"',
    ]
    for section, models in (("triage", triage), ("scope", scope)):
        for kind, values in models.items():
            lines += ["", f'[{section}."{kind}"]']
            for key, value in values.items():
                if key == "curve":
                    lines.append("curve = [  # cross-validated, per threshold")
                    lines += [f"  {_inline(point)}," for point in value]
                    lines.append("]")
                elif isinstance(value, dict):
                    lines.append(f"{key} = {_inline(value)}")
                elif isinstance(value, str):
                    lines.append(f'{key} = "{value}"')
                else:
                    lines.append(f"{key} = {value}")
    (OUT / "card.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def check() -> int:
    card = tomllib.loads((OUT / "card.toml").read_text(encoding="utf-8"))
    stale = [name for name, files in (("triage", triage_files()), ("scope", scope_files()))
             if card[f"{name}_data_sha256"] != data_sha256(files)]
    if stale:
        print(f"Retrain: the {' and '.join(stale)} data changed since the weights were fitted.")
        return 1
    print("The learned weights match the training data.")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.check:
        return check()
    shas = {"triage": data_sha256(triage_files()), "scope": data_sha256(scope_files())}
    triage_cases, scope_cases = load(triage_files()), load(scope_files())
    triage = {kind: train_triage(kind, triage_cases, shas["triage"]) for kind in KINDS}
    scope = {kind: train_scope(kind, scope_cases, shas["scope"]) for kind in KINDS}
    write_card(triage, scope, shas)
    print(f"Wrote {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
