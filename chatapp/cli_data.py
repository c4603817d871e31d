"""``carechat history``, ``export`` and ``erase``: a profile's saved conversations
from the command line. They read what is there and create nothing."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from .cli_output import EXIT_FAILED, EXIT_OK, declined, fail
from .cli_profile import profile_command, unlock_to_read
from .config import Settings
from .session import find_current_profile, open_app_store
from .storage import (
    DB_FILENAME,
    NotFoundError,
    Profile,
    StorageError,
    Store,
    protection,
    write_export,
)
from .storage.database import damaged_copies, delete_files
from .text_input import from_argument, printable
from .vocabulary import MessageStatus


def with_store(settings: Settings, args: argparse.Namespace,
                command: Callable[[Store, argparse.Namespace], int]) -> int:
    if not (settings.data_dir / DB_FILENAME).exists():
        # Nothing saved yet: say so, and create nothing (not even the folder).
        return _nothing_saved(settings, args)
    try:
        # Reading needs no write access: a read-only data folder can still be read.
        opened = open_app_store(settings, fall_back_to_memory=False,
                                read_only_ok=args.command in READING_COMMANDS)
        for notice in opened.notices:
            print(notice, file=sys.stderr)
        try:
            return command(opened.store, args)
        finally:
            opened.store.close()
    except StorageError as exc:
        return fail(False, exc.message, exc.hint, EXIT_FAILED)


def _nothing_saved(settings: Settings, args: argparse.Namespace) -> int:
    if args.command == "erase" and args.damaged_copies:
        return _erase_copies(settings.data_dir, args)  # a profile can only be in them
    nothing = f"No conversations are saved in {settings.data_dir} yet."
    if getattr(args, "profile", None) is not None:
        return fail(False, f"There is no profile called {args.profile.strip()!r}.", nothing,
                     EXIT_FAILED)
    print(nothing, file=sys.stderr)
    return EXIT_OK


def _profile(store: Store, name: str | None) -> Profile | None:
    """The profile named, or the current one; None where no profile was ever used."""
    return find_current_profile(store) if name is None else store.profile_named(name)


def history_command(store: Store, args: argparse.Namespace) -> int:
    profile = _profile(store, args.profile)
    if profile is None:  # a command that reads creates no profile
        print("No conversations are saved for the current profile yet. To see a "
              "profile's, add --profile NAME.", file=sys.stderr)
        return EXIT_OK if args.action != "show" else EXIT_FAILED
    unlock_to_read(store, profile)
    if args.action == "list":
        for c in store.conversations(profile.id):
            print(f"{c.id:>6}  {c.updated[:16].replace('T', ' ')}  "
                  f"{printable(c.title) or '(untitled)'}")
    elif args.action == "show":
        conversation = store.conversation(args.conversation)
        if conversation.profile_id != profile.id:
            raise StorageError(f"Conversation {conversation.id} belongs to another profile.")
        print(f"# {printable(conversation.title) or '(untitled)'}\n")
        for m in store.messages(conversation.id):
            note = "" if m.status == MessageStatus.COMPLETE else f" [{m.status}]"
            print(f"{'You' if m.role == 'user' else 'CareChat'}{note}: {printable(m.content)}\n")
    else:
        hits = store.search(profile.id, " ".join(map(from_argument, args.query)))
        if not hits:
            print("No messages match.", file=sys.stderr)
        for h in hits:
            print(f"{h.conversation_id:>6}  {printable(h.conversation_title)}: "
                  f"{printable(h.snippet)}")
    return EXIT_OK


def export_command(store: Store, args: argparse.Namespace) -> int:
    profile = store.profile_named(args.profile)
    unlock_to_read(store, profile, protection.export_note(store.is_protected(profile.id)))
    try:
        out = write_export(store, profile.id, args.out, overwrite=args.overwrite)
    except FileExistsError as exc:
        raise StorageError(f"{args.out} already exists, and CareChat does not replace files "
                           "unasked.",
                           "Choose another name, or add --overwrite to replace it.") from exc
    except OSError as exc:
        raise StorageError(f"Cannot write {args.out} ({exc.strerror or exc}).",
                           "Choose another file or folder.") from exc
    print(f"Saved {profile.name}'s conversations to {out} (readable by you only).",
          file=sys.stderr)
    return EXIT_OK


def erase_command(store: Store, args: argparse.Namespace) -> int:
    data_dir = store.location.path.parent
    if args.profile is None:
        return _erase_copies(data_dir, args)
    try:
        profile = store.profile_named(args.profile)
    except NotFoundError:
        if not damaged_copies(data_dir):
            raise
        # After the data file was damaged and moved aside, the profile's words may
        # be only in that copy: say so, rather than "no such profile" alone.
        print(f"There is no profile called {args.profile.strip()!r} in CareChat's data "
              "file now.", file=sys.stderr)
        code = _erase_copies(data_dir, args)
        return code if args.damaged_copies else EXIT_FAILED
    stop = declined(args.yes, "Erasing",
                    f"Erase {profile.name} and all their conversations for good?",
                    "Nothing was erased.")
    if stop is not None:
        return stop
    if store.erase_profile(profile.id):
        print(f"Erased {profile.name} and all their conversations.", file=sys.stderr)
    else:
        print(f"Erased {profile.name} and all their conversations from CareChat. Another "
              "CareChat is still reading the data file, so the last traces of their words "
              "are wiped from it when every CareChat using this data folder has closed, "
              "or at CareChat's next start.", file=sys.stderr)
    return _erase_copies(data_dir, args)


def _erase_copies(data_dir: Path, args: argparse.Namespace) -> int:
    """Damaged copies moved aside may hold the profile's words, and cannot be opened
    to take them out: offer to delete them whole."""
    copies = damaged_copies(data_dir)
    if not copies:
        if args.damaged_copies:
            print(f"There are no damaged copies in {data_dir}.", file=sys.stderr)
        return EXIT_OK
    some = "1 damaged copy" if len(copies) == 1 else f"{len(copies)} damaged copies"
    about = (f"{some} of CareChat's data file {'was' if len(copies) == 1 else 'were'} moved "
             f"aside earlier and {'is' if len(copies) == 1 else 'are'} still in {data_dir}:\n"
             + "".join(f"  {copy.name}\n" for copy in copies)
             + "They cannot be opened, so nothing can be taken out of them: deleting them "
             "deletes every conversation of every profile they hold.")
    interactive = sys.stdin.isatty() and not args.yes
    if not args.damaged_copies and not interactive:
        print(f"{about}\nTo delete them too: carechat erase --damaged-copies --yes",
              file=sys.stderr)
        return EXIT_OK
    if interactive:
        print(about, file=sys.stderr)
    stop = declined(args.yes, "Deleting the damaged copies",
                    "Delete these damaged copies for good?", "The damaged copies were kept.")
    if stop is not None:
        return stop
    delete_files(copies)
    print(f"Deleted {some} of the data file.", file=sys.stderr)
    return EXIT_OK


READING_COMMANDS = ("history", "export")
DATA_COMMANDS = {"history": history_command, "export": export_command, "erase": erase_command,
                 "profile": profile_command}
