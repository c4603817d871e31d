"""Words for search: normalising, Chinese bigrams, light stemming, typo fixing.

SQLite's unicode61 tokenizer reads a run of Chinese characters as one token, so a
question would only match an identical run. Every Chinese run is therefore
rewritten as its overlapping two-character pieces ("血压高" -> "血压 压高"),
in the index and in the question alike; a lone character stays as it is.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from ..text_input import match_form

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RUN = re.compile(f"[{HAN}]+")
TOKEN = re.compile(f"([{HAN}]+)|([^\\W_{HAN}]+)")
APOSTROPHES = str.maketrans("", "", "'’‘`´")

_STOPWORDS = """
a about above after again against all am an and any are arent as at be because been
before being below between both but by can cant could couldnt did didnt do does doesnt
doing dont down during each even ever every few for from further get gets getting got
had hadnt has hasnt have havent having he hed hes her here hers herself him himself his
how hows i id ill im ive if in into is isnt it its itself just lets like me more most
much my myself no nor not now of off on once only or other ought our ours ourselves out
over own really same shall she shed shes should shouldnt so some such than that thats
the their theirs them themselves then there theres these they theyd theyll theyre
theyve this those through to too under until up us very was wasnt we wed well were weve
werent what whats when whens where wheres which while who whos whom why whys will with
wont would wouldnt you youd youll youre youve your yours yourself yourselves
also anyone anything bad go going good help know lot lots make many may might mean
means need needs normal ok okay one please say said should something still sure take
tell thing things think want way what whats wonder ya yes
"""
STOPWORDS = frozenset(_STOPWORDS.split())

# Dropped from a keyword or synonym before matching it against a question: only
# words that carry no meaning there. "feeling down" and "burned out" keep "down"
# and "out", or they would match any question with "feeling" or "burned" in it.
_PHRASE_FILLERS = (
    "a an the of to in on at my your his her our their is are am be and or for with i me "
    "it its im"
)
PHRASE_FILLERS = frozenset(_PHRASE_FILLERS.split())

# In keyword matching every negation is "not": "cant poo" matches "havent been
# able to poo", "heart not pumping" matches "heart doesnt pump".
_NEGATIONS = (
    "not no dont doesnt didnt cant cannot couldnt isnt arent wasnt werent havent hasnt "
    "hadnt wont wouldnt never unable"
)
NEGATIONS = frozenset(_NEGATIONS.split())


def phrase_words(text: str) -> list[str]:
    """The words of a keyword or question that keyword matching compares."""
    return ["not" if w in NEGATIONS else w for w in words(text) if w not in PHRASE_FILLERS]


# Question words and fillers that say nothing about the topic; removed from a
# Chinese question before it is cut into pairs. Longest first, so "怎么办" goes whole.
_ZH_FILLERS = """
怎么办 怎么样 怎么 怎样 如何 才能 更好 更加 好一点 一点 哪些 办法 方法
什么 为什么 是不是 要不要 能不能 可不可以 可以 有没有 一下 请问 应该
需要 还是 的话 时候 老是 总是 一直 最近 平时 好像 感觉 觉得 知道 吗 呢 吧 啊 呀 了 的 我 你
他 她 我们 你们 他们 是 有 在 和 跟 也 都 就 很 太 要 会 能 这 那 个 些 得 着 过 没
"""
ZH_FILLERS = tuple(sorted(_ZH_FILLERS.split(), key=len, reverse=True))
ZH_FILLER = re.compile("|".join(map(re.escape, ZH_FILLERS)))


def normalize(text: str) -> str:
    """Case, width and apostrophes folded: "Don't" and "ＤＯＮＴ" both become "dont";
    invisible characters and look-alike letters as triage reads them (``match_form``)."""
    return match_form(text).casefold().translate(APOSTROPHES)


def han_pieces(run: str) -> list[str]:
    """The overlapping pairs of a run of Chinese characters (a lone one stays whole)."""
    if len(run) < 2:
        return [run] if run else []
    return [run[i:i + 2] for i in range(len(run) - 1)]


def index_text(text: str) -> str:
    """Text as the index stores it: words as they are, Chinese as pairs."""
    out = []
    for han, word in TOKEN.findall(normalize(text)):
        out.extend(han_pieces(han) if han else [word])
    return " ".join(out)


def stem(word: str) -> str:
    """A light English stemmer for matching keywords: plurals and possessives."""
    if len(word) <= 3 or not word.isascii() or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """The non-Chinese words of ``text``, normalised (stop words kept)."""
    return [word for han, word in TOKEN.findall(normalize(text)) if word]


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS]


def han_runs(text: str, drop_fillers: bool = False) -> list[str]:
    """The runs of Chinese characters in ``text``, question fillers removed if asked."""
    cleaned = normalize(text)
    if drop_fillers:
        cleaned = ZH_FILLER.sub(" ", cleaned)
    return HAN_RUN.findall(cleaned)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap counts 1), or limit + 1 when above it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _deletes(word: str, depth: int) -> set[str]:
    """``word`` and every string made from it by removing up to ``depth`` letters."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


class Vocabulary:
    """The library's own words, to recognise a misspelt one and suggest the right one.

    Only words of at least MIN_LENGTH letters are corrected: short words have too
    many neighbours ("pain" is one letter from "rain" and "paid").
    """

    MIN_LENGTH = 5
    LONG = 8  # from this length, two edits are allowed

    def __init__(self, counts: Counter[str]) -> None:
        self.counts = counts
        self.stems = {stem(w) for w in counts}
        self._by_delete: dict[str, set[str]] = {}
        for word in counts:
            if len(word) >= self.MIN_LENGTH - 1 and word.isalpha():
                # Deep enough for a misspelling two letters shorter to meet it.
                for key in _deletes(word, 2 if len(word) >= self.LONG - 2 else 1):
                    self._by_delete.setdefault(key, set()).add(word)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Vocabulary:
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(w for w in words(text) if w.isalpha() and w not in STOPWORDS)
        return cls(counts)

    def knows(self, word: str) -> bool:
        return word in self.counts or stem(word) in self.stems

    def correct(self, word: str) -> str | None:
        """The closest known word to an unknown ``word``, or None."""
        if len(word) < self.MIN_LENGTH or not word.isalpha() or self.knows(word):
            return None
        limit = 2 if len(word) >= self.LONG else 1
        candidates: set[str] = set()
        for key in _deletes(word, limit):
            candidates |= self._by_delete.get(key, set())
        best = None
        for candidate in candidates:
            distance = edit_distance(word, candidate, limit)
            if distance <= limit:
                rank = (distance, -self.counts[candidate], candidate)
                best = min(best, rank) if best else rank
        return best[2] if best else None
