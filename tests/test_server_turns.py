"""The same turns on both engines: the built-in model in this process, and the same
GGUF behind llama.cpp's OpenAI-compatible server. Then every server fault through
a whole turn: what was written is kept and marked, the library's text follows,
and nothing saved is lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from llama_server import API_KEY, MODEL_NAME

from chatapp.config import load_settings
from chatapp.engines import open_engine
from chatapp.knowledge import LibraryIndex
from chatapp.server_settings import ServerChoice, save_key
from chatapp.storage import StoreLocation, TurnLog, open_store
from chatapp.turn import Assistant, turn_texts
from chatapp.vocabulary import StopReason
from model.server import ServerConfig, connect

pytestmark = [pytest.mark.server, pytest.mark.real_model]
REPO = Path(__file__).resolve().parents[1]
QUESTION = "What is high blood pressure?"


@pytest.fixture(scope="module")
def library() -> LibraryIndex:
    return LibraryIndex.load()


@pytest.fixture(params=["local", "server"])
def engine(request, default_model_loads):
    """The built-in model, in this process or behind llama.cpp's server."""
    if request.param == "local":
        return default_model_loads[1]
    return request.getfixturevalue("server_engine")


@pytest.fixture
def saved(tmp_path):
    store = open_store(StoreLocation.in_data_dir(tmp_path))
    conversation = store.create_conversation(store.create_profile("Ana").id)
    yield store, conversation.id
    store.close()


def requests_made(engine, fault_proxy) -> int:
    return fault_proxy.requests if engine.info.device == "server" else -1


# --- the same pipeline on both engines ------------------------------------------


def test_a_grounded_answer_is_cited_scored_and_saved(engine, library, saved):
    store, conversation_id = saved
    shown: list[str] = []
    result = Assistant(engine, library=library, max_new_tokens=64).answer(
        QUESTION, on_token=shown.append, log=TurnLog(store, conversation_id))
    assert result.sources[0]["id"] == "high-blood-pressure"
    assert result.generation.model == engine.info.name
    assert isinstance(result.readability["fk_grade"], float) and result.target_grade == 6
    if not result.replaces_stream:
        assert "".join(shown).strip() == result.answer
    _, answer = store.messages(conversation_id)
    assert (answer.content, answer.sources, answer.status) == (
        result.answer, result.sources, "complete")


def test_an_emergency_never_reaches_the_model(engine, library, request):
    result = Assistant(engine, library=library).answer("I have crushing chest pain right now")
    assert result.emergency is not None and result.stop_reason == StopReason.RULES
    if engine.info.device == "server":
        assert request.getfixturevalue("fault_proxy").requests == 0


def test_a_question_the_library_does_not_cover_gets_the_fixed_answer(engine, library, request):
    result = Assistant(engine, library=library).answer("How do I fix my car's gearbox?")
    assert result.stop_reason == StopReason.NOT_COVERED
    if engine.info.device == "server":
        assert request.getfixturevalue("fault_proxy").requests == 0


def test_stop_mid_answer_saves_what_was_written_as_cancelled(engine, library, saved):
    store, conversation_id = saved
    stop = threading.Event()
    pieces: list[str] = []

    def on_token(piece: str) -> None:
        pieces.append(piece)
        if len(pieces) == 3:
            stop.set()

    result = Assistant(engine, library=library, max_new_tokens=128).answer(
        QUESTION, on_token=on_token, stop_event=stop, log=TurnLog(store, conversation_id))
    assert result.stopped
    question, answer = store.messages(conversation_id)
    assert question.content == QUESTION
    assert answer.status == "cancelled" and answer.content == result.answer
    assert result.answer and result.answer in "".join(pieces)


def test_both_engines_write_the_same_kind_of_answer(default_model_loads, server_engine):
    # Not the same text: llama.cpp and CareChat's 4-bit loop round differently.
    # Both must read the passages and stay on them.
    local = Assistant(default_model_loads[1], library=LibraryIndex.load(), max_new_tokens=48)
    remote = Assistant(server_engine, library=LibraryIndex.load(), max_new_tokens=48)
    for assistant in (local, remote):
        result = assistant.answer(QUESTION)
        assert result.sources and "blood" in result.answer.lower()


# --- faults in the middle of a turn ---------------------------------------------


@pytest.mark.parametrize("fault", ["drop", "garbled", "slow"])
def test_a_fault_after_some_text_keeps_it_marked_and_gives_the_library(
        server_config, fault_proxy, library, saved, fault):
    store, conversation_id = saved
    # The timeout is well above llama.cpp's time to its first piece here, the
    # "slow" fault's pause well above the timeout.
    fault_proxy.fault, fault_proxy.after, fault_proxy.delay_s = fault, 4, 16.0
    engine = connect(ServerConfig(server_config.url, api_key=API_KEY, token_timeout_s=8.0))
    shown: list[str] = []
    result = Assistant(engine, library=library, max_new_tokens=128).answer(
        QUESTION, on_token=shown.append, log=TurnLog(store, conversation_id))
    texts = turn_texts("en")
    assert result.stop_reason == StopReason.SERVER_FAULT and result.fault
    partial, marker, rest = result.answer.partition(texts.server_cut)
    assert partial.strip() and marker  # the model's words stay, marked as cut off
    assert rest.strip().startswith(texts.server_library)
    assert result.sources[0]["id"] == "high-blood-pressure"
    assert "".join(shown).strip() == result.answer  # nothing shown is taken back
    question, answer = store.messages(conversation_id)
    assert question.content == QUESTION
    assert (answer.content, answer.status) == (result.answer, "complete")


