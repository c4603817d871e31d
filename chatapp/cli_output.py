"""What every ``carechat`` command shares to end: exit statuses and failures in plain words."""

from __future__ import annotations

import json
import sys

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a program the signal ended


def fail(as_json: bool, message: str, hint: str, code: int) -> int:
    if as_json:
        print(json.dumps({"error": message, "hint": hint}, ensure_ascii=False))
    print(f"carechat: {message} {hint}".rstrip(), file=sys.stderr)
    return code


def confirm(question: str) -> bool:
    """Ask a yes/no question at the terminal; only "y" or "yes" is yes."""
    return input(f"{question} [y/N] ").strip().lower() in {"y", "yes"}


def declined(yes: bool, action: str, question: str, nothing_done: str) -> int | None:
    """None to go ahead; else the exit status to end with, when there is no terminal
    to ask (scripts must say --yes) or the answer is no."""
    if yes:
        return None
    if not sys.stdin.isatty():
        return fail(False, f"{action} needs confirmation.",
                    "Run it in a terminal, or add --yes.", EXIT_USAGE)
    if not confirm(question):
        print(nothing_done, file=sys.stderr)
        return EXIT_OK
    return None
