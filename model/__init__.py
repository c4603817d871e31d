"""The generation engine: find, convert, load and stream a local Transformer model.

Qt-free and patient-agnostic: it loads a model and streams text for a list of
chat messages, or streams them from a clinic's OpenAI-compatible server
(``model.server``). Nothing is ever downloaded unless asked: the hub is switched
off before transformers is imported.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

# Must be set before huggingface_hub is imported anywhere in the process.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
# transformers' GGUF converter draws its own progress bar; we report progress ourselves.
os.environ.setdefault("TQDM_DISABLE", "1")

from .constants import DEFAULT_SPEC, DEVICES  # noqa: E402
from .errors import (  # noqa: E402
    DeviceUnavailableError,
    ModelCorruptError,
    ModelError,
    ModelNotFoundError,
    ModelOutOfMemoryError,
    PromptTooLongError,
    ServerError,
    UnsupportedModelError,
)
from .locate import ModelSource, locate  # noqa: E402

if TYPE_CHECKING:
    from .engine import Engine
    from .streams import GenerationStats, ModelInfo, TextStream

__all__ = [
    "DEFAULT_SPEC",
    "DEVICES",
    "DeviceUnavailableError",
    "Engine",
    "GenerationStats",
    "ModelCorruptError",
    "ModelError",
    "ModelInfo",
    "ModelNotFoundError",
    "ModelOutOfMemoryError",
    "ModelSource",
    "PromptTooLongError",
    "ServerError",
    "TextStream",
    "UnsupportedModelError",
    "available_devices",
    "load",
    "locate",
]


def load(
    spec: str = DEFAULT_SPEC,
    device: str = "auto",
    cache_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
    weights: str = "auto",
) -> Engine:
    """Load ``spec`` (``default``, a ``.gguf`` file or a model folder) on ``device``.

    ``weights`` chooses how the weights are held on the CPU: "auto" (the
    measured default), "int4", "float16", "float32", or "transformers"
    for transformers' own forward pass (see benchmarks/RESULTS.md).

    torch and transformers are imported here, not at package import, so a window
    can appear before the few seconds they take.
    """
    from .loader import load as _load

    return _load(spec, device, cache_dir, progress, weights)


def __getattr__(name: str):
    if name == "available_devices":  # needs torch: imported on first use
        from .device import available_devices

        return available_devices
    if name in {"GenerationStats", "ModelInfo", "TextStream"}:  # torch-free
        from . import streams

        return getattr(streams, name)
    if name == "Engine":
        from . import engine

        return engine.Engine
    raise AttributeError(name)
