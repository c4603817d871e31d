"""Which process is writing a streaming answer, and whether it still runs.

An answer is saved as ``streaming`` while the model writes it. When CareChat
starts, an answer left streaming by a crash is marked ``interrupted``; one that
another CareChat (a window, ``carechat ask``) is writing right now must be left
alone. The row records its writer's pid and start time: a pid alone may have
been given to a new process since, a pid with the same start time has not.
WAL mode works only on one computer's disk, so every live writer is local.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import psutil

# Start times agree to a hundredth of a second on one system; the margin covers a
# clock adjusted between the two readings. A pid reused within it would be taken
# for the writer: its answer is then marked at the start after that one.
SAME_START_S = 2.0


@dataclass(frozen=True)
class StreamOwner:
    pid: int
    started: float  # the process's start time, seconds since the epoch


_current: StreamOwner | None = None


def current_owner() -> StreamOwner:
    """This process (again after a fork, which has a new pid)."""
    global _current
    if _current is None or _current.pid != os.getpid():
        _current = StreamOwner(os.getpid(), psutil.Process().create_time())
    return _current


def is_running(owner: StreamOwner | None) -> bool:
    """False when the writer is gone (or unknown: a row from before owners were kept)."""
    if owner is None or owner.pid is None or owner.started is None:
        return False
    try:
        process = psutil.Process(owner.pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
        return abs(process.create_time() - owner.started) < SAME_START_S
    except psutil.NoSuchProcess:
        return False
    except psutil.Error:
        return True  # exists but cannot be looked at (another user's): leave its row
