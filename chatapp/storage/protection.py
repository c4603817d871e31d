"""Protect a profile with a passcode, unlock, lock, change or remove the passcode.

Protecting seals every conversation title and message of the profile
(``vault.seal``) and stores its wrapped data key, in one transaction: a CareChat
killed half-way leaves the profile as it was before, every row in clear, or
protected, every row sealed, never half. The full-text index is then rebuilt
(so it keeps no word of the clear text) and the file scrubbed (``Store.scrub``:
VACUUM, then the WAL emptied) so that no copy of the clear text is left in free
pages or the WAL. Removing the passcode does the same the other way.

A forgotten passcode cannot be recovered: nothing but the passcode opens the
data key. The profile can still be erased (``Store.erase_profile``).
"""

from __future__ import annotations

import sqlite3

from .errors import StorageError, translate
from .locking import transaction
from .store import SEALED_MESSAGE_COLUMNS, Store
from .vault import (
    KEYRING,
    WrappedKey,
    check_passcode,
    new_data_key,
    seal,
    unseal,
    unwrap,
    wrap,
)

# Tests set this to stop a protect or unprotect half-way (SIGKILL, from a child).
_HALF_WAY_HOOK = None


def _wrapped(store: Store, profile_id: int) -> WrappedKey:
    row = next(iter(store.db.query("SELECT * FROM profile_keys WHERE profile_id = ?",
                                   [profile_id])), None)
    if row is None:
        raise StorageError("This profile has no passcode.")
    return WrappedKey(row["salt"], row["n"], row["r"], row["p"], row["nonce"], row["wrapped"])


def _store_wrapped(store: Store, profile_id: int, key: WrappedKey) -> None:
    store.db.execute(
        "INSERT INTO profile_keys (profile_id, salt, n, r, p, nonce, wrapped)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(profile_id) DO UPDATE SET"
        " salt = excluded.salt, n = excluded.n, r = excluded.r, p = excluded.p,"
        " nonce = excluded.nonce, wrapped = excluded.wrapped",
        [profile_id, key.salt, key.n, key.r, key.p, key.nonce, key.wrapped])


def _rewrite(store: Store, profile_id: int, change) -> None:
    """Every title and message text of the profile through ``change(text, column)``."""
    for row in list(store.db.query(
            "SELECT id, title FROM conversations WHERE profile_id = ?", [profile_id])):
        store.db.execute("UPDATE conversations SET title = ? WHERE id = ?",
                         [change(row["title"], "title") if row["title"] else "", row["id"]])
    rows = list(store.db.query(
        "SELECT m.id, " + ", ".join(f"m.{c}" for c in SEALED_MESSAGE_COLUMNS) +
        " FROM messages m JOIN conversations c ON c.id = m.conversation_id"
        " WHERE c.profile_id = ? ORDER BY m.id", [profile_id]))
    for n, row in enumerate(rows):
        if n == len(rows) // 2 and _HALF_WAY_HOOK is not None:
            _HALF_WAY_HOOK()
        store.db.execute(
            "UPDATE messages SET " + ", ".join(f"{c} = ?" for c in SEALED_MESSAGE_COLUMNS)
            + " WHERE id = ?",
            [*(change(row[c], c) for c in SEALED_MESSAGE_COLUMNS), row["id"]])
    # Rebuilt from the rows as they now are: the index keeps no word of the old text.
    store.db.execute("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')")


def protect(store: Store, profile_id: int, passcode: str) -> bool:
    """Protect the profile with ``passcode`` and leave it unlocked. True when the
    file was scrubbed at once (see ``Store.scrub``)."""
    check_passcode(passcode)
    store.profile(profile_id)  # NotFoundError for a wrong id
    if store.is_protected(profile_id):
        raise StorageError("This profile already has a passcode.",
                           "Change it, or remove it first.")
    data_key = new_data_key()
    wrapped = wrap(data_key, passcode, profile_id)
    try:
        with transaction(store.db):
            _rewrite(store, profile_id,
                     lambda text, column: seal(data_key, text, profile_id, column))
            _store_wrapped(store, profile_id, wrapped)
            store.mark_for_scrub()
    except sqlite3.Error as exc:
        raise translate(exc) from exc
    KEYRING.put(store.place, profile_id, data_key)
    return store.scrub()


def unprotect(store: Store, profile_id: int, passcode: str) -> bool:
    """Remove the passcode: the profile's text is stored in clear again."""
    data_key = unwrap(_wrapped(store, profile_id), passcode, profile_id)
    try:
        with transaction(store.db):
            _rewrite(store, profile_id,
                     lambda text, column: unseal(data_key, text, profile_id, column))
            store.db.execute("DELETE FROM profile_keys WHERE profile_id = ?", [profile_id])
            store.mark_for_scrub()
    except sqlite3.Error as exc:
        raise translate(exc) from exc
    KEYRING.forget(store.place, profile_id)  # the file's own index serves it again
    return store.scrub()


def change_passcode(store: Store, profile_id: int, old: str, new: str) -> bool:
    """Wrap the profile's data key under ``new``; nothing else is written again."""
    check_passcode(new)
    data_key = unwrap(_wrapped(store, profile_id), old, profile_id)
    try:
        with transaction(store.db):
            _store_wrapped(store, profile_id, wrap(data_key, new, profile_id))
            store.mark_for_scrub()
    except sqlite3.Error as exc:
        raise translate(exc) from exc
    KEYRING.put(store.place, profile_id, data_key)
    return store.scrub()  # the old wrapping would still open with the old passcode


def unlock(store: Store, profile_id: int, passcode: str) -> None:
    """Open the profile for this process (every connection of it); WrongPasscodeError."""
    KEYRING.put(store.place, profile_id,
                unwrap(_wrapped(store, profile_id), passcode, profile_id))


def lock(store: Store, profile_id: int) -> None:
    """Forget the profile's key and search index in this process."""
    KEYRING.forget(store.place, profile_id)


def export_note(protected: bool) -> str:
    """What to say before a protected profile's conversations are written out."""
    return ("This profile is protected by a passcode, but the exported file is not "
            "encrypted: anyone who can open the file can read it.") if protected else ""
