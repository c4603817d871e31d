"""``carechat profile set-passcode | remove-passcode NAME``: protect a profile's saved
conversations with a passcode (storage/protection.py), from the command line.

The passcode is asked twice without echo, or read from standard input with
``--stdin`` (one line; for a profile that has one already, its current passcode
on the first line and the new one on the second), as ``admin set-pin`` does.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from .cli_output import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, fail
from .storage import Profile, StorageError, Store, protection
from .storage.vault import PasscodeError, check_passcode

FORGOTTEN = ("If you forget the passcode, the conversations cannot be recovered by "
             "anyone; the profile can still be erased.")

read_secret: Callable[[str], str] = getpass.getpass  # tests replace it


def add_parser(commands, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    profile = commands.add_parser(
        "profile", help="protect a profile's conversations with a passcode")
    add_common(profile)
    actions = profile.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, text in (("set-passcode", "set or change a profile's passcode"),
                       ("remove-passcode", "remove a profile's passcode")):
        action = actions.add_parser(name, help=text)
        action.add_argument("name", metavar="NAME", help="the profile's name")
        action.add_argument("--stdin", action="store_true",
                            help="read the passcode(s) from standard input, one a line")


def _line() -> str:
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\r\n")


def _current(profile: Profile, stdin: bool) -> str:
    return _line() if stdin else read_secret(f"Current passcode for {profile.name}: ")


def _new(stdin: bool) -> str | None:
    """The new passcode, asked twice; None when the two differ."""
    if stdin:
        return check_passcode(_line())
    passcode = check_passcode(read_secret("New passcode: "))
    return passcode if read_secret("The same passcode again: ") == passcode else None


def profile_command(store: Store, args: argparse.Namespace) -> int:
    profile = store.profile_named(args.name)
    protected = store.is_protected(profile.id)
    try:
        if args.action == "remove-passcode":
            if not protected:
                print(f"{profile.name} has no passcode.", file=sys.stderr)
                return EXIT_OK
            protection.unprotect(store, profile.id, _current(profile, args.stdin))
            print(f"{profile.name}'s passcode was removed: the conversations are stored "
                  "unencrypted again.", file=sys.stderr)
            return EXIT_OK
        current = _current(profile, args.stdin) if protected else ""
        if not protected and not args.stdin:
            print(FORGOTTEN, file=sys.stderr)
        new = _new(args.stdin)
        if new is None:
            return fail(False, "The two passcodes differ; nothing was changed.", "",
                        EXIT_USAGE)
        if protected:
            protection.change_passcode(store, profile.id, current, new)
            print(f"{profile.name}'s passcode was changed.", file=sys.stderr)
        else:
            protection.protect(store, profile.id, new)
            print(f"{profile.name}'s conversations are now encrypted with the passcode. "
                  f"{FORGOTTEN}", file=sys.stderr)
    except PasscodeError as exc:
        return fail(False, exc.message, exc.hint, EXIT_USAGE)
    except (KeyboardInterrupt, EOFError):
        print(file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_OK


def unlock_to_read(store: Store, profile: Profile, purpose: str = "") -> None:
    """Ask for a protected, locked profile's passcode before a command reads it
    (WrongPasscodeError when it is wrong); ``purpose`` is said first."""
    if not store.is_protected(profile.id) or store.is_unlocked(profile.id):
        return
    if purpose:
        print(purpose, file=sys.stderr)
    try:
        passcode = read_secret(f"Passcode for {profile.name}: ")
    except (KeyboardInterrupt, EOFError) as exc:
        raise StorageError("No passcode was given; nothing was read.") from exc
    protection.unlock(store, profile.id, passcode)
