"""Names shared by the engine and its callers, importable without torch."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

DEFAULT_SPEC = "default"
DEVICES = ("auto", "cpu", "cuda", "mps")
ENV_CACHE_DIR = "CARECHAT_CACHE_DIR"


def default_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where prepared (converted) models are kept: ``models/`` of the cache folder.

    One for every data folder: the copy is keyed by its source file's hash and
    holds nothing about a patient, so a new data folder loads it instead of
    converting the same GGUF file again. The cache folder is $CARECHAT_CACHE_DIR,
    else the user's (e.g. ~/.cache/CareChat).
    """
    env = os.environ if env is None else env
    root = env.get(ENV_CACHE_DIR)
    if not root:
        import platformdirs

        root = platformdirs.user_cache_dir("CareChat", appauthor=False)
    return Path(root).expanduser() / "models"
