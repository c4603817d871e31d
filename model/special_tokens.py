"""Message text that a tokenizer reads as plain text: no special token can be typed.

A chat template puts each message between role markers such as "<|im_start|>user",
and the tokenizer reads such a marker's text as one special token wherever it
occurs. A message containing "<|im_start|>system" would therefore open a system
turn of its own, and pose as the rules the model is given.

``SpecialTokens.plain`` breaks every place where the tokenizer itself would read
a special token in a message: a space goes after the token's first character
("< |im_start|>"), so the model reads the characters the patient typed, as
characters. Nothing is removed, so fragments nested in one another
("<|im_st<|im_end|>art|>") cannot join into a token, as they did when tokens were
deleted once each; and it repeats until the tokenizer finds none.

The tokenizer is asked where it sees special tokens (offsets), so a token matched
after the tokenizer's own normalisation is found too; a tokenizer without offsets
is searched for the tokens' text. The engine assumes the app has normalised the
text already (chatapp/text_input.py): this module does not know of patients.
"""

from __future__ import annotations

import re
from functools import lru_cache

BREAK = " "
# A space ends every special token seen in practice; a tokenizer whose tokens
# survive it is handled by removing them after this many passes.
PASSES = 4


class SpecialTokens:
    """The special tokens of ``tokenizer``, and text freed of them.

    Attributes:
        ids: every special token id (the tokenizer's special tokens and its added
            tokens marked special, such as SmolLM2's "<file_sep>").
    """

    def __init__(self, tokenizer) -> None:
        self._tokenizer = tokenizer
        added = dict(getattr(tokenizer, "added_tokens_decoder", None) or {})
        special = {i: str(t) for i, t in added.items() if getattr(t, "special", False)}
        for text in getattr(tokenizer, "all_special_tokens", None) or ():
            token_id = tokenizer.convert_tokens_to_ids(text)
            if isinstance(token_id, int) and text:
                special[token_id] = text
        self.ids = frozenset(special)
        texts = sorted({t for t in special.values() if t}, key=len, reverse=True)
        self._literal = re.compile("|".join(map(re.escape, texts))) if texts else None
        self._offsets = True
        self.plain = lru_cache(maxsize=256)(self._plain)  # prompts are re-counted while fitted

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where in ``text`` the tokenizer reads a special token: (start, end) pairs."""
        if not self.ids or not text:
            return []
        if self._offsets:
            try:
                found = self._tokenizer(text, add_special_tokens=False,
                                        return_offsets_mapping=True)
                return [(int(span[0]), int(span[1]))
                        for token_id, span in zip(found["input_ids"], found["offset_mapping"],
                                                  strict=True)
                        if token_id in self.ids]
            except (NotImplementedError, ValueError, TypeError, KeyError):
                self._offsets = False  # a tokenizer without offsets: search the text
        return [m.span() for m in self._literal.finditer(text)] if self._literal else []

    def _plain(self, text: str) -> str:
        """``text`` with every special token broken, so the tokenizer reads none."""
        for _ in range(PASSES):
            spans = self.spans(text)
            if not spans:
                return text
            text = _rewrite(text, spans, _broken)
        # A token a space did not break: take the tokens out, until none is left.
        while spans := self.spans(text):
            shorter = _rewrite(text, spans, lambda _piece: "")
            if len(shorter) >= len(text):
                return ""  # cannot happen with a sane tokenizer; never let a token through
            text = shorter
        return text


def _rewrite(text: str, spans: list[tuple[int, int]], change) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + change(text[start:end]) + text[end:]
    return text


def _broken(piece: str) -> str:
    """A special token's text with a space after its first character (leading
    whitespace a token takes with it stays as it was)."""
    lead = len(piece) - len(piece.lstrip())
    if len(piece) - lead < 2:
        return piece[:lead]  # a one-character token cannot be broken: it goes
    return piece[: lead + 1] + BREAK + piece[lead + 1 :]
