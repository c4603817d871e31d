from __future__ import annotations

import pytest
from tiny_model import build_tokenizer

from model.decoding import IncrementalDecoder


@pytest.fixture(scope="module")
def tokenizer():
    return build_tokenizer()


@pytest.mark.parametrize(
    "text",
    [
        "High blood pressure means the blood pushes too hard.",
        "Café naïve ☕ — 你好，高血压。",
        "  leading spaces and\nnew lines\n\n",
        "emoji 🫀 and rare ✓ signs",
    ],
)
def test_pieces_join_to_the_full_text(tokenizer, text: str) -> None:
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    decoder = IncrementalDecoder(tokenizer)
    pieces = [decoder.push(i) for i in ids]
    pieces.append(decoder.flush())
    assert "".join(pieces) == tokenizer.decode(ids)
    # An unfinished multi-byte character is held back, never shown broken.
    assert not any("\ufffd" in p for p in pieces)


def test_special_tokens_are_not_shown(tokenizer) -> None:
    decoder = IncrementalDecoder(tokenizer)
    out = decoder.push(tokenizer.convert_tokens_to_ids("<|im_start|>"))
    out += decoder.push(tokenizer("Hello", add_special_tokens=False)["input_ids"][0])
    assert "<|im_start|>" not in out
