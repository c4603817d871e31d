from __future__ import annotations

import threading

import pytest
import torch
from transformers import LlamaConfig, MistralConfig

import model
from model import runner as runner_module
from model.loader import load_folder
from model.runner import LlamaRunner, ModelWeights, unsupported_reason

QUESTION = [{"role": "user", "content": "What is asthma?"}]
FOLLOW_UP = [
    *QUESTION,
    {"role": "assistant", "content": "Asthma makes the airways narrow."},
    {"role": "user", "content": "Can an inhaler help?"},
]


@pytest.fixture(scope="module")
def reference(tiny_model_dir):
    return load_folder(tiny_model_dir)


@pytest.fixture
def fresh(reference):
    """A float32 runner on the tiny model, with an empty cache."""
    hf_model, _ = reference
    return LlamaRunner(hf_model.config, ModelWeights(hf_model), "float32")


def ids_of(reference, messages) -> list[int]:
    _, tokenizer = reference
    text = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
    return tokenizer(text, add_special_tokens=False)["input_ids"]


@pytest.mark.parametrize(
    "config, reason",
    [
        (LlamaConfig(), ""),
        (MistralConfig(sliding_window=4096), "sliding-window attention"),
        (MistralConfig(sliding_window=None), ""),
        (LlamaConfig(rope_parameters={"rope_type": "dynamic", "factor": 2.0,
                                      "rope_theta": 10000.0}), "change with the length"),
        (LlamaConfig(hidden_act="gelu"), "SiLU"),
    ],
)
def test_unsupported_reason(config, reason) -> None:
    found = unsupported_reason(config)
    assert (reason in found) if reason else found == ""


def test_unsupported_families_use_transformers() -> None:
    from transformers import GPT2Config

    assert "gpt2" in unsupported_reason(GPT2Config())


def test_float32_logits_match_transformers(reference, fresh) -> None:
    hf_model, _ = reference
    ids = ids_of(reference, QUESTION)
    with torch.inference_mode():
        expected = hf_model(input_ids=torch.tensor([ids + [7]])).logits[0]
    torch.testing.assert_close(fresh.prefill(ids), expected[-2], rtol=1e-5, atol=1e-5)
    # One more token through the cache gives the same as the whole sequence at once.
    torch.testing.assert_close(fresh.forward([7]), expected[-1], rtol=1e-5, atol=1e-5)
    assert fresh.cached == ids + [7]


def test_token_by_token_decoding_matches_transformers(reference, fresh) -> None:
    hf_model, _ = reference
    ids = ids_of(reference, QUESTION)
    answer = [7, 11, 13, 17, 19]
    with torch.inference_mode():
        expected = hf_model(input_ids=torch.tensor([ids + answer])).logits[0, len(ids):]
    fresh.prefill(ids)
    # Each decode step takes the one-token path; it adds up to the whole sequence at once.
    got = torch.stack([fresh.forward([token]) for token in answer])
    torch.testing.assert_close(got, expected, rtol=1e-5, atol=1e-5)


def test_a_shared_prefix_is_reused(reference, fresh) -> None:
    first, second = ids_of(reference, QUESTION), ids_of(reference, FOLLOW_UP)
    shared = 0
    while shared < min(len(first), len(second)) and first[shared] == second[shared]:
        shared += 1
    assert shared > 0
    fresh.prefill(first)
    assert fresh.reusable(second) == shared
    reused = fresh.prefill(second)
    assert fresh.reused == shared
    whole = LlamaRunner(reference[0].config, ModelWeights(reference[0]), "float32")
    torch.testing.assert_close(reused, whole.prefill(second), rtol=1e-4, atol=1e-5)


def test_the_same_prompt_again_costs_no_forward_pass(reference, fresh, monkeypatch) -> None:
    ids = ids_of(reference, QUESTION)
    first = fresh.prefill(ids)
    fresh.forward([int(first.argmax())])  # the answer's first token goes in after it
    calls = []
    monkeypatch.setattr(fresh, "forward", lambda new: calls.append(new))
    assert fresh.reusable(ids) == len(ids)
    assert torch.equal(fresh.prefill(ids), first)
    assert calls == [] and fresh.cached == ids and fresh.reused == len(ids)


def test_cache_grows_past_its_first_size(reference, monkeypatch) -> None:
    monkeypatch.setattr(runner_module, "CACHE_STEP", 8)
    hf_model, _ = reference
    small = LlamaRunner(hf_model.config, ModelWeights(hf_model), "float32")
    ids = ids_of(reference, FOLLOW_UP)
    logits = small.prefill(ids[:5])
    assert small.capacity == 8
    logits = small.forward(ids[5:])
    assert small.capacity >= len(ids) and small.capacity % 8 == 0
    with torch.inference_mode():
        expected = hf_model(input_ids=torch.tensor([ids])).logits[0, -1]
    torch.testing.assert_close(logits, expected, rtol=1e-4, atol=1e-5)


def test_quantized_formats_stay_close_to_float32(reference, fresh) -> None:
    hf_model, _ = reference
    ids = ids_of(reference, QUESTION)
    expected = fresh.prefill(ids)
    for fmt in ("float16", "int4"):
        quantized = LlamaRunner(hf_model.config, ModelWeights(hf_model), fmt)
        got = quantized.prefill(ids)
        # A random tiny model is not Q4_1-shaped: only a loose bound is meaningful.
        assert (got - expected).abs().max() < 0.1 * expected.abs().max() + 0.05, fmt


# --- through the engine -------------------------------------------------------------


