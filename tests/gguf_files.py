"""Small GGUF files written on the spot with llama.cpp's own writer (``gguf``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

TEMPLATE = ("{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}"
            "<|im_end|>\n{% endfor %}<|im_start|>assistant\n")


def write_gguf(path: Path, architecture: str = "qwen2", chat_template: str | None = TEMPLATE,
               name: str = "Tiny Test Model", rows: int = 64) -> Path:
    from gguf import GGUFWriter

    writer = GGUFWriter(str(path), architecture)
    writer.add_name(name)
    writer.add_context_length(2048)
    writer.add_block_count(1)
    if chat_template is not None:
        writer.add_chat_template(chat_template)
    rng = np.random.default_rng(0)
    writer.add_tensor("token_embd.weight", rng.standard_normal((rows, 32)).astype(np.float32))
    writer.add_tensor("output_norm.weight", np.ones(32, dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return Path(path)
