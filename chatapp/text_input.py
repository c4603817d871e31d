"""Text as it enters CareChat, and as it leaves for a terminal or a file. Qt-free.

Every way in (the window's and the kiosk's composer, ``carechat ask`` and
``carechat triage`` from arguments or standard input) passes through here:

- ``decode_bytes`` and ``from_argument``: bytes that are not UTF-8 are refused
  with a clear ``InputError``, before anything is saved.
- ``normalize_text``: NFC, every line break as "\\n", terminal escape sequences,
  other control characters (C0, C1) and format characters (Unicode Cf: zero-width
  spaces, soft hyphens, bidi overrides, the byte-order mark) removed. Idempotent;
  never raises. What is saved and shown is this text.
- ``clean_input``: that, stripped, and refused whole when empty or over its limit
  (never cut: the patient is told, and nothing is lost silently).

``match_form`` goes further, for the rules and the search only (triage, scope,
retrieval): NFKC, every invisible character removed and the Cyrillic and Greek
look-alikes of Latin letters read as those letters (``resources/text/lookalikes.toml``),
so "ch\\u200best pain" or "сhest pain" with a Cyrillic "с" is read as chest pain.
Triage calls it itself: raw text from any path is screened the same way.

``printable`` is for the way out: text saved before this module existed (or by
another program) is printed with its control characters shown as symbols, so a
stored escape sequence cannot clear or retitle the reader's terminal.
"""

from __future__ import annotations

import re
import sys
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import BinaryIO, TextIO

from .errors import HintedError
from .resources import resource_path

MAX_MESSAGE_CHARS = 4000  # a question, a reply, a message to triage
# Standard input is read up to this many bytes: far more than a message of
# MAX_MESSAGE_CHARS characters takes, so only a file that is not a message is refused
# before it is read whole.
MAX_STDIN_BYTES = 1 << 20

KEPT_CONTROLS = "\n\t"
LINE_BREAKS = re.compile("\r\n|[\r\x85\u2028\u2029]")
# Whitespace controls (vertical tab, form feed, the separators) become a space, so
# the words on either side stay apart; other controls go.
SPACE_CONTROLS = re.compile("[\x0b\x0c\x1c-\x1f]")
# ECMA-48 sequences, whole, so that no "[2J" or "]0;title" is left behind: CSI
# (ESC [ or C1 CSI) with its parameters; OSC, DCS, SOS, PM and APC strings to
# their terminator (or to the next control character); any other ESC + one byte.
ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x00-\x1f\x7f-\x9f]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)
SURROGATE = re.compile("[\ud800-\udfff]")
# Unicode Cf lies in planes 0, 1 and 14 (the tags); scanning only those keeps the
# first call to about 20 ms.
_CF_PLANES = (range(0x0000, 0x20000), range(0xE0000, 0xF0000))


class InputError(HintedError, ValueError):
    """Text that cannot be taken as it is; ``message`` says why, ``hint`` what to do."""


@cache
def _removed() -> re.Pattern:
    """Control characters but newline and tab, and format characters (Cf)."""
    removed = [c for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) not in KEPT_CONTROLS]
    removed += (c for plane in _CF_PLANES for c in plane if unicodedata.category(chr(c)) == "Cf")
    return re.compile(f"[{_char_class(removed)}]+")


def _printable(text: str) -> bool:
    """Whether ``text`` is all printable characters, newlines and tabs."""
    return text.isprintable() or text.replace("\n", " ").replace("\t", " ").isprintable()


def _without_hidden(text: str) -> str:
    """``text`` without escape sequences, control characters (but newline and
    tab) and format characters; other line breaks as newlines; surrogates as U+FFFD."""
    # Python calls all of those unprintable: most text has none and is left as it
    # is (the search calls this for every word of the library).
    if _printable(text):
        return text
    text = SURROGATE.sub("\ufffd", text)
    text = ESCAPE_SEQUENCE.sub("", text)
    text = SPACE_CONTROLS.sub(" ", LINE_BREAKS.sub("\n", text))
    return _removed().sub("", text)


def _char_class(code_points: list[int]) -> str:
    """A regex character class's body for ``code_points``, as ranges: a class of
    single characters is several times slower to match."""
    ranges: list[list[int]] = []
    for c in sorted(code_points):
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)


