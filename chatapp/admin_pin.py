"""The administrator PIN that guards leaving kiosk mode and opening settings, Qt-free.

The PIN is kept only as a salted scrypt hash in ``<data dir>/admin-pin.json``,
with the scrypt parameters beside it, so stronger parameters can be chosen later
without locking out a clinic whose PIN was set with the old ones (a correct PIN
re-hashes it with the current ones).

A PIN of a few digits falls to an offline search whatever the hash, so the
hash only keeps the PIN out of plain sight; what stops guessing at the kiosk
itself is ``PinGate``, which makes the patient wait after repeated wrong tries.
The file is written with owner-only permissions where the OS has them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import HintedError
from .private_files import write_private
from .try_gate import LOCKOUT_S, MAX_LOCKOUT_S, MAX_TRIES, Attempt, TryGate

PIN_FILENAME = "admin-pin.json"
MIN_DIGITS = 4
MAX_DIGITS = 12
SALT_BYTES = 16
FILE_VERSION = 1


class PinError(HintedError, ValueError):
    """A PIN that breaks the rules, or a PIN file CareChat cannot read: say what to do."""


@dataclass(frozen=True)
class ScryptParams:
    # n=2**15, r=8: 32 MiB and about 0.2 s per check on a modest PC, which a
    # person at a kiosk does not notice.
    n: int = 2**15
    r: int = 8
    p: int = 1
    dklen: int = 32

    def check(self) -> None:
        # Bounds keep a damaged file from asking for gigabytes of memory.
        if not (2 <= self.n <= 2**20 and self.n & (self.n - 1) == 0):
            raise PinError(f"Unusable scrypt cost n={self.n}.", _RESET_HINT)
        if not (1 <= self.r <= 32 and 1 <= self.p <= 16 and 16 <= self.dklen <= 64):
            raise PinError(f"Unusable scrypt parameters {self}.", _RESET_HINT)


DEFAULT_PARAMS = ScryptParams()
_RESET_HINT = "Set the PIN again with `carechat admin set-pin`."


def pin_path(data_dir: Path) -> Path:
    return Path(data_dir) / PIN_FILENAME


def validate_pin(pin: str) -> str:
    """``pin`` if it follows the rules, else a PinError that says which rule it breaks."""
    if not isinstance(pin, str) or not pin:
        raise PinError("The PIN is empty.", f"Choose {MIN_DIGITS} to {MAX_DIGITS} digits.")
    # isdigit() alone also accepts "٣" or "²": only the digits a keypad has.
    if not (pin.isascii() and pin.isdigit()):
        raise PinError("A PIN may only have the digits 0 to 9 (no letters, spaces or signs).")
    if not MIN_DIGITS <= len(pin) <= MAX_DIGITS:
        raise PinError(f"The PIN has {len(pin)} digits; it must have "
                       f"{MIN_DIGITS} to {MAX_DIGITS}.")
    weakness = pin_weakness(pin)
    if weakness:
        raise PinError(f"{pin} is among the first PINs anyone would try: {weakness}.",
                       "Choose digits with no pattern: not a run, a repeat, a line on "
                       "the keypad, a year or a number that reads the same backwards.")
    return pin


# A phone or kiosk keypad, and its straight lines: rows, columns (with the 0 under
# the middle one, 2580; people add it to the outer ones too, 1470, 7410, 3690,
# 9630) and the diagonals. Each counts either way round (0852). A PIN drawn along
# them is as easy to guess as one counted up.
_KEYPAD_LINES = ("123", "456", "789", "147", "258", "369", "159", "357",
                 "1470", "7410", "2580", "3690", "9630")


def pin_weakness(pin: str) -> str:
    """Why ``pin`` (digits only) is easy to guess, in a few words; "" if it is not.

    Rules, not a list of PINs: each is a pattern people often choose, so anyone
    guessing tries it first. Together they refuse 514 of the 10,000 four-digit PINs
    and 3,130 of the million six-digit ones.
    """
    if len(set(pin)) == 1:
        return "one digit over and over"
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:], strict=False)}
    # 1234, 9876, 2468, 1357, 9753, 0369; counting on past 9 or 0 too (7890, 3210987).
    if len(steps) == 1 or steps <= {1, -9} or steps <= {-1, 9}:
        return "digits that go up or down in equal steps"
    for size in range(2, len(pin) // 2 + 1):
        if len(pin) % size == 0 and pin == pin[:size] * (len(pin) // size):
            return "a short group of digits repeated"
    if len(pin) % 2 == 0 and pin[0::2] == pin[1::2]:
        return "each digit twice"
    if pin == pin[::-1]:
        return "it reads the same backwards"
    if _on_keypad_lines(pin):
        return "a straight line on the keypad"
    if len(pin) == 4 and pin[:2] in ("19", "20"):
        return "it looks like a year"
    return ""


def _on_keypad_lines(pin: str) -> bool:
    """Whether ``pin`` is whole keypad lines one after another, each either way round."""
    if not pin:
        return True
    lines = (*_KEYPAD_LINES, *(line[::-1] for line in _KEYPAD_LINES))
    return any(pin.startswith(line) and _on_keypad_lines(pin[len(line):]) for line in lines)


def has_pin(data_dir: Path) -> bool:
    return pin_path(data_dir).is_file()


def set_pin(data_dir: Path, pin: str, params: ScryptParams = DEFAULT_PARAMS) -> Path:
    """Hash ``pin`` with a fresh salt and save it, replacing any PIN set before."""
    validate_pin(pin)
    params.check()
    salt = secrets.token_bytes(SALT_BYTES)
    record = {
        "version": FILE_VERSION,
        "algorithm": "scrypt",
        **asdict(params),
        "salt": salt.hex(),
        "hash": _hash(pin, salt, params).hex(),
    }
    path = pin_path(data_dir)
    write_private(path, json.dumps(record, indent=2) + "\n")
    return path


def remove_pin(data_dir: Path) -> bool:
    """Forget the PIN; True if there was one."""
    try:
        pin_path(data_dir).unlink()
    except FileNotFoundError:
        return False
    return True


def check_pin(data_dir: Path, pin: str, params: ScryptParams = DEFAULT_PARAMS) -> bool:
    """True only if a PIN is set and ``pin`` is it. No delay here: see ``PinGate``.

    A PIN stored with other scrypt parameters than ``params`` is re-hashed with
    them when it is entered correctly.
    """
    stored = _read(data_dir)
    if stored is None or not isinstance(pin, str):
        return False
    stored_params, salt, expected = stored
    # Compare in constant time, and hash even a malformed entry, so the time taken
    # says nothing about how close a guess was.
    actual = _hash(pin, salt, stored_params)
    ok = hmac.compare_digest(actual, expected) and pin.isascii() and pin.isdigit()
    if ok and stored_params != params:
        set_pin(data_dir, pin, params)
    return ok


def _hash(pin: str, salt: bytes, params: ScryptParams) -> bytes:
    memory = 128 * params.r * (params.n + params.p + 2)
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=params.n, r=params.r,
                          p=params.p, dklen=params.dklen, maxmem=memory + 2**20)


def _read(data_dir: Path) -> tuple[ScryptParams, bytes, bytes] | None:
    path = pin_path(data_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PinError(f"CareChat cannot read the PIN file {path} ({exc}).", _RESET_HINT) from None
    if not isinstance(data, dict) or (data.get("version"), data.get("algorithm")) != (
            FILE_VERSION, "scrypt"):
        raise PinError(f"The PIN file {path} is not one this version of CareChat reads.",
                       _RESET_HINT)
    try:
        params = ScryptParams(**{k: int(data[k]) for k in ("n", "r", "p", "dklen")})
        salt, expected = bytes.fromhex(data["salt"]), bytes.fromhex(data["hash"])
    except (KeyError, TypeError, ValueError):
        raise PinError(f"The PIN file {path} is damaged.", _RESET_HINT) from None
    params.check()
    if len(expected) != params.dklen or not salt:
        raise PinError(f"The PIN file {path} is damaged.", _RESET_HINT)
    return params, salt, expected


PinAttempt = Attempt  # what one try at the PIN pad gave (try_gate.Attempt)


class PinGate(TryGate):
    """The administrator PIN, checked with ``TryGate``'s growing wait after wrong tries.

    The count lives in memory only: the kiosk writes nothing about its visitors
    to disk.
    """

    def __init__(
        self,
        data_dir: Path,
        clock: Callable[[], float] = time.monotonic,
        max_tries: int = MAX_TRIES,
        lockout_s: float = LOCKOUT_S,
        max_lockout_s: float = MAX_LOCKOUT_S,
        params: ScryptParams = DEFAULT_PARAMS,
    ) -> None:
        self.data_dir = Path(data_dir)
        super().__init__(lambda pin: check_pin(self.data_dir, pin, params), clock,
                         max_tries, lockout_s, max_lockout_s)
