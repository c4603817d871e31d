"""A growing wait after repeated wrong tries, against guessing a PIN or a passcode.

After ``max_tries`` wrong tries in a row the gate is closed for ``lockout_s``;
every wrong try after that closes it again for twice as long as before (at most
``max_lockout_s``). A right one opens it and starts the count afresh. The count
lives in memory only. ``admin_pin.PinGate`` (the kiosk's PIN) and the window's
passcode-protected profiles use it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_TRIES = 5  # wrong tries in a row before the gate makes the next one wait
LOCKOUT_S = 30.0  # the first wait; each further wrong try doubles it
MAX_LOCKOUT_S = 15 * 60.0


@dataclass(frozen=True)
class Attempt:
    """What one try at the gate gave: let in, or not, and how long until the next try."""

    ok: bool
    wait_s: float = 0.0  # > 0: the gate is closed for this long; the try was not checked
    tries_left: int = MAX_TRIES  # wrong tries left before the gate makes the patient wait


class TryGate:
    """Checks tries with ``check`` (True: right), with the growing wait above."""

    def __init__(
        self,
        check: Callable[[str], bool],
        clock: Callable[[], float] = time.monotonic,
        max_tries: int = MAX_TRIES,
        lockout_s: float = LOCKOUT_S,
        max_lockout_s: float = MAX_LOCKOUT_S,
    ) -> None:
        self._check = check
        self._clock = clock
        self.max_tries = max_tries
        self.lockout_s = lockout_s
        self.max_lockout_s = max_lockout_s
        self._failures = 0
        self._open_at = 0.0  # clock time from which the next try is allowed

    def wait_s(self) -> float:
        """Seconds until the next try is allowed; 0.0 when it is allowed now."""
        return max(0.0, self._open_at - self._clock())

    def tries_left(self) -> int:
        return max(0, self.max_tries - self._failures)

    def attempt(self, secret: str) -> Attempt:
        wait = self.wait_s()
        if wait > 0:
            return Attempt(False, wait, 0)
        if self._check(secret):
            self._failures = 0
            self._open_at = 0.0
            return Attempt(True, 0.0, self.max_tries)
        self._failures += 1
        over = self._failures - self.max_tries
        if over >= 0:
            wait = min(self.max_lockout_s, self.lockout_s * 2**over)
            self._open_at = self._clock() + wait
        return Attempt(False, wait, self.tries_left())
