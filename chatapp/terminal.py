"""An answer streamed to a terminal, and taken back when the kept answer differs.

``carechat ask`` streams to a terminal only: a pipe or a file gets the kept
answer once, at the end, so that what is printed is what is saved.
"""

from __future__ import annotations

import os
import shutil
import unicodedata
from collections.abc import Callable
from typing import TextIO


def can_redraw(stream: TextIO) -> bool:
    """Whether what was written to ``stream`` can be taken back (a real terminal)."""
    return stream.isatty() and os.environ.get("TERM") != "dumb"


class AnswerOnScreen:
    """The answer as it streams to a terminal, and what it takes to erase it again."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.answer: list[str] = []  # the model's pieces
        self.shown: list[str] = []  # everything on the screen since the first piece

    def write(self, piece: str) -> None:
        self.out.write(piece)
        self.out.flush()
        self.answer.append(piece)
        self.shown.append(piece)

    def around_status(self, status: Callable[[str], None]) -> Callable[[str], None]:
        """``status`` for messages that may come mid-answer ("Rewriting…")."""

        def report(message: str) -> None:
            if self.shown:
                # On a line of its own, and counted: it is erased with the answer.
                if not "".join(self.shown).endswith("\n"):
                    self.out.write("\n")
                    self.out.flush()
                    self.shown.append("\n")
                self.shown.append(message + "\n")
            status(message)

        return report

    def differs_from(self, kept: str) -> bool:
        return "".join(self.answer).split() != kept.split()

    def replace_with(self, kept: str) -> None:
        width = shutil.get_terminal_size().columns
        up = rows_above("".join(self.shown), width)
        # Back to the row the answer began on, then clear from there down. (A
        # terminal moves the cursor no higher than its top row: the start of an
        # answer taller than the window stays in the scroll-back.)
        self.out.write("\r" + (f"\x1b[{up}A" if up else "") + "\x1b[J" + kept)
        self.out.flush()
        self.answer, self.shown = [kept], [kept]


def cell_width(char: str) -> int:
    """Columns a terminal gives ``char``: 2 for East Asian wide, 0 for marks and controls."""
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 2
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf", "Cc"):
        return 0
    return 1


def rows_above(text: str, width: int) -> int:
    """How many rows the cursor is below the row where ``text`` began (at column 0).

    A terminal wraps a line too long for ``width`` columns onto the next row, and
    moves a wide character that does not fit in a row's last column to the next
    one. A row filled to its last column does not wrap until something follows it.
    """
    width = max(1, width)
    rows = column = 0
    for char in text:
        if char == "\n":
            rows, column = rows + 1, 0
        elif char == "\r":
            column = 0
        elif char == "\t":
            column = max(column, min(column // 8 * 8 + 8, width - 1))  # tabs never wrap
        elif (cells := cell_width(char)) > 0:
            if column + cells > width:
                rows, column = rows + 1, 0
            column += cells
    return rows
