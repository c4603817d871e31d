"""De-quantize a GGUF file one tensor at a time, straight into a safetensors file.

transformers' GGUF loader builds the whole float32 model in memory, with copies
on the way: 5.1 GiB at the peak for a 0.5B file, 13.7 GiB for a 1.5B one
(benchmarks/RESULTS.md). For the families CareChat's own loop runs, this writes
the same float32 tensors under the same names (tested equal to transformers'
for the built-in model), holding one tensor at a time: the first start needs
about the largest tensor's float32 size, not the model's.
"""

from __future__ import annotations

import json
import math
import re
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# GGUF architectures whose tensors map one to one onto transformers' names.
# (llama.cpp writes Mistral models as "llama" too.)
ARCHITECTURES = frozenset({"llama", "qwen2", "qwen3"})
# llama.cpp permutes the query and key rows of these for its rotary layout.
PERMUTED = frozenset({"llama"})

_TOP = {
    "token_embd.weight": "model.embed_tokens.weight",
    "output_norm.weight": "model.norm.weight",
    "output.weight": "lm_head.weight",
}
_LAYER = {
    "attn_norm": "input_layernorm",
    "ffn_norm": "post_attention_layernorm",
    "attn_q": "self_attn.q_proj",
    "attn_k": "self_attn.k_proj",
    "attn_v": "self_attn.v_proj",
    "attn_output": "self_attn.o_proj",
    "attn_q_norm": "self_attn.q_norm",
    "attn_k_norm": "self_attn.k_norm",
    "ffn_gate": "mlp.gate_proj",
    "ffn_up": "mlp.up_proj",
    "ffn_down": "mlp.down_proj",
}
_BLOCK = re.compile(r"blk\.(\d+)\.(\w+)\.(weight|bias)$")


def hf_name(gguf_name: str) -> str | None:
    """transformers' name for a GGUF tensor, or None for one this module does not know."""
    if gguf_name in _TOP:
        return _TOP[gguf_name]
    match = _BLOCK.fullmatch(gguf_name)
    if match is None or match.group(2) not in _LAYER:
        return None
    index, part, kind = match.groups()
    return f"model.layers.{index}.{_LAYER[part]}.{kind}"


@dataclass(frozen=True)
class Plan:
    """What ``write`` will do with one GGUF file."""

    architecture: str
    tensors: tuple  # (transformers' name, GGUF reader tensor, shape), in file order
    heads: int
    kv_heads: int


def plan(path: Path) -> Plan | None:
    """The plan for ``path``, or None where this module cannot convert it (another
    architecture, a tensor it does not know, a file the reader rejects): the caller
    then converts through transformers as before."""
    from gguf import GGUFReader

    try:
        reader = GGUFReader(str(path))
        architecture = str(reader.fields["general.architecture"].contents())
        heads = int(reader.fields[f"{architecture}.attention.head_count"].contents())
        kv_field = reader.fields.get(f"{architecture}.attention.head_count_kv")
        kv_heads = int(kv_field.contents()) if kv_field is not None else heads
    except (ValueError, KeyError, IndexError, TypeError, OSError, struct.error):
        return None
    if architecture not in ARCHITECTURES:
        return None
    tensors = []
    for tensor in reader.tensors:
        name = hf_name(tensor.name)
        if name is None:
            return None
        shape = tuple(int(d) for d in reversed(tensor.shape.tolist()))  # GGUF lists ne0 first
        tensors.append((name, tensor, shape))
    return Plan(architecture, tuple(tensors), heads, kv_heads)


def write(job: Plan, out_file: Path) -> None:
    """Write every tensor of ``job`` as float32 into the safetensors file ``out_file``."""
    from gguf.quants import dequantize

    header: dict = {"__metadata__": {"format": "pt"}}
    offset = 0
    for name, _, shape in job.tensors:
        size = math.prod(shape) * 4
        header[name] = {"dtype": "F32", "shape": list(shape),
                        "data_offsets": [offset, offset + size]}
        offset += size
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)  # the data starts 8-byte aligned
    with out_file.open("wb") as fh:
        fh.write(struct.pack("<Q", len(encoded)))
        fh.write(encoded)
        for name, tensor, shape in job.tensors:
            values = np.asarray(dequantize(tensor.data, tensor.tensor_type), dtype=np.float32)
            values = values.reshape(shape)
            if job.architecture in PERMUTED:
                if name.endswith("self_attn.q_proj.weight"):
                    values = unpermute(values, job.heads)
                elif name.endswith("self_attn.k_proj.weight"):
                    values = unpermute(values, job.kv_heads)
            fh.write(np.ascontiguousarray(values).data)


def unpermute(weight: np.ndarray, heads: int) -> np.ndarray:
    """Undo llama.cpp's reordering of a query or key matrix's rows (each head's two
    rotary halves interleaved), as transformers' GGUF loader does."""
    half = weight.shape[0] // heads // 2
    return weight.reshape(heads, half, 2, *weight.shape[1:]).swapaxes(1, 2).reshape(weight.shape)
