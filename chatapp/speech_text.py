"""Text for a voice to read: an answer, an article or the emergency notice, cleaned.

A voice reads what it is given, symbols included: "hash hash Symptoms", "star
star", a web address letter by letter. ``speakable`` turns CareChat's Markdown
and plain text into sentences a voice reads as a person would: no heading marks,
emphasis, link targets, web addresses, code marks or table bars; no "Sources"
list (a list of titles and addresses means nothing read aloud, and the screen
still shows it); headings and list items end with a pause; symbols that voices
misread become words of the text's language (``resources/speech/symbols.toml``).
Chinese text also loses the spaces between Chinese characters, which make some
voices pause mid-word. No Qt here: ``chatapp.ui.read_aloud`` speaks the result.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache

from .resources import resource_path

# Headings under which an article lists its sources, in the languages we have.
SOURCE_HEADINGS = frozenset({"sources", "source", "references", "来源", "参考资料", "资料来源"})

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_LINK = re.compile(r"!?\[([^\]]*)\]\((?:<[^>]*>|[^)\s]*)(?:\s+\"[^\"]*\")?\)")
_ANGLE_URL = re.compile(r"<(?:https?|mailto|ftp):[^>\s]*>", re.IGNORECASE)
# An address ends before the punctuation that ends its sentence.
_URL = re.compile(r"\b(?:https?://|ftp://|www\.)\S+?(?=[.,;:!?)]*(?:\s|$))", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")
_EMPHASIS = re.compile(r"(\*{1,3}|_{1,3}|~~)(?=\S)(.+?)(?<=\S)\1")
_CODE = re.compile(r"`+([^`]*)`+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_CJK_STOPS = "，。！？；：、"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}{_CJK_STOPS}])\s+(?=[{_CJK}])"
                        rf"|(?<=[{_CJK}])\s+(?=[{_CJK_STOPS}])")
_SPACES = re.compile(r"[ \t]+")
_SPACE_BEFORE_STOP = re.compile(r"\s+(?=[.,;:!?])")  # where an address was cut out
_ENDS = ".!?:;。！？：；…"


@cache
def _symbols(language: str) -> dict[str, str]:
    with resource_path("speech", "symbols.toml").open("rb") as handle:
        table = tomllib.load(handle)
    return dict(table.get(language, table["en"]))


def _is_source_heading(text: str) -> bool:
    return text.strip().rstrip(":：").strip().lower() in SOURCE_HEADINGS


def _inline(line: str, language: str) -> str:
    line = _LINK.sub(r"\1", line)
    line = _ANGLE_URL.sub("", line)
    line = _URL.sub("", line)
    line = _EMAIL.sub("", line)
    line = _HTML_TAG.sub("", line)
    line = _CODE.sub(r"\1", line)
    for _ in range(2):  # ***bold italic*** nests one level inside another
        line = _EMPHASIS.sub(r"\2", line)
    line = line.replace("\\", "")
    if "|" in line:  # a table row: its cells, one after another
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        line = ("，" if language == "zh" else ", ").join(c for c in cells if c)
    for symbol, words in _symbols(language).items():
        line = line.replace(symbol, words)
    line = _SPACE_BEFORE_STOP.sub("", _SPACES.sub(" ", line)).strip()
    return line.strip(" :：-–—") if not line.endswith(":") else line


def _end(sentence: str, language: str) -> str:
    """A heading or list item ends with a full stop, so the voice pauses after it."""
    if not sentence or sentence[-1] in _ENDS:
        return sentence
    return sentence + ("。" if language == "zh" else ".")


def speakable(text: str, language: str = "en") -> str:
    """``text`` (Markdown or plain) as sentences to read aloud in ``language``."""
    sentences: list[str] = []
    paragraph: list[str] = []  # lines of one paragraph: a soft line break is a space

    def close_paragraph() -> None:
        if paragraph:
            sentences.append(_end(" ".join(paragraph), language))
            paragraph.clear()

    skipping_sources = False
    for raw in text.splitlines():
        heading = _HEADING.match(raw)
        if heading is not None:
            close_paragraph()
            title = _inline(heading.group(1), language)
            skipping_sources = _is_source_heading(title)
            if not skipping_sources and title:
                sentences.append(_end(title, language))
            continue
        if not raw.strip() or _RULE.match(raw) or _TABLE_RULE.match(raw):
            close_paragraph()
            continue
        if skipping_sources:
            continue
        is_item = _BULLET.match(raw) is not None
        line = _inline(_BULLET.sub("", raw), language)
        if _is_source_heading(line):  # "Sources:" as a line of its own (an answer's)
            close_paragraph()
            skipping_sources = True
            continue
        if is_item or "|" in raw:
            close_paragraph()
            if line:
                sentences.append(_end(line, language))
        elif line:
            paragraph.append(line)
    close_paragraph()
    joined = ("" if language == "zh" else " ").join(sentences)
    if language == "zh":
        joined = _CJK_SPACE.sub("", joined)
    return _SPACES.sub(" ", joined).strip()
