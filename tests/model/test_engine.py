from __future__ import annotations

import threading

import pytest
import torch
from tiny_model import CONTEXT_LENGTH

import model
from model import engine as engine_module
from model.engine import sample

QUESTION = [{"role": "user", "content": "What is asthma?"}]


def test_info_describes_the_loaded_model(tiny_engine, tiny_model_dir) -> None:
    info = tiny_engine.info
    assert info.name == tiny_model_dir.name
    assert info.device == "cpu"
    assert info.dtype == "float32"
    assert info.loaded_from == "folder"
    assert info.context_length == CONTEXT_LENGTH
    assert info.load_ms > 0


def test_prompt_uses_the_models_chat_template(tiny_engine) -> None:
    ids = tiny_engine.prompt_ids([{"role": "system", "content": "Be kind."}, *QUESTION])
    text = tiny_engine.tokenizer.decode(ids)
    assert text == (
        "<|im_start|>system\nBe kind.<|im_end|>\n"
        "<|im_start|>user\nWhat is asthma?<|im_end|>\n<|im_start|>assistant\n"
    )


def test_stream_yields_text_and_stats(tiny_engine) -> None:
    stream = tiny_engine.stream(QUESTION, max_new_tokens=12)
    assert stream.stats is None  # nothing has run yet
    pieces = list(stream)
    stats = stream.stats
    assert stats is not None
    assert all(isinstance(p, str) and p for p in pieces)
    assert 1 <= stats.tokens <= 12
    assert stats.stop_reason in {"eos", "length"}
    assert stats.prompt_tokens == tiny_engine.count_tokens(QUESTION)
    assert stats.ttft_ms > 0 and stats.total_ms >= stats.ttft_ms
    assert stats.tokens_per_s > 0


@pytest.fixture(scope="module")
def reference_model(tiny_model_dir):
    from model.loader import load_folder

    return load_folder(tiny_model_dir)[0]


def generate_reference(reference_model, engine, messages, max_new_tokens: int) -> str:
    ids = torch.tensor([engine.prompt_ids(messages)])
    with torch.inference_mode():
        out = reference_model.generate(
            ids, max_new_tokens=max_new_tokens, do_sample=False,
            eos_token_id=engine.tokenizer.eos_token_id,
        )
    return engine.tokenizer.decode(out[0, ids.shape[1] :], skip_special_tokens=True)


@pytest.mark.parametrize("weights", ["float32", "transformers"])
def test_greedy_matches_transformers_generate(tiny_model_dir, reference_model, weights) -> None:
    # Our own loop (float32) and transformers' forward must both produce exactly
    # what transformers' own generate() produces.
    engine = model.load(str(tiny_model_dir), device="cpu", weights=weights)
    assert engine.info.weights == weights
    first = "".join(engine.stream(QUESTION, max_new_tokens=16))
    assert first == generate_reference(reference_model, engine, QUESTION, 16)


def test_greedy_is_deterministic(tiny_engine) -> None:
    first = "".join(tiny_engine.stream(QUESTION, max_new_tokens=16))
    second = "".join(tiny_engine.stream(QUESTION, max_new_tokens=16))
    assert first == second


def test_stop_before_start_generates_nothing(tiny_engine) -> None:
    stop = threading.Event()
    stop.set()
    stream = tiny_engine.stream(QUESTION, max_new_tokens=50, stop_event=stop)
    assert list(stream) == []
    assert stream.stats.tokens == 0
    assert stream.stats.stop_reason == "stopped"


@pytest.fixture(params=["own loop", "transformers"])
def any_engine(request, tiny_engine, tiny_model_dir):
    if request.param == "own loop":
        return tiny_engine
    return model.load(str(tiny_model_dir), device="cpu", weights="transformers")


def patch_forward(monkeypatch, engine, replacement_factory) -> None:
    """Replace the forward pass of one token, whichever backend the engine has."""
    backend = engine._backend
    if isinstance(backend, engine_module.TransformersBackend):
        monkeypatch.setattr(engine_module, "decode_one",
                            replacement_factory(engine_module.decode_one))
    else:
        monkeypatch.setattr(backend, "forward", replacement_factory(backend.forward))


