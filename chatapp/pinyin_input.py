"""Pinyin input for the kiosk's on-screen keyboard: typed letters in, Chinese candidates out.

Pure Python, no Qt: the keyboard widget calls ``candidates`` as the patient types and
``remaining`` when a candidate is tapped, and keeps converting the rest, as a phone's
pinyin keyboard does ("touteng": tap 头, then "teng" is left for 疼).

Where the words come from
-------------------------
- pypinyin 0.55.0 (MIT): ``pinyin_dict`` (each character's readings) and
  ``phrases_dict`` (47,111 words with their readings). Tone marks are removed and ü is
  typed "v" (lü -> lv, nü -> nv), as on every pinyin keyboard.
- pypinyin's phrase list is made for telling apart the readings of polyphonic
  characters, so it lacks many everyday words that have none (医生, 胸痛, 胸口, 西安 are
  not in it). Words are therefore also taken from CareChat's own Chinese library: a run of
  2 to 4 characters seen at least ``MIN_CORPUS_WORD_COUNT`` times, unless it is nearly
  always part of a longer run (``什么时`` inside ``什么时候``, ``看医`` inside ``看医生``):
  those fragments would crowd the list. Its reading is pypinyin's: a known word inside it
  gives its reading, otherwise a character's first (default) reading.
- Only characters of GB2312 (levels 1 and 2, 6,763 characters) are offered; a word with
  any other character is left out. The rest are rare and would flood the list.

How candidates are ranked
-------------------------
pypinyin has no frequencies, so within a group (see ``candidates``) the order is:

1. how often the word, or the character with this reading, occurs in the library
   (``resources/library/zh``, the Markdown body and the ``questions = [...]`` lines), so
   health words (头疼, 糖尿病, 高血压, 医生, 药) come first on a health kiosk. A character's
   occurrences are given readings as pypinyin reads a text (the longest known word at each
   point, else the character's default reading): 能 is everywhere in the library, but read
   "neng"; counted for its archaic "xiong" too, it would come before 胸;
2. GB2312 level 1 (the 3,755 common characters) before level 2;
3. then, for words, the rarest of their characters' counts (a word made of common
   characters first); for characters, pypinyin's default reading before a secondary one.

Limits of the data, not special-cased: a word in neither source is not offered whole
(西安: type 西, then 安); a word nearly always inside one longer run is taken for a fragment
(拨打, always in 拨打急救电话); a reading heard mostly outside known words ranks low (行
as "hang"); some library words are runs across a word boundary (你或, from 你或孩子, 你或别人).

Cost (measured on the 2-core development machine, Python 3.11.7)
---------------------------------------------------------------
The index is built once, on first use (``default_index``), not at import: 0.75 to 0.85 s
in all, of which about 0.3 s is loading pypinyin's dicts and putting them in plain letters
and about 0.5 s counting the library (137,000 characters) and ranking. It holds 55,461
words (46,637 from pypinyin, 8,824 more from the library) and 6,763 characters under
9,185 readings, with 413 syllables. tracemalloc: the index takes 10.7 MiB, the plain-letter
lexicon 6.1 MiB, and pypinyin's own dicts, which stay loaded, 49.5 MiB; building peaks at
about 47 MiB above that. After that ``candidates`` takes about 0.04 ms.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .resources import resource_path

__all__ = [
    "SYLLABLES",
    "Candidate",
    "PinyinIndex",
    "build_index",
    "candidates",
    "default_index",
    "remaining",
    "split_syllables",
]

# Every valid plain syllable ("zhuang", "lv", "n"), from pypinyin's data. Computed on first
# use (module __getattr__ below) so that importing this module costs nothing.
SYLLABLES: frozenset[str]

# A run of characters from the library becomes a word when seen this many times.
MIN_CORPUS_WORD_COUNT = 3
# Library words are 2 to this many characters long (longer runs are mostly phrases).
MAX_CORPUS_WORD_CHARS = 4
# Runs up to this long are counted: one more, to tell whether a 4-character run is a fragment.
_GRAM_CHARS = MAX_CORPUS_WORD_CHARS + 1
# A run seen inside one longer run at least this share of the times is a fragment of it.
_FRAGMENT_SHARE = 0.9
# The longest plain syllables ("zhuang", "shuang", "chuang") have six letters.
_MAX_SYLLABLE_LETTERS = 6

# Every GB2312 character is in the basic CJK block.
_HANZI_RUN = re.compile(r"[\u4e00-\u9fff]+")
_TYPED_LETTERS = re.compile(r"[A-Za-z]+")
# TOML front matter between "+++" lines, as in every library article.
_FRONT_MATTER = re.compile(r"\A\s*\+\+\+\s*\n(.*?)\n\+\+\+\s*(?:\n|\Z)", re.DOTALL)
_QUESTIONS = re.compile(r"^questions\s*=\s*\[.*?\]", re.DOTALL | re.MULTILINE)


def _library_dir() -> Path:
    # resource_path finds resources/ in a checkout (next to chatapp/) and in a wheel.
    return resource_path("library", "zh")


def _gb2312_level(char: str) -> int | None:
    """1 for GB2312's 3,755 common characters, 2 for the other 3,008, None otherwise."""
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return None
    if len(encoded) != 2:
        return None
    if 0xB0 <= encoded[0] <= 0xD7:
        return 1
    if 0xD8 <= encoded[0] <= 0xF7:
        return 2
    return None  # punctuation, Latin, kana: not a character to offer