def normalize_text(text: str, limit: int | None = None) -> str:
    """``text`` in NFC without control or format characters; never raises.

    Newline and tab stay; every other line break becomes a newline. A lone
    surrogate (undecodable bytes let through by the OS) becomes U+FFFD. With
    ``limit``, the result is cut to at most that many characters: for text that
    is only shown, never for what a patient sent (``clean_input`` refuses that).
    """
    text = _without_hidden(text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if limit is None or len(text) <= limit:
        return text
    # The start of NFC text is not always NFC, and normalising it can make it
    # longer: cut shorter until it fits.
    for end in range(limit, -1, -1):
        cut = unicodedata.normalize("NFC", text[:end])
        if len(cut) <= limit:
            return cut
    return ""


def clean_input(text: str, limit: int = MAX_MESSAGE_CHARS,
                empty: str = "Please type a message first.") -> str:
    """``text`` normalised and stripped; an ``InputError`` when it is empty or too long."""
    cleaned = normalize_text(text).strip()
    if not cleaned:
        raise InputError(empty)
    if len(cleaned) > limit:
        raise InputError(
            f"Your message is {len(cleaned):,} characters long. Please keep it under "
            f"{limit:,} characters, or ask one question at a time."
        )
    return cleaned


def decode_bytes(data: bytes) -> str:
    """``data`` as UTF-8 text; an ``InputError`` naming the first byte that is not."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"The message is not UTF-8 text: byte 0x{data[exc.start]:02X} at position "
            f"{exc.start} cannot be read. Nothing was saved.",
            "Save or send the text as UTF-8 (the usual text encoding) and try again.",
        ) from None


def from_argument(text: str) -> str:
    """A command-line argument as UTF-8 text.

    On Linux and macOS Python decodes arguments with ``surrogateescape``, so bytes
    that are not UTF-8 arrive as lone surrogates: they are refused here, as on
    standard input, instead of failing later when the text is saved.
    """
    if not SURROGATE.search(text):
        return text
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "replace")
    return decode_bytes(raw)


def read_stdin(stream: TextIO | None = None, max_bytes: int = MAX_STDIN_BYTES) -> str:
    """Standard input (or ``stream``) as UTF-8 text, up to ``max_bytes``.

    Its bytes are read and decoded here, whatever the locale's encoding: text
    that is not UTF-8 is refused with a clear error instead of a traceback
    (or, under a C locale, surrogates that fail only when the text is saved).
    """
    stream = sys.stdin if stream is None else stream
    binary: BinaryIO | None = getattr(stream, "buffer", None)
    # A stream without bytes underneath (an io.StringIO) is text already.
    data = binary.read(max_bytes + 1) if binary is not None else stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(
            f"Standard input holds more than {max_bytes:,} bytes; a message is at most "
            f"{MAX_MESSAGE_CHARS:,} characters.",
            "Send one message at a time.",
        )
    return decode_bytes(data) if isinstance(data, bytes) else from_argument(data)


# --- matching -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Folds:
    table: dict[int, str]  # a look-alike or invisible code point -> its Latin letter, or ""
    found: re.Pattern  # any of them


@cache
def _folds() -> _Folds:
    with resource_path("text", "lookalikes.toml").open("rb") as fh:
        data = tomllib.load(fh)
    table = {ord(char): latin for latin, chars in data["latin"].items() for char in chars}
    table |= dict.fromkeys((c for first, last in data["invisible"]["ranges"]
                            for c in range(int(first, 16), int(last, 16) + 1)), "")
    return _Folds(table, re.compile(f"[{_char_class(list(table))}]+"))


def match_form(text: str) -> str:
    """``text`` as rules and search read it: normalised, NFKC, invisible
    characters removed, look-alike letters read as Latin ones. Case is kept."""
    text = _without_hidden(text)  # as normalize_text, but NFKC instead of NFC
    if text.isascii():
        return text  # nothing below changes ASCII
    text = unicodedata.normalize("NFKC", text)
    if not _printable(text):  # in case NFKC ever makes a control or format character
        text = _removed().sub("", text)
    # Only the characters to fold go through the table (translating the whole
    # text is slower, and they are rare). Then NFKC again: a Latin letter before
    # an accent ("О̀" with a Cyrillic О) composes with it, as typed Latin would,
    # and so do a letter and an accent an invisible character kept apart. NFKC of
    # NFKC text makes no new invisible character or look-alike.
    folds = _folds()
    folded = folds.found.sub(lambda m: m.group().translate(folds.table), text)
    return folded if folded == text else unicodedata.normalize("NFKC", folded)


# --- the way out --------------------------------------------------------------------

# C0 controls and DEL as the Control Pictures block shows them (ESC as "␛"),
# C1 controls as U+FFFD: visible, and inert in a terminal or a Markdown viewer.
_PICTURES = {c: 0x2400 + c for c in range(0x20) if chr(c) not in KEPT_CONTROLS}
_PICTURES |= {0x7F: 0x2421} | dict.fromkeys(range(0x80, 0xA0), 0xFFFD)


def printable(text: str) -> str:
    """``text`` safe to print or write: control characters but newline and tab
    shown as symbols ("\\x1b" as "␛"). For text already saved; new text is
    normalised on the way in."""
    return text.translate(_PICTURES)
