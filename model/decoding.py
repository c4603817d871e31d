"""Turn generated token ids into text as they arrive, one small piece at a time."""

from __future__ import annotations


class IncrementalDecoder:
    """Decode a growing list of token ids into the text each new id adds.

    Decoding ids one by one breaks multi-byte characters and the spaces some
    tokenizers attach to the following word, so each step decodes a short window
    that starts one token back and emits only what grew. Text that ends in an
    unfinished character ("\\ufffd") is held until the next id completes it.
    """

    def __init__(self, tokenizer) -> None:
        self._tokenizer = tokenizer
        self._ids: list[int] = []
        self._prefix = 0
        self._read = 0

    def push(self, token_id: int) -> str:
        self._ids.append(token_id)
        return self._emit(final=False)

    def flush(self) -> str:
        """Whatever is still held back, once generation has ended."""
        return self._emit(final=True)

    def _emit(self, final: bool) -> str:
        decode = self._tokenizer.decode
        before = decode(self._ids[self._prefix : self._read], skip_special_tokens=True)
        after = decode(self._ids[self._prefix :], skip_special_tokens=True)
        if len(after) <= len(before) or (after.endswith("\ufffd") and not final):
            return ""
        self._prefix, self._read = self._read, len(self._ids)
        return after[len(before) :]