def _plain(reading: str) -> str:
    """'lǜ' -> 'lv', 'zhōng' -> 'zhong': the letters a keyboard types for a reading."""
    decomposed = unicodedata.normalize("NFD", reading.strip().lower())
    decomposed = decomposed.replace("u\u0308", "v")  # ü, typed v everywhere
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class _Lexicon:
    """pypinyin's data in plain letters, GB2312 only. The same whatever the corpus."""

    char_readings: dict[str, tuple[str, ...]]  # character -> readings, default first
    char_level: dict[str, int]
    phrases: dict[str, tuple[str, ...]]  # word -> one syllable per character
    syllables: frozenset[str]
    prefixes: frozenset[str]  # every non-empty prefix of a syllable, syllables included


@cache
def _lexicon() -> _Lexicon:
    # Imported here, not at the top: pypinyin's dicts take about 0.2 s to load, and only
    # the kiosk's keyboard needs them.
    from pypinyin.phrases_dict import phrases_dict
    from pypinyin.pinyin_dict import pinyin_dict

    plain_of: dict[str, str] = {}  # ~1,500 distinct tone-marked readings, each done once

    def plain(reading: str) -> str:
        result = plain_of.get(reading)
        if result is None:
            result = plain_of[reading] = _plain(reading)
        return result

    char_readings: dict[str, tuple[str, ...]] = {}
    char_level: dict[str, int] = {}
    for code_point, readings in pinyin_dict.items():
        char = chr(code_point)
        level = _gb2312_level(char)
        if level is None:
            continue
        plains = tuple(
            dict.fromkeys(p for p in map(plain, readings.split(",")) if p.isascii() and p.isalpha())
        )
        if plains:
            char_readings[char] = plains
            char_level[char] = level

    phrases: dict[str, tuple[str, ...]] = {}
    for phrase, readings in phrases_dict.items():
        if len(phrase) != len(readings) or not all(ch in char_level for ch in phrase):
            continue
        syllables = tuple(plain(r[0]) for r in readings)
        if all(s.isascii() and s.isalpha() for s in syllables):
            phrases[phrase] = syllables

    syllables = {s for readings in char_readings.values() for s in readings}
    syllables.update(s for readings in phrases.values() for s in readings)
    prefixes = {s[:i] for s in syllables for i in range(1, len(s) + 1)}
    return _Lexicon(char_readings, char_level, phrases, frozenset(syllables), frozenset(prefixes))


def __getattr__(name: str) -> frozenset[str]:
    # PEP 562: SYLLABLES is computed from pypinyin's data on first access only.
    if name == "SYLLABLES":
        return _lexicon().syllables
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ---------------------------------------------------------------------------------------
# Splitting typed letters into syllables


