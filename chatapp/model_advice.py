"""Which bigger model to suggest once, at the window's first start with the built-in one.

The built-in model (SmolLM2-135M) installs with CareChat but rarely writes a
usable answer (benchmarks/RESULTS.md, "Answers across models"); a catalog model
that fits the computer writes most of its answers itself. The suggestion is
made once per data folder and never downloads anything by itself: the patient
or the clinic's IT person opens Settings > Models… to get it.
"""

from __future__ import annotations

import contextlib

from model import DEFAULT_SPEC
from model.catalog import CatalogEntry, load_catalog, total_memory_mb
from model.installed import InstalledModels, RegistryError

from .config import Settings
from .resources import resource_path


def first_start_advice(settings: Settings, memory_mb: int | None = None,
                       gpu: bool = False) -> CatalogEntry | None:
    """The catalog model to suggest now, or None: only while the built-in model is
    in use by default (nothing chosen on the command line, nothing installed or
    chosen before) and only the first time."""
    if settings.model != DEFAULT_SPEC or "model" in settings.explicit:
        return None
    registry = InstalledModels(settings.models_dir)
    try:
        if registry.all() or registry.in_use_id() or registry.advised():
            return None
    except RegistryError:
        return None
    memory = total_memory_mb() if memory_mb is None else memory_mb
    if not memory:
        return None
    catalog = load_catalog(resource_path("models", "catalog.toml"))
    return catalog.recommend(memory, settings.language, gpu=gpu)


def mark_advised(settings: Settings, entry: CatalogEntry) -> None:
    """Remember that the suggestion was made, so it is not made again."""
    # Where it cannot be saved it is shown again next time: better than failing.
    with contextlib.suppress(RegistryError, OSError):
        InstalledModels(settings.models_dir).mark_advised(entry.id)
