"""Small files only this user may read (the admin PIN's hash, a server's API key),
written whole: a crash leaves the old file or the new one, never half of either."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .storage.database import PRIVATE_FOLDER


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` all at once: a crash leaves the old file or the new one."""
    # A data folder made here first (``admin set-pin`` or a server key saved before
    # any other command) is private like the one the store makes.
    path.parent.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    # mkstemp creates the file 0600 from the start, so a PIN's hash or an API key
    # is never readable by others, not even for a moment.
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself survive a power cut (POSIX)
        dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
