"""Storage errors a patient can act on, told apart from bugs."""

from __future__ import annotations

import sqlite3

from ..errors import HintedError


class StorageError(HintedError):
    """A known storage problem: shown to the user with what to do next."""


class NotFoundError(StorageError):
    """A profile, conversation or message that does not exist."""


class ReadOnlyError(StorageError):
    """The data file or its folder cannot be written; it may still be read."""


_KNOWN = {
    "SQLITE_FULL": (
        "The disk is full, so CareChat cannot save your conversation.",
        "Free some space on this computer; CareChat keeps working meanwhile.",
    ),
    "SQLITE_READONLY": (
        "CareChat's data folder is read-only, so your conversation cannot be saved.",
        "Ask whoever manages this computer to make the folder writable, or start "
        "CareChat with --data-dir pointing at a folder you can write to.",
    ),
    "SQLITE_CANTOPEN": (
        "CareChat cannot open its data file.",
        "Check that the data folder exists and that you may write to it, or use --data-dir.",
    ),
    "SQLITE_IOERR": (
        "The disk reported an error while CareChat was saving.",
        "Check the disk (or the USB stick or network drive) and try again.",
    ),
    "SQLITE_BUSY": (
        "Another CareChat window is busy with the same data file.",
        "Wait a moment and try again.",
    ),
}


def translate(exc: sqlite3.Error) -> StorageError:
    """Turn a sqlite3 error into a StorageError with plain words, when we know it."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    base = "_".join(name.split("_")[:2])  # SQLITE_IOERR_WRITE -> SQLITE_IOERR
    message, hint = _KNOWN.get(name) or _KNOWN.get(base) or (
        f"CareChat could not read or save its data ({exc}).",
        "Try again; if it keeps happening, restart CareChat.",
    )
    return (ReadOnlyError if base == "SQLITE_READONLY" else StorageError)(message, hint)
