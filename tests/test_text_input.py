"""The one normaliser every way in uses (chatapp/text_input.py): unit and property tests."""

from __future__ import annotations

import io
import tomllib
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from chatapp.resources import resource_path
from chatapp.text_input import (
    MAX_MESSAGE_CHARS,
    InputError,
    clean_input,
    decode_bytes,
    from_argument,
    match_form,
    normalize_text,
    printable,
    read_stdin,
)

KEPT = {"\n", "\t"}
# Every character, surrogates too (an argument the OS could not decode holds them).
ANY_CHAR = st.characters(codec=None, exclude_categories=())
# Pieces that have broken normalisers: escape sequences and their parts, line
# breaks, invisible and combining characters, look-alikes, characters whose NFC
# form is longer than they are.
TRICKY = st.sampled_from([
    "\x1b", "[", "]", "\x07", "\x1b\\", "\x9b", "\x9d", "\x9c", "0;", "2J", "m", "\r", "\n",
    "\r\n", "\t", "\x00", "\x0b", "\x0c", "\x7f", "\x85", "\u2028", "\u200b", "\u00ad",
    "\ufeff", "\u202e", "\u034f", "\ufe0f", "\u0301", "\u0323", "e", "E", " ", "с", "ǅ",
    "\u0958", "\u0344", "\ufb1d", "\ufdfa", "\ud800", "\udcff", "\U000e0041", "가", "\u11a8",
])
ANY_TEXT = st.one_of(st.text(ANY_CHAR), st.lists(
    st.one_of(TRICKY, st.text(ANY_CHAR, max_size=3))).map("".join))


def unwanted(text: str) -> list[str]:
    """The characters normalised text must not hold: Cf, and C0/C1 but newline and tab."""
    return [c for c in text if c not in KEPT
            and (unicodedata.category(c) in {"Cf", "Cc", "Cs"})]


# --- normalize_text ---------------------------------------------------------------


@given(ANY_TEXT)
@settings(max_examples=400)
@example("\x1b]0;PWNED\x07\x1b[2J")
@example("e\u200b\u0301")
def test_normalize_text_is_clean_idempotent_and_never_raises(text: str) -> None:
    once = normalize_text(text)
    assert unwanted(once) == []
    assert normalize_text(once) == once
    assert unicodedata.is_normalized("NFC", once)


@given(ANY_TEXT, st.integers(min_value=0, max_value=40))
@settings(max_examples=300)
@example("\u0958" * 5, 3)  # NFC of a cut may be longer than the cut
def test_normalize_text_never_exceeds_its_limit(text: str, limit: int) -> None:
    cut = normalize_text(text, limit)
    assert len(cut) <= limit
    assert normalize_text(cut) == cut
    if len(normalize_text(text)) <= limit:
        assert cut == normalize_text(text)


@pytest.mark.parametrize(("raw", "clean"), [
    # The tester's ESC sequences: clear the screen, set the window title.
    ("What is \x1b]0;PWNED\x07\x1b[2Jasthma?", "What is asthma?"),
    ("\x1b[31mred\x1b[0m text", "red text"),
    ("a\x9b2Jb", "ab"),  # the C1 form of ESC [
    ("che\u200bst pain", "chest pain"),
    ("ki\u00adll", "kill"),
    ("\ufeffWhat is asthma?", "What is asthma?"),  # a byte-order mark
    ("\u202eevil\u202c", "evil"),  # a bidi override
    ("one\r\ntwo\rthree\x85four\u2028five", "one\ntwo\nthree\nfour\nfive"),
    ("tab\there", "tab\there"),
    ("chest\x0cpain", "chest pain"),  # a form feed parts words, as it looks
    ("nul\x00byte", "nulbyte"),
    ("cafe\u0301", "café"),  # NFC
    ("\ud8ffx", "\ufffdx"),  # a lone surrogate
])
def test_normalize_text_examples(raw: str, clean: str) -> None:
    assert normalize_text(raw) == clean


def test_ordinary_text_is_unchanged() -> None:
    for text in ("What is high blood pressure?", "高血压是什么？", "Café, naïve ☕ 👍🏽",
                 "Line one\nLine two\twith a tab", "x² + ½ ﬁ"):
        assert normalize_text(text) == text


def test_clean_input_refuses_empty_and_too_long_text_whole() -> None:
    assert clean_input("  What is asthma?\u200b \n") == "What is asthma?"
    with pytest.raises(InputError, match="type a message"):
        clean_input(" \u200b\u00ad\x1b[2J ")
    with pytest.raises(InputError, match="4,001 characters"):
        clean_input("a" * (MAX_MESSAGE_CHARS + 1))
    # The limit counts what is left once normalised.
    assert clean_input("a" * MAX_MESSAGE_CHARS + "\u200b" * 50) == "a" * MAX_MESSAGE_CHARS


@given(ANY_TEXT)
def test_clean_input_returns_clean_text_within_the_limit_or_says_why(text: str) -> None:
    try:
        cleaned = clean_input(text, limit=20)
    except InputError as exc:
        assert exc.message
        return
    assert 0 < len(cleaned) <= 20 and cleaned == cleaned.strip() and not unwanted(cleaned)


