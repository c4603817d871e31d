"""The keys of passcode-protected profiles, and the sealing of their text.

A protected profile's text (conversation titles, messages and what is saved with
them) is stored sealed with AES-256-GCM (the ``cryptography`` package: pyca's,
no cipher of our own) under the profile's own random data key. That key is
stored only wrapped: sealed with a key derived from the passcode by scrypt
(memory-hard, salted, its parameters stored beside it). The passcode itself is
never stored, and a wrong passcode fails to unwrap the key (GCM's tag), which is
how it is told from the right one. Changing the passcode re-wraps the data key
only; nothing else is written again.

Each sealed value is bound to its profile and column (GCM's associated data), so
a value copied into another profile or column does not open. Sealed values are
text ("enc1:" and base64), so the columns and the full-text index keep their
types; the index then holds only base64 tokens of a protected profile.

Unlocked data keys live in ``KEYRING``, in this process's memory only, shared by
the window's and the model worker's connections; locking forgets them.
"""

from __future__ import annotations

import base64
import hashlib
import os
import threading
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .errors import StorageError
from .open_index import OpenIndex

PREFIX = "enc1:"
KEY_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 16
MIN_PASSCODE_CHARS = 4
MAX_PASSCODE_CHARS = 200
# scrypt at n=2^15, r=8: 32 MiB and about 0.07 s on the 2-core development
# machine, once per unlock; a guess costs an attacker the same.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
_MAXMEM = 2**26


class WrongPasscodeError(StorageError):
    """The passcode does not open this profile."""

    def __init__(self) -> None:
        super().__init__("That passcode is not right.",
                         "Check for typing errors and try again.")


class ProfileLockedError(StorageError):
    """The profile is protected and locked: its text cannot be read or written."""

    def __init__(self) -> None:
        super().__init__("This profile is locked.", "Unlock it with its passcode first.")


class PasscodeError(StorageError, ValueError):
    """A passcode that cannot be used (too short, too long)."""


@dataclass(frozen=True)
class WrappedKey:
    """What is stored of a profile's key: the wrapped data key and how to unwrap it."""

    salt: bytes
    n: int
    r: int
    p: int
    nonce: bytes
    wrapped: bytes


def check_passcode(passcode: str) -> str:
    """``passcode`` if it can be used, else PasscodeError saying why."""
    if len(passcode) < MIN_PASSCODE_CHARS:
        raise PasscodeError(
            f"A passcode needs at least {MIN_PASSCODE_CHARS} characters.",
            "Choose a longer one: a few words are easier to remember than a short code.")
    if len(passcode) > MAX_PASSCODE_CHARS:
        raise PasscodeError(f"A passcode can have at most {MAX_PASSCODE_CHARS} characters.")
    return passcode


def _derive(passcode: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(passcode.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          maxmem=_MAXMEM, dklen=KEY_BYTES)


def _key_label(profile_id: int) -> bytes:
    return f"carechat-profile-key:{profile_id}".encode()


def wrap(data_key: bytes, passcode: str, profile_id: int) -> WrappedKey:
    """The data key sealed under a key derived from ``passcode`` (a new salt)."""
    check_passcode(passcode)
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    outer = _derive(passcode, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    wrapped = AESGCM(outer).encrypt(nonce, data_key, _key_label(profile_id))
    return WrappedKey(salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, nonce, wrapped)


def unwrap(key: WrappedKey, passcode: str, profile_id: int) -> bytes:
    """The data key, or WrongPasscodeError."""
    outer = _derive(passcode, key.salt, key.n, key.r, key.p)
    try:
        return AESGCM(outer).decrypt(key.nonce, key.wrapped, _key_label(profile_id))
    except InvalidTag:
        raise WrongPasscodeError() from None


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def _label(profile_id: int, column: str) -> bytes:
    return f"carechat:{profile_id}:{column}".encode()


def seal(data_key: bytes, text: str, profile_id: int, column: str) -> str:
    """``text`` sealed for ``column`` of ``profile_id``."""
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(data_key).encrypt(nonce, text.encode("utf-8"), _label(profile_id, column))
    return PREFIX + base64.b64encode(nonce + sealed).decode("ascii")


def unseal(data_key: bytes, value: str, profile_id: int, column: str) -> str:
    """The text of a sealed value (a value not sealed is returned as it is)."""
    if not value.startswith(PREFIX):
        return value
    raw = base64.b64decode(value[len(PREFIX):])
    try:
        plain = AESGCM(data_key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:],
                                         _label(profile_id, column))
    except InvalidTag:
        raise StorageError("Some of this profile's saved text cannot be read: it was "
                           "changed outside CareChat.") from None
    return plain.decode("utf-8")


class Keyring:
    """Unlocked profiles, by (database, profile): each one's data key and, once it
    was searched, its search index in memory (open_index.py). Thread-safe, memory
    only; ``forget`` (locking) drops both."""

    def __init__(self) -> None:
        self._keys: dict[tuple[str, int], tuple[bytes, OpenIndex | None]] = {}
        self._lock = threading.Lock()

    def get(self, place: str, profile_id: int) -> bytes | None:
        with self._lock:
            entry = self._keys.get((place, profile_id))
        return None if entry is None else entry[0]

    def put(self, place: str, profile_id: int, data_key: bytes) -> None:
        with self._lock:
            _old_key, index = self._keys.get((place, profile_id), (data_key, None))
            self._keys[(place, profile_id)] = (data_key, index)

    def index(self, place: str, profile_id: int) -> OpenIndex | None:
        with self._lock:
            entry = self._keys.get((place, profile_id))
        return None if entry is None else entry[1]

    def keep_index(self, place: str, profile_id: int, index: OpenIndex) -> OpenIndex:
        """Keep ``index`` for the unlocked profile (the one kept already, if another
        connection built one first)."""
        with self._lock:
            data_key, kept = self._keys.get((place, profile_id), (b"", None))
            if kept is None and data_key:
                self._keys[(place, profile_id)] = (data_key, index)
                return index
        return kept or index

    def forget(self, place: str, profile_id: int) -> None:
        with self._lock:
            _data_key, index = self._keys.pop((place, profile_id), (b"", None))
        if index is not None:
            index.close()


KEYRING = Keyring()
