"""Give freed memory back to the system while weights are converted.

Converting weights allocates and frees many temporary buffers of a few MB.
glibc keeps freed buffers of that size for reuse (its threshold for giving
them straight back grows as they are freed), so the process's peak memory would
hold every temporary at once. While loading, buffers over 256 KiB are mapped
on their own and returned on free; afterwards the threshold goes back to glibc's
usual ceiling, where prompt-sized buffers are reused without page faults.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import sys
from collections.abc import Iterator

M_MMAP_THRESHOLD = -3
DURING_LOAD = 256 * 1024
AFTERWARDS = 32 * 1024 * 1024  # glibc's own maximum for the moving threshold


def _libc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


@contextlib.contextmanager
def returned_promptly() -> Iterator[None]:
    libc = _libc()
    if libc is None:  # not glibc (macOS, Windows, musl): nothing to tune
        yield
        return
    libc.mallopt(M_MMAP_THRESHOLD, DURING_LOAD)
    try:
        yield
    finally:
        libc.malloc_trim(0)
        libc.mallopt(M_MMAP_THRESHOLD, AFTERWARDS)
