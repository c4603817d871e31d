"""Where a sentence ends, and text streamed through a sentence at a time.

The streaming filters (the dose filter in safety.scope, the repeat guard and the
plain words in turn.filters), the plain-language edits (literacy.plain) and the
prompt's clipped passages (turn.prompts) must cut at the same places, or a
sentence checked one way is shown another.
"""

from __future__ import annotations

import re

# After . ! ? followed by a space or a line end, or after 。！？ or a line break.
SENTENCE_END = re.compile(r"(?<=[.!?])(?=\s)|(?<=[。！？\n])")


class SentenceFilter:
    """Streams text through a sentence at a time; ``check`` keeps, changes or drops each.

    Text is held until its sentence ends, so a dropped sentence is never shown,
    even for a moment.
    """

    def __init__(self) -> None:
        self._pending = ""

    def feed(self, piece: str) -> str:
        self._pending += piece
        parts = SENTENCE_END.split(self._pending)
        self._pending = parts.pop()
        return "".join(self.check(p) for p in parts)

    def flush(self) -> str:
        tail, self._pending = self._pending, ""
        return self.check(tail)

    def check(self, sentence: str) -> str:
        """What to show for ``sentence``: itself, a changed text, or "" to drop it."""
        raise NotImplementedError


class SentenceChecks(SentenceFilter):
    """Several filters' checks on each sentence, in order, with the text split once.

    Filters fed one into the next would each hold a sentence until the space
    after it arrives, which comes only with the next sentence from the filter
    before: every filter in such a chain shows each sentence one sentence later.
    A sentence one check drops is not shown to the next.
    """

    def __init__(self, *filters: SentenceFilter) -> None:
        super().__init__()
        self.filters = filters

    def check(self, sentence: str) -> str:
        for each in self.filters:
            if not sentence:
                break
            sentence = each.check(sentence)
        return sentence