@pytest.fixture
def engine(tiny_model_dir):
    return model.load(str(tiny_model_dir), device="cpu", weights="float32")


def test_second_turn_reuses_the_first(engine) -> None:
    first = engine.stream(QUESTION, max_new_tokens=6)
    list(first)
    assert first.stats.reused_tokens == 0
    follow = engine.stream(FOLLOW_UP, max_new_tokens=6)
    list(follow)
    assert 0 < follow.stats.reused_tokens < follow.stats.prompt_tokens


def test_prepare_reads_the_prompt_ahead(engine) -> None:
    kept = engine.prepare(QUESTION)
    assert kept == engine.count_tokens(QUESTION)
    stream = engine.stream(QUESTION, max_new_tokens=4)
    text = "".join(stream)
    assert stream.stats.reused_tokens == kept
    # Reading ahead changes nothing in the answer.
    cold = model.load(str(engine.info.source), device="cpu", weights="float32")
    assert "".join(cold.stream(QUESTION, max_new_tokens=4)) == text


def test_prepare_keeps_nothing_through_transformers(tiny_model_dir) -> None:
    engine = model.load(str(tiny_model_dir), device="cpu", weights="transformers")
    assert engine.prepare(QUESTION) == 0


def test_a_newer_stream_ends_the_older_one(engine) -> None:
    older = engine.stream(QUESTION, max_new_tokens=50, stop_event=threading.Event())
    next(older)
    newer = engine.stream(FOLLOW_UP, max_new_tokens=5)
    list(newer)
    list(older)
    assert older.stats.stop_reason == "stopped"
    assert newer.stats.stop_reason in {"eos", "length"}


# --- Qwen3: the same loop, with each head's query and key normalised ------------------


@pytest.fixture(scope="module")
def qwen3():
    from transformers import Qwen3Config, Qwen3ForCausalLM

    torch.manual_seed(0)
    config = Qwen3Config(vocab_size=96, hidden_size=64, intermediate_size=128,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                         head_dim=32, max_position_embeddings=256, tie_word_embeddings=True)
    hf_model = Qwen3ForCausalLM(config).eval()
    with torch.no_grad():  # random norms, so a runner that skipped them would differ
        for layer in hf_model.model.layers:
            layer.self_attn.q_norm.weight.uniform_(0.5, 1.5)
            layer.self_attn.k_norm.weight.uniform_(0.5, 1.5)
    return hf_model


def test_qwen3_is_supported_and_matches_transformers(qwen3) -> None:
    assert unsupported_reason(qwen3.config) == ""
    ids, answer = [1, 5, 9, 33, 2, 70], [7, 11, 13]
    with torch.inference_mode():
        expected = qwen3(input_ids=torch.tensor([ids + answer])).logits[0]
    runner = LlamaRunner(qwen3.config, ModelWeights(qwen3), "float32")
    torch.testing.assert_close(runner.prefill(ids), expected[len(ids) - 1],
                               rtol=1e-5, atol=1e-5)
    got = torch.stack([runner.forward([token]) for token in answer])
    torch.testing.assert_close(got[:-1], expected[len(ids):-1], rtol=1e-5, atol=1e-5)
    # A batch of new tokens after a cached prefix takes the other path: same scores.
    again = LlamaRunner(qwen3.config, ModelWeights(qwen3), "float32")
    again.prefill(ids[:3])
    torch.testing.assert_close(again.forward(ids[3:] + answer), expected[-1],
                               rtol=1e-5, atol=1e-5)


# --- scoring a given answer (the grounding check's passage gain) -----------------------


def test_continuation_logprobs_match_transformers(reference, fresh) -> None:
    hf_model, _ = reference
    prompt = ids_of(reference, QUESTION)
    answer = [11, 57, 300, 4, 99, 7]
    ours = fresh.continuation_logprobs(prompt, answer)
    with torch.inference_mode():
        logits = hf_model(torch.tensor([prompt + answer[:-1]])).logits[0, len(prompt) - 1:]
    expected = logits.log_softmax(-1).gather(1, torch.tensor(answer)[:, None])[:, 0]
    assert torch.allclose(torch.tensor(ours), expected, atol=1e-4)
    # The cache keeps the prompt for the next question, as a prefill would.
    assert fresh.cached == prompt + answer[:-1]
    assert fresh.reusable(prompt + [5]) == len(prompt)


@pytest.mark.parametrize("weights", ["float32", "int4", "transformers"])
def test_an_answer_scores_as_it_was_written(tiny_model_dir, weights) -> None:
    """The log-probabilities the stream reports for its own tokens are the ones the
    engine gives when asked to score that answer afterwards."""
    engine = model.load(str(tiny_model_dir), device="cpu", weights=weights)
    stream = engine.stream(QUESTION, max_new_tokens=8)
    list(stream)
    stats = stream.stats
    assert len(stats.token_ids) == len(stats.logprobs) == stats.tokens > 0
    assert all(lp <= 0 for lp in stats.logprobs)
    again = engine.answer_logprobs(QUESTION, stats.token_ids)
    assert again == pytest.approx(list(stats.logprobs), abs=0.05)
    assert engine.answer_logprobs(QUESTION, []) == []


def test_scoring_out_of_memory_gives_no_score(engine, monkeypatch) -> None:
    def out_of_memory(*_):
        raise MemoryError

    monkeypatch.setattr(engine._backend, "continuation_logprobs", out_of_memory)
    assert engine.answer_logprobs(QUESTION, [5, 6]) is None
