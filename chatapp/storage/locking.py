"""Several CareChats on one data file: one writer at a time, the others wait (bounded).

SQLite in WAL mode lets readers work while one connection writes. A writer must
take the write lock when its transaction begins (``BEGIN IMMEDIATE``): a
transaction that reads first and writes later may find that another process
wrote meanwhile, and SQLite then fails at once with SQLITE_BUSY instead of
waiting. With the lock taken first, SQLite waits up to ``BUSY_TIMEOUT_S`` for it.
"""

from __future__ import annotations

import contextlib
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

from sqlite_utils import Database

# How long one connection waits for another's write lock before saying it is busy.
# Turns hold it for milliseconds; an erase's VACUUM of a large file, for seconds.
BUSY_TIMEOUT_S = 15.0

T = TypeVar("T")


@contextlib.contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """A write transaction that holds the write lock from its start; nested: a savepoint."""
    conn = db.conn
    if conn.in_transaction:
        name = f"carechat_{secrets.token_hex(8)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield db
        except BaseException:
            if conn.in_transaction:  # an error may have ended the whole transaction
                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        conn.execute(f"RELEASE SAVEPOINT {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def retry_while_busy(action: Callable[[], T], limit_s: float = BUSY_TIMEOUT_S) -> T:
    """Run ``action`` again while SQLite says the file is busy, for ``limit_s`` at most.

    For the few statements SQLite does not wait on by itself (changing the
    journal mode of a new file that another CareChat is creating too).
    """
    deadline = time.monotonic() + limit_s
    pause = 0.005
    while True:
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause * (1 + secrets.randbelow(100) / 100))  # apart, not in step
        pause = min(pause * 2, 0.2)


def is_busy(exc: sqlite3.Error) -> bool:
    return (getattr(exc, "sqlite_errorname", "") or "").startswith("SQLITE_BUSY")