def test_stop_mid_answer_ends_within_one_token(any_engine, monkeypatch) -> None:
    tiny_engine = any_engine
    calls = {"decode": 0}

    def counting(real):
        def counted(*args, **kwargs):
            calls["decode"] += 1
            return real(*args, **kwargs)
        return counted

    patch_forward(monkeypatch, tiny_engine, counting)
    stop = threading.Event()
    stream = tiny_engine.stream(QUESTION, max_new_tokens=200, stop_event=stop)
    next(stream)
    next(stream)  # a second piece needs at least one forward pass
    stop.set()
    decodes_at_stop = calls["decode"]
    rest = list(stream)
    assert decodes_at_stop >= 1  # the counter does see the forward passes
    assert calls["decode"] == decodes_at_stop  # not one more forward pass
    assert len(rest) <= 1  # at most the text already decoded but held back
    assert stream.stats.stop_reason == "stopped"
    assert stream.stats.tokens < 200


def test_answer_length_is_capped_by_the_context(tiny_engine) -> None:
    stream = tiny_engine.stream(QUESTION, max_new_tokens=10_000)
    list(stream)
    assert stream.stats.prompt_tokens + stream.stats.tokens <= tiny_engine.info.context_length


def test_prompt_longer_than_context_is_a_clear_error(tiny_engine) -> None:
    long = [{"role": "user", "content": "blood pressure " * 2000}]
    with pytest.raises(model.PromptTooLongError) as err:
        tiny_engine.stream(long)
    assert "new conversation" in err.value.hint


def test_out_of_memory_while_generating_is_typed(any_engine, monkeypatch) -> None:
    def no_memory(real):
        def fail(*args, **kwargs):
            raise torch.OutOfMemoryError("CUDA out of memory")
        return fail

    patch_forward(monkeypatch, any_engine, no_memory)
    with pytest.raises(model.ModelOutOfMemoryError) as err:
        list(any_engine.stream(QUESTION, max_new_tokens=5))
    assert "shorter question" in err.value.hint
    monkeypatch.undo()
    # The engine still answers afterwards: nothing half-written is reused.
    assert list(any_engine.stream(QUESTION, max_new_tokens=3)) is not None


def test_sampling_with_a_seed_is_reproducible(tiny_engine) -> None:
    a = "".join(tiny_engine.stream(QUESTION, max_new_tokens=12, temperature=0.8, seed=7))
    b = "".join(tiny_engine.stream(QUESTION, max_new_tokens=12, temperature=0.8, seed=7))
    assert a == b


@pytest.mark.parametrize(
    "logits, temperature, top_p, expected",
    [
        ([0.0, 5.0, 1.0], 0.0, 1.0, 1),  # greedy
        ([10.0, 0.0, 0.0], 1.0, 0.5, 0),  # nucleus keeps only the dominant token
        ([0.0, 0.0, 12.0], 0.7, 0.9, 2),
    ],
)
def test_sample(logits, temperature, top_p, expected) -> None:
    generator = torch.Generator().manual_seed(0)
    for _ in range(20):
        assert sample(torch.tensor(logits), temperature, top_p, generator) == expected


def test_prompt_turns_qwen3_thinking_off(tiny_model_copy) -> None:
    import model

    engine = model.load(str(tiny_model_copy), device="cpu")
    # The switch as Qwen3's own template reads it.
    engine.tokenizer.chat_template = (
        "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n"
        "{% endfor %}<|im_start|>assistant\n"
        "{% if enable_thinking is defined and enable_thinking is false %}"
        "<think>\n\n</think>\n\n{% endif %}"
    )
    text = engine.tokenizer.decode(engine.prompt_ids(QUESTION))
    assert text.endswith("<|im_start|>assistant\n<think>\n\n</think>\n\n")
