"""SHA-256 of a model file, read in blocks; importable without torch (the CLI uses it)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path


def file_sha256(path: Path, chunk: int = 1 << 20,
                between: Callable[[], None] | None = None) -> str:
    """``between`` runs before each block: a cancelled download raises from it."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        while block := fh.read(chunk):
            if between is not None:
                between()
            digest.update(block)
    return digest.hexdigest()