def _split_run(letters: str, allow_incomplete: bool) -> tuple[str, ...] | None:
    """The best split of one run of lower-case letters, or None when there is none.

    Best: fewest pieces; then every piece a whole syllable rather than the last one a
    prefix; then the longest pieces first ("fangan" -> fang'an, as keyboards read it).
    Only the last piece of the last run may be a prefix ("nih" -> ni, h).
    """
    lexicon = _lexicon()
    size = len(letters)

    def key(pieces: tuple[str, ...]) -> tuple[int, bool, tuple[int, ...]]:
        return (len(pieces), pieces[-1] not in lexicon.syllables, tuple(-len(p) for p in pieces))

    # best[i]: the best split of letters[i:], from the end backwards.
    best: list[tuple[str, ...] | None] = [None] * (size + 1)
    best[size] = ()
    for start in range(size - 1, -1, -1):
        options: list[tuple[str, ...]] = []
        for end in range(start + 1, min(size, start + _MAX_SYLLABLE_LETTERS) + 1):
            piece = letters[start:end]
            rest = best[end]
            if piece in lexicon.syllables and rest is not None:
                options.append((piece, *rest))
            elif end == size and allow_incomplete and piece in lexicon.prefixes:
                options.append((piece,))
        if options:
            best[start] = min(options, key=key)
    return best[0]


def _pieces(typed: str) -> list[tuple[str, int]]:
    """Each syllable of the typed text with the index in ``typed`` just after it."""
    runs = list(_TYPED_LETTERS.finditer(typed))
    pieces: list[tuple[str, int]] = []
    for number, run in enumerate(runs):
        split = _split_run(run.group().lower(), allow_incomplete=number == len(runs) - 1)
        if split is None:
            return []  # not pinyin: the keyboard shows no candidates, and nothing is lost
        end = run.start()
        for piece in split:
            end += len(piece)
            pieces.append((piece, end))
    return pieces


def split_syllables(letters: str) -> list[str]:
    """Split typed letters into syllables, as the keyboard shows them ("ni'hao").

    Upper and lower case are the same; an apostrophe, or any other character that is
    not a letter a-z, forces a split ("xi'an" -> xi, an; "xian" -> xian). The split uses
    the fewest syllables, all valid, except that the last one may be the start of a
    syllable still being typed ("nih" -> ni, h). Never raises: text without letters, or
    letters that no split can read as pinyin, give [].
    """
    return [piece for piece, _ in _pieces(letters)]


# ---------------------------------------------------------------------------------------
# The index


@dataclass(frozen=True)
class PinyinIndex:
    """Words and characters by reading, each list best first. Build with ``build_index``."""

    # First syllables of a word -> (rank, last syllable, word), best rank first.
    words: dict[tuple[str, ...], tuple[tuple[int, str, str], ...]]
    # Syllable -> (rank, character), best rank first.
    chars: dict[str, tuple[tuple[int, str], ...]]
    word_count: int  # distinct words
    char_count: int  # distinct characters

    def whole_words(self, syllables: list[str]) -> Iterator[str]:
        """Words of exactly these syllables, the last one possibly a prefix.

        Those whose last syllable is the one typed come first ("xian": 先 before 想).
        """
        *head, last = syllables
        entries = self.words.get(tuple(head), ())
        yield from (word for _, syllable, word in entries if syllable == last)
        yield from (
            word for _, syllable, word in entries if syllable != last and syllable.startswith(last)
        )

    def exact_words(self, syllables: list[str]) -> Iterator[str]:
        """Words of exactly these syllables."""
        *head, last = syllables
        entries = self.words.get(tuple(head), ())
        return (word for _, syllable, word in entries if syllable == last)

    def characters(self, syllable: str, prefix: bool) -> Iterator[str]:
        """Characters read ``syllable``; with ``prefix``, then those of longer syllables."""
        yield from (char for _, char in self.chars.get(syllable, ()))
        if prefix:
            longer = [
                entry
                for other, entries in self.chars.items()
                if other != syllable and other.startswith(syllable)
                for entry in entries
            ]
            yield from (char for _, char in sorted(longer))


def _corpus_texts(corpus: Path | Iterable[str]) -> Iterator[str]:
    if isinstance(corpus, str):
        # A str is an iterable of characters: almost certainly a mistake for [text] or Path.
        raise TypeError("corpus must be a directory Path or an iterable of texts, not a str")
    if isinstance(corpus, Path):
        for path in sorted(corpus.rglob("*.md")):
            yield path.read_text(encoding="utf-8")
    else:
        yield from corpus


