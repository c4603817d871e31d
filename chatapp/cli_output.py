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