@pytest.mark.parametrize("status, words", [(500, "internal error"), (429, "busy")])
def test_a_fault_before_any_text_gives_the_library_alone(
        server_engine, fault_proxy, library, saved, status, words):
    store, conversation_id = saved
    fault_proxy.fault, fault_proxy.status = "status", status
    result = Assistant(server_engine, library=library).answer(
        QUESTION, log=TurnLog(store, conversation_id))
    assert words in result.fault
    assert result.answer.startswith(turn_texts("en").server_library)
    assert turn_texts("en").server_cut not in result.answer
    _, answer = store.messages(conversation_id)
    assert answer.content == result.answer


def test_a_chinese_question_gets_the_chinese_fault_text(server_engine, fault_proxy, library):
    fault_proxy.fault = "status"
    result = Assistant(server_engine, library=library).answer("高血压是什么？")
    assert result.answer.startswith(turn_texts("zh").server_library)


# --- the command line -------------------------------------------------------------


def carechat(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("CARECHAT_") or k == "CARECHAT_CACHE_DIR"}
    return subprocess.run([sys.executable, "-m", "chatapp", "--data-dir", str(data_dir), *args],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)


def test_cli_ask_through_the_server(fault_proxy, tmp_path):
    save_key(tmp_path, API_KEY)  # server.key in the data folder, found without a flag
    done = carechat("--server", fault_proxy.url, "ask", "--json", "--max-tokens", "32",
                    QUESTION, data_dir=tmp_path)
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert (payload["model"], payload["device"]) == (MODEL_NAME, "server")
    assert payload["sources"][0]["id"] == "high-blood-pressure"
    assert fault_proxy.requests == 1


def test_cli_says_when_the_server_cannot_be_reached(tmp_path):
    done = carechat("--server", "http://127.0.0.1:9", "ask", QUESTION, data_dir=tmp_path)
    assert done.returncode == 1
    assert "could not reach the clinic's server at http://127.0.0.1:9/v1" in done.stderr


def test_cli_falls_back_to_this_computer_s_model_when_asked(default_model_loads, tmp_path):
    done = carechat("--server", "http://127.0.0.1:9", "--server-fallback", "ask", "--json",
                    "--max-tokens", "16", QUESTION, data_dir=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["model"] == "SmolLM2-135M-Instruct"
    assert "answers are written by the model on this computer" in done.stderr


def test_cli_reports_a_fault_mid_answer_and_keeps_the_library_text(fault_proxy, tmp_path):
    fault_proxy.fault = "status"
    done = carechat("--server", fault_proxy.url, "--server-key-file",
                    str(_key_file(tmp_path)), "ask", "--json", QUESTION, data_dir=tmp_path)
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["stop_reason"] == "server_fault" and "internal error" in payload["fault"]
    assert "internal error" in done.stderr
    assert API_KEY not in done.stdout + done.stderr


def _key_file(folder: Path) -> Path:
    path = folder / "clinic.key"
    path.write_text(API_KEY + "\n")
    return path


def test_open_engine_warns_about_plain_http_across_the_internet(monkeypatch, tmp_path):
    import chatapp.engines as engines
    import model.server

    seen = {}

    def fake_connect(config, progress=None):  # only the URL check is under test here
        seen["url"] = config.url
        return connect_stub(config)

    monkeypatch.setattr(model.server, "connect", fake_connect)
    settings = load_settings(tmp_path, server=ServerChoice("http://ai.example.com:8000"))
    engine = engines.open_engine(settings)
    assert seen["url"] == "http://ai.example.com:8000"
    assert "not encrypted" in engine.info.notice


def connect_stub(config):
    from model.engine import ModelInfo
    from model.server import ServerEngine

    info = ModelInfo("m", "server", "-", config.base_url, 4096, "server", 0.0, weights="server")
    return ServerEngine(None, info, config)


def test_open_engine_without_a_server_never_connects(monkeypatch, tmp_path, tiny_model_dir):
    import model.server

    monkeypatch.setattr(model.server, "connect", lambda *a, **k: pytest.fail("connected"))
    engine = open_engine(load_settings(tmp_path, str(tiny_model_dir), "cpu"))
    assert engine.info.device == "cpu"


def test_no_server_is_configured_by_default(tmp_path):
    assert load_settings(tmp_path).server is None
    assert load_settings(tmp_path, env={}).server is None


def test_the_key_comes_from_its_file_and_stays_private(tmp_path):
    path = save_key(tmp_path, API_KEY)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    settings = load_settings(tmp_path, server=ServerChoice("http://127.0.0.1:1"))
    assert settings.server.api_key == API_KEY
    assert API_KEY not in repr(settings)
