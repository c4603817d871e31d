"""Text for a voice to read: an answer, an article or the emergency notice, cleaned.

A voice reads what it is given, symbols included: "hash hash Symptoms", "star
star", a web address letter by letter. ``speakable`` takes the words of the
Markdown as the readability scores do (``literacy.plain_text``: no heading marks,
emphasis, link targets, addresses, code marks or table bars; each heading and
list item ends with a full stop, so the voice pauses after it), and adds what
only speech needs: no "Sources" list (titles and addresses mean nothing read
aloud, and the screen still shows them), no www. or e-mail addresses, symbols
that voices misread in words of the text's language
(``resources/speech/symbols.toml``), and, in Chinese, no spaces between
Chinese characters, which make some voices pause mid-word. No Qt here:
``chatapp.ui.read_aloud`` speaks the result.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache

from .literacy import plain_text
from .resources import resource_path

# Headings under which an article lists its sources, in the languages we have.
SOURCE_HEADINGS = frozenset({"sources", "source", "references", "来源", "参考资料", "资料来源"})

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_STOPS = "，。！？；：、"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}{_CJK_STOPS}])\s+(?=[{_CJK}])"
                        rf"|(?<=[{_CJK}])\s+(?=[{_CJK_STOPS}])")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*(.*?)\s*#*\s*$")
# What plain_text leaves and a voice would spell out: www. and e-mail addresses
# (an address ends before the punctuation that ends its sentence).
_ADDRESS = re.compile(r"\b(?:www\.\S+?(?=[.,;:!?)]*(?:\s|$))|[\w.+-]+@[\w-]+\.[\w.-]+\b)",
                      re.IGNORECASE)
_SPACE_BEFORE_STOP = re.compile(r"\s+(?=[.,;:!?])")  # where an address was cut out
_SPACES = re.compile(r"[ \t]+")


@cache
def _symbols(language: str) -> dict[str, str]:
    with resource_path("speech", "symbols.toml").open("rb") as handle:
        table = tomllib.load(handle)
    return dict(table.get(language, table["en"]))


def _is_source_heading(text: str) -> bool:
    return text.strip(" *_`").rstrip(":：").strip(" *_`").lower() in SOURCE_HEADINGS


def without_sources(markdown: str) -> str:
    """``markdown`` without its "Sources" sections: from a heading (or a line of its
    own, as an answer has) that names the sources, to the next heading."""
    kept: list[str] = []
    skipping = False
    for line in markdown.splitlines():
        heading = _HEADING.match(line)
        if heading is not None or _is_source_heading(line):
            skipping = _is_source_heading(heading.group(1) if heading else line)
        if not skipping:
            kept.append(line)
    return "\n".join(kept)


def _words(line: str, language: str) -> str:
    for symbol, words in _symbols(language).items():
        line = line.replace(symbol, words)
    return _SPACE_BEFORE_STOP.sub("", _SPACES.sub(" ", line)).strip()


def speakable(text: str, language: str = "en") -> str:
    """``text`` (Markdown or plain) as sentences to read aloud in ``language``."""
    lines = plain_text(_ADDRESS.sub("", without_sources(text)), language).splitlines()
    said = [words for line in lines if (words := _words(line, language))]
    joined = ("" if language == "zh" else " ").join(said)
    return _CJK_SPACE.sub("", joined) if language == "zh" else joined