def _countable_text(text: str) -> str:
    """The part of an article that is read: its body and its ``questions = [...]``."""
    front = _FRONT_MATTER.match(text)
    if front is None:
        return text
    questions = "\n".join(m.group() for m in _QUESTIONS.finditer(front.group(1)))
    return questions + "\n" + text[front.end() :]


def _reading(word: str, lexicon: _Lexicon) -> tuple[str, ...]:
    """A library word's reading: as pypinyin reads a text, the longest known word first."""
    syllables: list[str] = []
    start = 0
    while start < len(word):
        for end in range(len(word), start + 1, -1):
            known = lexicon.phrases.get(word[start:end])
            if known is not None:
                syllables.extend(known)
                start = end
                break
        else:
            syllables.append(lexicon.char_readings[word[start]][0])
            start += 1
    return tuple(syllables)


def build_index(corpus: Path | Iterable[str] | None = None) -> PinyinIndex:
    """Build the index, ranked by a corpus: a directory of Markdown articles (searched
    recursively), an iterable of texts, or None for CareChat's Chinese library.

    Not cached itself (tests pass their own corpus); ``default_index`` is.
    """
    lexicon = _lexicon()
    texts = _corpus_texts(_library_dir() if corpus is None else corpus)
    runs = [run for text in texts for run in _HANZI_RUN.findall(_countable_text(text))]

    char_counts = Counter(ch for run in runs for ch in run)
    # Every run of 2..5 characters: the counts of most words, and the library's words.
    gram_counts: Counter[str] = Counter()
    for n in range(2, _GRAM_CHARS + 1):
        for run in runs:
            gram_counts.update(run[i : i + n] for i in range(len(run) - n + 1))
    long_counts = _long_phrase_counts(runs, lexicon)

    # A run nearly always seen inside one longer run is a fragment, not a word.
    widest: dict[str, int] = {}
    for gram, count in gram_counts.items():
        if len(gram) > 2:
            for part in (gram[1:], gram[:-1]):
                if widest.get(part, 0) < count:
                    widest[part] = count

    readings: dict[str, tuple[str, ...]] = dict(lexicon.phrases)
    for gram, count in gram_counts.items():
        if (
            count >= MIN_CORPUS_WORD_COUNT
            and len(gram) <= MAX_CORPUS_WORD_CHARS
            and gram not in readings
            and widest.get(gram, 0) < _FRAGMENT_SHARE * count
            and all(ch in lexicon.char_level for ch in gram)
        ):
            readings[gram] = _reading(gram, lexicon)

    def word_key(word: str) -> tuple[int, int, int, str]:
        count = gram_counts.get(word, 0) or long_counts.get(word, 0)
        level = max(lexicon.char_level[ch] for ch in word)
        rarest = min(char_counts.get(ch, 0) for ch in word)
        return (-count, level, -rarest, word)

    words: dict[tuple[str, ...], list[tuple[int, str, str]]] = {}
    for rank, word in enumerate(sorted(readings, key=word_key)):
        syllables = readings[word]
        words.setdefault(syllables[:-1], []).append((rank, syllables[-1], word))

    # A character is ranked for a reading by how often it is read so: 能 is everywhere in
    # the library, but as "neng"; counting it for "xiong" too would put it before 胸.
    read_counts = _reading_counts(runs, readings, lexicon)

    def char_key(entry: tuple[str, int, str]) -> tuple[int, int, int, str]:
        char, reading_number, syllable = entry
        count = read_counts.get((char, syllable), 0)
        return (-count, lexicon.char_level[char], reading_number, char)

    char_entries = [
        (char, number, syllable)
        for char, syllables in lexicon.char_readings.items()
        for number, syllable in enumerate(syllables)
    ]
    chars: dict[str, list[tuple[int, str]]] = {}
    for rank, (char, _, syllable) in enumerate(sorted(char_entries, key=char_key)):
        chars.setdefault(syllable, []).append((rank, char))

    return PinyinIndex(
        words={head: tuple(entries) for head, entries in words.items()},
        chars={syllable: tuple(entries) for syllable, entries in chars.items()},
        word_count=len(readings),
        char_count=len(lexicon.char_readings),
    )