# --- bytes ------------------------------------------------------------------------


def test_invalid_utf8_is_refused_with_where_and_what_to_do() -> None:
    with pytest.raises(InputError) as caught:
        decode_bytes(b"\xff\xfe What is asthma?")
    assert "not UTF-8" in caught.value.message and "0xFF at position 0" in caught.value.message
    assert "UTF-8" in caught.value.hint


@given(st.text())
def test_any_text_survives_utf8_round_trip(text: str) -> None:
    assert decode_bytes(text.encode()) == text


@given(st.binary())
def test_bytes_decode_or_are_refused(data: bytes) -> None:
    try:
        text = decode_bytes(data)
    except InputError:
        return
    assert text.encode() == data


def test_a_command_line_argument_that_was_not_utf8_is_refused() -> None:
    # What Python makes of argv bytes b"\xff\xfe asthma" on Linux (surrogateescape).
    argument = b"\xff\xfe asthma".decode("utf-8", "surrogateescape")
    with pytest.raises(InputError, match="0xFF at position 0"):
        from_argument(argument)
    assert from_argument("What is asthma? 高血压") == "What is asthma? 高血压"


def test_stdin_is_read_as_bytes_whatever_the_locale() -> None:
    def stdin(data: bytes) -> io.TextIOWrapper:
        # A C-locale stdin would have let the bad bytes through as surrogates.
        return io.TextIOWrapper(io.BytesIO(data), encoding="ascii", errors="surrogateescape")

    assert read_stdin(stdin("Qu'est-ce que l'asthme ? 哮喘".encode())) == (
        "Qu'est-ce que l'asthme ? 哮喘")
    with pytest.raises(InputError, match="not UTF-8"):
        read_stdin(stdin(b"\xff\xfe What is asthma?"))
    with pytest.raises(InputError, match="more than 100 bytes"):
        read_stdin(stdin(b"a" * 101), max_bytes=100)
    assert read_stdin(io.StringIO("What is asthma?\n")) == "What is asthma?\n"


# --- matching ---------------------------------------------------------------------


@pytest.mark.parametrize("raw", [
    "I have che\u200bst pain", "I have ch\u00adest pain", "I have \u0441hest pain",  # Cyrillic с
    "I have ch\u0435st p\u0430in",  # Cyrillic е, а
    "I have CHEST PAIN".replace("E", "\u0395"),  # Greek Ε
    "I have ＣＨＥＳＴ pain", "I have ch\u034fest pain", "I have ch\ufe0fest pain",
    "I have \u202echest pain\u202c", "I have che\U000e0020st pain",
])
def test_match_form_reads_invisible_and_lookalike_letters_as_latin(raw: str) -> None:
    assert match_form(raw).lower() == "i have chest pain"


def test_match_form_is_nfkc_for_ordinary_text() -> None:
    for text in ("What is high blood pressure?", "我胸口很痛，喘不上气", "Café ☕ ﬁne"):
        assert match_form(text) == unicodedata.normalize("NFKC", text)


@given(ANY_TEXT)
@example("\u041e\u0300")  # a Cyrillic О and an accent: "ò" once folded
def test_match_form_is_clean_and_idempotent(text: str) -> None:
    folded = match_form(text)
    assert not unwanted(folded)
    assert match_form(folded) == folded


def test_the_lookalike_table_is_small_and_certain() -> None:
    with resource_path("text", "lookalikes.toml").open("rb") as fh:
        data = tomllib.load(fh)
    seen: set[str] = set()
    for latin, chars in data["latin"].items():
        assert len(latin) == 1 and latin.isascii() and latin.islower()
        for char in chars:
            assert char not in seen, f"{char!r} is listed twice"
            seen.add(char)
            assert not char.isascii()
            # Only look-alikes NFKC leaves as they are; the rest NFKC folds itself.
            assert unicodedata.normalize("NFKC", char) == char
            name = unicodedata.name(char)
            assert name.startswith(("CYRILLIC", "GREEK", "LATIN")), name
            assert not name.startswith("CJK")
    for first, last in data["invisible"]["ranges"]:
        for code in (int(first, 16), int(last, 16)):
            assert unicodedata.category(chr(code)) != "Cf"  # Cf goes anyway


# --- the way out ------------------------------------------------------------------


def test_printable_shows_control_characters_as_symbols() -> None:
    assert printable("a\x1b[2Jb\x07c\x9bd\te\nf\x7f") == "a␛[2Jb␇c\ufffdd\te\nf␡"
    assert printable("What is asthma? 高血压 ☕") == "What is asthma? 高血压 ☕"


@given(st.text(ANY_CHAR))
def test_printable_leaves_no_control_character_but_newline_and_tab(text: str) -> None:
    shown = printable(text)
    assert len(shown) == len(text)
    assert not [c for c in shown if c not in KEPT and unicodedata.category(c) == "Cc"]
