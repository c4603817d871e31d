"""Plain-language edits without the model: everyday words, shorter sentences, lists.

The built-in model copies its library passages and barely follows writing
rules, so it cannot be relied on to write more simply for one level than for
another. These edits (resources/literacy/plain_en.toml, reviewed like code) are
applied to each sentence as it streams, for the levels that ask for them. They
only swap words for reviewed synonyms, split a sentence at a join between two
whole clauses, or set out a run-on list as bullets: a number, a unit, a dose or
a negation is never changed, moved or dropped (``_check_entry`` refuses a word
list entry that has one; tests/literacy/test_literacy_plain.py checks the rest).

Chinese has no such edits yet: ``simplify`` returns Chinese text unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..sentences import SENTENCE_END
from . import _data
from .levels import ORDER, Level, parse_level

STEPS = ("words", "split", "lists")
# Words that change what a sentence asks or allows; a swap must never add or drop one.
NEGATIONS = frozenset({
    "no", "not", "never", "without", "nor", "none", "nothing", "don't", "doesn't", "didn't",
    "isn't", "aren't", "wasn't", "weren't", "won't", "can't", "cannot", "shouldn't",
    "mustn't", "avoid", "stop",
})
# A list item that begins with one of these is a clause ("..., and you feel better").
PRONOUNS = frozenset({"you", "it", "they", "we", "he", "she", "there", "this", "that",
                      "these", "those"})
# A list item, a heading or a quote mark at the start of a line, kept as it is.
LINE_MARK = re.compile(r"^(\s*(?:[-*+•]|\d{1,3}[.)]|#{1,6}|>)?\s*)")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


@dataclass(frozen=True)
class _Plain:
    steps: dict[Level, frozenset[str]]
    words: dict[str, str]
    words_pattern: re.Pattern | None
    keep_after: re.Pattern
    joins: tuple[str, ...]
    drop: frozenset[str]
    subjects: frozenset[str]
    dependent: frozenset[str]
    min_words: int
    leads: tuple[str, ...]
    min_items: int
    max_item_words: int


def steps_for(level: Level | str, language: str) -> frozenset[str]:
    """The edits ``level`` gets in ``language`` (none for Chinese, for now)."""
    if _data.language(language) != "en":
        return frozenset()
    return _plain().steps[parse_level(level)]


def simplify(text: str, level: Level | str, language: str) -> str:
    """``text`` with the level's plain-language edits, one sentence or line at a time.

    Whitespace around each piece is kept, so this can run on a stream cut at
    sentence ends (``simplify_sentence``) and give the same text as on the whole.
    """
    steps = steps_for(level, language)
    if not steps:
        return text
    return "".join(_simplify_piece(piece, steps) for piece in SENTENCE_END.split(text))


def simplify_sentence(sentence: str, level: Level | str, language: str) -> str:
    """One sentence (with its surrounding whitespace) with the level's edits."""
    steps = steps_for(level, language)
    return _simplify_piece(sentence, steps) if steps else sentence


def _simplify_piece(piece: str, steps: frozenset[str]) -> str:
    lead = re.match(r"\s*", piece).group()
    body = piece[len(lead):]
    trail = re.search(r"\s*$", body).group()
    body = body[: len(body) - len(trail)]
    if not body:
        return piece
    mark = LINE_MARK.match(body).group() if lead == "" or "\n" in lead else ""
    body = body[len(mark):]
    if "words" in steps:
        body = swap_words(body)
    if "split" in steps:
        body = split_sentence(body)
    if "lists" in steps and not mark.strip():
        listed = list_items(body)
        if listed is not None:
            # A list needs a line of its own: a blank line before it if text
            # came before on the line, and after it so the next sentence is not
            # read as part of the last item.
            before = lead if (lead == "" or "\n" in lead) else "\n\n"
            return f"{before}{mark}{listed}\n\n" + trail.lstrip(" ")
    return f"{lead}{mark}{body}{trail}"


def swap_words(text: str) -> str:
    """Hard words and phrases swapped for the word list's everyday ones."""
    plain = _plain()
    if plain.words_pattern is None:
        return text

    def swap(match: re.Match) -> str:
        found = match.group()
        before, after = match.string[: match.start()], match.string[match.end():]
        if (plain.keep_after.search(before) or before.rstrip().endswith("(")
                or after.lstrip().startswith("(")):
            return found  # the text names the medical word itself: keep it
        plain_word = plain.words[found.lower()]
        if found[0].isupper():
            return plain_word[0].upper() + plain_word[1:]
        return plain_word

    return plain.words_pattern.sub(swap, text)


def split_sentence(sentence: str) -> str:
    """``sentence`` split at each join between two whole clauses (see plain_en.toml)."""
    plain = _plain()
    result = sentence
    for join in plain.joins:
        result = _split_at(result, join, plain)
    return result


