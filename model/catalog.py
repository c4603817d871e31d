"""The vetted model catalog: which instruct models may be downloaded, and for which machines.

The catalog is data (``resources/models/catalog.toml``, reviewed like code); this
module reads and checks it and answers two questions: does an entry fit this
computer, and which entry to recommend. It knows nothing about where the file
lives: callers pass the catalog's path.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import ModelError

# The architectures CareChat can load from a GGUF file (through transformers'
# converter), and those its own CPU loop runs (the rest run through transformers'
# forward pass, slower on a CPU).
SUPPORTED_ARCHITECTURES = frozenset({"llama", "mistral", "qwen2", "qwen3", "phi3"})
OWN_LOOP_ARCHITECTURES = frozenset({"llama", "mistral", "qwen2", "qwen3"})

# Memory a model needs, from its size, measured here at its first start (the
# later starts need less). For the families CareChat's own loop runs, the first
# start de-quantizes the file a tensor at a time (model/gguf_stream.py): the
# Qwen2.5 Coder files peaked at 2,256 MiB (0.49B) and 3,457 MiB (1.54B); 1.6 bytes
# a parameter over 1,500 MB covers both, and is the estimate for the sizes not
# measured. Other families go through transformers' whole float32 model: 5.2 GB
# for the 0.49B file, 9.5 bytes a parameter over 600 MB (benchmarks/RESULTS.md,
# "Models"), so "fits" does not promise what a first start cannot keep.
STREAMED_BYTES_PER_PARAM, STREAMED_BASE_MB = 1.6, 1500
FIRST_START_BYTES_PER_PARAM, BASE_MB = 9.5, 600


class CatalogError(ModelError):
    """The catalog file is missing or one of its entries is malformed."""


@dataclass(frozen=True)
class CatalogEntry:
    id: str
    name: str
    repo: str
    file: str
    revision: str
    size_mb: int
    params_b: float
    architecture: str
    quantization: str
    languages: tuple[str, ...]
    licence: str
    licence_url: str
    use_permitted: bool
    licence_note: str
    suits: str
    note: str = ""
    sha256: str = ""

    @property
    def memory_mb(self) -> int:
        """Memory the first start needs (the later starts need less)."""
        if self.own_loop:
            return int(self.params_b * 1000 * STREAMED_BYTES_PER_PARAM) + STREAMED_BASE_MB
        return int(self.params_b * 1000 * FIRST_START_BYTES_PER_PARAM) + BASE_MB

    @property
    def own_loop(self) -> bool:
        return self.architecture in OWN_LOOP_ARCHITECTURES


@dataclass(frozen=True)
class Exclusion:
    name: str
    licence: str
    licence_url: str
    reason: str


@dataclass(frozen=True)
class Catalog:
    entries: tuple[CatalogEntry, ...]
    excluded: tuple[Exclusion, ...] = ()

    def get(self, model_id: str) -> CatalogEntry:
        for entry in self.entries:
            if entry.id == model_id:
                return entry
        known = ", ".join(e.id for e in self.entries)
        raise CatalogError(f"There is no model called {model_id!r} in the catalog.",
                           f"Choose one of: {known}.")

    def recommend(self, memory_mb: int, language: str = "en",
                  gpu: bool = False) -> CatalogEntry | None:
        """The permitted entry for ``language`` to suggest on a computer with ``memory_mb``.

        The largest whose first start fits, because among those the bigger models
        write the better answers; on a CPU, among the models CareChat's own loop
        runs first (the others run several times slower there). None when nothing fits.
        """
        fitting = [e for e in self.entries
                   if e.use_permitted and language in e.languages and e.memory_mb <= memory_mb]
        return max(fitting, key=lambda e: (gpu or e.own_loop, e.params_b), default=None)


_REQUIRED = {
    "id": str, "name": str, "repo": str, "file": str, "revision": str, "size_mb": int,
    "params_b": (int, float), "architecture": str, "quantization": str, "languages": list,
    "licence": str, "licence_url": str, "use_permitted": bool, "licence_note": str,
    "suits": str,
}
_OPTIONAL = {"note": str, "sha256": str}
LANGUAGES = frozenset({"en", "zh"})


def load_catalog(path: Path) -> Catalog:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"The model catalog {path} cannot be read ({exc}).",
                           "Reinstall CareChat.") from exc
    entries = tuple(_entry(raw, path) for raw in data.get("model", []))
    ids = [e.id for e in entries]
    if len(set(ids)) != len(ids):
        raise CatalogError(f"The model catalog {path} names a model twice.", "Fix the catalog.")
    excluded = tuple(Exclusion(**{k: str(raw.get(k, "")) for k in
                                  ("name", "licence", "licence_url", "reason")})
                     for raw in data.get("excluded", []))
    return Catalog(entries, excluded)


def _entry(raw: dict, path: Path) -> CatalogEntry:
    def bad(why: str) -> CatalogError:
        return CatalogError(f"The model catalog {path} has a bad entry "
                            f"{raw.get('id', '?')!r}: {why}.", "Fix the catalog.")

    for key, kind in _REQUIRED.items():
        if not isinstance(raw.get(key), kind) or isinstance(raw.get(key), bool) != (kind is bool):
            raise bad(f"'{key}' is missing or not a {getattr(kind, '__name__', 'number')}")
    unknown = set(raw) - set(_REQUIRED) - set(_OPTIONAL)
    if unknown:
        raise bad(f"unknown keys {sorted(unknown)}")
    if raw["architecture"] not in SUPPORTED_ARCHITECTURES:
        raise bad(f"architecture {raw['architecture']!r} is not one CareChat runs")
    if not raw["file"].endswith(".gguf") or "/" in raw["file"]:
        raise bad("'file' must be a .gguf file name")
    if not set(raw["languages"]) <= LANGUAGES or not raw["languages"]:
        raise bad(f"languages must be some of {sorted(LANGUAGES)}")
    sha = raw.get("sha256", "")
    if sha and (len(sha) != 64 or set(sha) - set("0123456789abcdef")):
        raise bad("'sha256' must be 64 lowercase hex digits")
    fields = {**raw, "languages": tuple(raw["languages"]), "params_b": float(raw["params_b"])}
    return CatalogEntry(**fields)


def total_memory_mb() -> int | None:
    """This computer's physical memory, or None where it cannot be told."""
    try:
        import psutil

        return int(psutil.virtual_memory().total // 2**20)
    except (ImportError, OSError, AttributeError):
        return None