def _long_phrase_counts(runs: list[str], lexicon: _Lexicon) -> Counter[str]:
    """Occurrences of pypinyin's words longer than the runs counted (about 500 words).

    Only where a run starts like one of them, rather than every slice of every run.
    """
    long_phrases = {p for p in lexicon.phrases if len(p) > _GRAM_CHARS}
    if not long_phrases:
        return Counter()
    starts = {p[:_GRAM_CHARS] for p in long_phrases}
    longest = max(map(len, long_phrases))
    counts: Counter[str] = Counter()
    for run in runs:
        for i in range(len(run) - _GRAM_CHARS):
            if run[i : i + _GRAM_CHARS] in starts:
                for end in range(i + _GRAM_CHARS + 1, min(len(run), i + longest) + 1):
                    if run[i:end] in long_phrases:
                        counts[run[i:end]] += 1
    return counts


def _reading_counts(
    runs: list[str], readings: dict[str, tuple[str, ...]], lexicon: _Lexicon
) -> Counter[tuple[str, str]]:
    """How often each character is read each way in the library, (character, syllable).

    As pypinyin reads a text: the longest known word at each point gives its characters'
    readings (forward maximum matching), a character outside any word its default reading.
    """
    counts: Counter[tuple[str, str]] = Counter()
    if not readings:
        return counts
    short = MAX_CORPUS_WORD_CHARS
    long_starts = {word[:short] for word in readings if len(word) > short}
    longest = max(map(len, readings))
    for run in runs:
        start, size = 0, len(run)
        while start < size:
            reach = longest if run[start : start + short] in long_starts else short
            for end in range(min(size, start + reach), start + 1, -1):
                syllables = readings.get(run[start:end])
                if syllables is not None:
                    counts.update(zip(run[start:end], syllables, strict=True))
                    start = end
                    break
            else:
                char_readings = lexicon.char_readings.get(run[start])
                if char_readings:
                    counts[(run[start], char_readings[0])] += 1
                start += 1
    return counts


@cache
def default_index() -> PinyinIndex:
    """The index ranked by CareChat's library, built once on first use."""
    return build_index()


# ---------------------------------------------------------------------------------------
# Candidates


@dataclass(frozen=True)
class Candidate:
    """A word or character to offer, and the typed text it replaces.

    ``letters`` is the prefix of the input, exactly as typed (case and apostrophes kept),
    that choosing this candidate consumes; ``remaining`` gives what is left.
    """

    text: str
    letters: str


def candidates(typed: str, limit: int = 30, *, index: PinyinIndex | None = None) -> list[Candidate]:
    """Candidates for the typed letters, best first, as a phone's pinyin keyboard lists them.

    1. Words for the whole input, the last syllable possibly still being typed
       ("tangn" -> 糖尿).
    2. Shorter words for its first syllables, the longest first ("tangniaobingren":
       糖尿病 before 糖尿).
    3. Characters for the first syllable (for a lone start of a syllable such as "zh",
       characters of every syllable it starts).

    Within a group by library frequency, then GB2312 level (see the module docstring). A
    text is offered once. Input that is not pinyin gives [].
    """
    pieces = _pieces(typed)
    if not pieces or limit <= 0:
        return []
    index = default_index() if index is None else index
    syllables = [piece for piece, _ in pieces]
    count = len(syllables)

    groups: list[tuple[Iterable[str], int]] = []  # (texts, syllables consumed)
    if count > 1:
        groups.append((index.whole_words(syllables), count))
    groups.extend((index.exact_words(syllables[:n]), n) for n in range(count - 1, 1, -1))
    groups.append((index.characters(syllables[0], prefix=count == 1), 1))

    found: list[Candidate] = []
    seen: set[str] = set()
    for texts, consumed in groups:
        letters = typed[: pieces[consumed - 1][1]]
        for text in texts:
            if text in seen:
                continue
            seen.add(text)
            found.append(Candidate(text, letters))
            if len(found) == limit:
                return found
    return found


def remaining(typed: str, chosen: Candidate) -> str:
    """The typed text left after choosing ``chosen``, to keep converting.

    Leading apostrophes are dropped: "xi'an" after 西 leaves "an". Raises ValueError if
    ``chosen`` was not offered for this text (its letters do not start it).
    """
    if not typed.startswith(chosen.letters):
        raise ValueError(f"{chosen.text!r} was offered for {chosen.letters!r}, not {typed!r}")
    return typed[len(chosen.letters) :].lstrip("'")