def _split_at(sentence: str, join: str, plain: _Plain) -> str:
    out = ""
    rest = sentence
    while True:
        at = rest.find(join)
        if at < 0:
            return out + rest
        left, right = rest[:at], rest[at + len(join):]
        if _splittable(out + left, right, join, plain):
            word = join.strip(" ,;")
            if word and word not in plain.drop:
                right = f"{word} {right}"  # "but" and "so" begin the new sentence
            out += left + ". "
            rest = _capitalized(right)
        else:
            out += left + join
            rest = right


def _splittable(sentence_so_far: str, right: str, join: str, plain: _Plain) -> bool:
    start = sentence_so_far.rsplit(". ", 1)[-1]
    right_words = WORD.findall(right.split(",")[0])
    left_words = WORD.findall(start)
    if len(left_words) < plain.min_words or len(right_words) < plain.min_words:
        return False
    if left_words[0].lower() in plain.dependent:
        return False
    first = WORD.match(right.lstrip())
    if first is None or first.group().lower() not in plain.subjects:
        return False
    if join.startswith(",") and "," in start:
        return False  # "A, B, and C ...": a list, not two clauses
    # Inside brackets or quotes a split would leave them unbalanced.
    return start.count("(") == start.count(")") and start.count('"') % 2 == 0


def list_items(sentence: str) -> str | None:
    """"Signs include A, B and C." as "Signs include:" and a bullet per item, or None."""
    plain = _plain()
    body = sentence.rstrip()
    if not body.endswith("."):
        return None
    lowered = body.lower()
    for lead in plain.leads:
        match = re.search(rf"\b{re.escape(lead)}\b:?\s+", lowered)
        if match is None:
            continue
        head, tail = body[: match.start()].rstrip(" ,"), body[match.end(): -1]
        if not head or any(ch in tail for ch in ".;:!?()\""):
            return None
        parts = [p.strip() for p in tail.split(",")]
        serial = re.match(r"^(?:and|or)\s+(.+)$", parts[-1])  # "A, B, and C"
        last = re.match(r"^(.+?)\s+(?:and|or)\s+(.+)$", parts[-1])  # "A, B and C"
        if serial is not None:
            items = [*parts[:-1], serial.group(1)]
        elif last is not None:
            items = [*parts[:-1], last.group(1), last.group(2)]
        else:
            return None
        items = [i for i in items if i]
        if len(items) < plain.min_items:
            return None
        if any(len(i.split()) > plain.max_item_words for i in items):
            return None
        if any(i.split()[0].lower() in PRONOUNS for i in items):
            return None  # "..., and you feel better": a clause, not an item
        intro = f"{head} {body[match.start(): match.end()].strip().rstrip(':')}:"
        return "\n".join([intro, *(f"- {item}" for item in items)])
    return None


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


@cache
def _plain() -> _Plain:
    path = _data.data_path("plain_en.toml")
    top = _data.Fields(_data.load(path), path)
    if top.text("language") != "en":
        top.fail("language", "must be 'en'")
    levels = top.table("levels")
    steps = {}
    for level in ORDER:
        chosen = levels.data.get(level.value)
        if not isinstance(chosen, list) or any(s not in STEPS for s in chosen):
            levels.fail(level.value, f"must be a list of steps from: {', '.join(STEPS)}")
        steps[level] = frozenset(chosen)
    words_table = top.table("words")
    words = {}
    for key in words_table.data:
        plain_word = words_table.text(key)
        _check_entry(words_table, key, plain_word)
        words[key.strip().lower()] = plain_word
    # Longest first, so "healthcare providers" wins over "healthcare provider".
    alternatives = "|".join(re.escape(k) for k in sorted(words, key=len, reverse=True))
    pattern = (re.compile(rf"(?<![\w'’-])(?:{alternatives})(?![\w'’-])", re.IGNORECASE)
               if words else None)
    split = top.table("split")
    lists = top.table("lists")
    cues = "|".join(re.escape(c.lower()) for c in top.table("keep").texts("after"))
    keep_after = re.compile(rf"(?:^|\W)(?:{cues})[\s:,\"'“‘]*$", re.IGNORECASE)
    return _Plain(
        steps=steps,
        words=words,
        words_pattern=pattern,
        keep_after=keep_after,
        joins=tuple(_join(j) for j in split.texts("joins")),
        drop=frozenset(w.lower() for w in split.texts("drop")),
        subjects=frozenset(w.lower() for w in split.texts("subjects")),
        dependent=frozenset(w.lower() for w in split.texts("dependent")),
        min_words=int(split.number("min_words", low=1, high=20)),
        leads=tuple(w.lower() for w in lists.texts("leads")),
        min_items=int(lists.number("min_items", low=2, high=20)),
        max_item_words=int(lists.number("max_item_words", low=1, high=20)),
    )


def _join(word: str) -> str:
    # "and" joins as ", and "; ";" as "; ".
    return "; " if word == ";" else f", {word.lower()} "


def _check_entry(table: _data.Fields, key: str, plain_word: str) -> None:
    for side in (key, plain_word):
        if re.search(r"\d", side):
            table.fail(key, "must not contain a number: a swap never changes one")
        if NEGATIONS & {w.lower() for w in WORD.findall(side)}:
            table.fail(key, "must not contain a negation: a swap never changes one")
