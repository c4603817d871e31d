from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from chatapp.config import load_settings
from chatapp.turn.grounding import GROUNDING
from chatapp.worker import SIGNALS, ChatController, ChatSignals, ChatWorker, TurnRequest

TIMEOUT_MS = 60_000


@pytest.fixture
def controller(qtbot, tiny_model_dir: Path, tmp_path: Path):
    ctrl = ChatController(load_settings(tmp_path, str(tiny_model_dir), "cpu"))
    yield ctrl
    ctrl.shutdown()
    assert ctrl.thread.isFinished()


def start_and_wait(qtbot, ctrl):
    with qtbot.waitSignal(ctrl.ready, timeout=TIMEOUT_MS) as ready:
        ctrl.start()
    return ready.args[0]


def test_the_controller_re_emits_every_signal_of_the_worker(qtbot, tmp_path):
    ctrl = ChatController(load_settings(tmp_path, "default", "cpu"))  # never started
    assert isinstance(ctrl, ChatSignals) and isinstance(ctrl.worker, ChatSignals)
    assert len(SIGNALS) == 9
    heard = []
    for name in SIGNALS:
        getattr(ctrl, name).connect(lambda *args, name=name: heard.append((name, args)))
    samples = {"ready": object(), "library_ready": object(), "finished": object(),
               "devices": ["cpu"]}
    for name in SIGNALS:
        getattr(ctrl.worker, name).emit(samples.get(name, name))
    assert heard == [(name, (samples.get(name, name),)) for name in SIGNALS]


def test_loads_in_background_and_reports_status(qtbot, controller, tiny_model_dir):
    statuses: list[str] = []
    controller.status.connect(statuses.append)
    info = start_and_wait(qtbot, controller)
    assert info.name == tiny_model_dir.name
    assert statuses and statuses[-1] == "Ready"


def test_turn_streams_tokens_then_finishes(qtbot, controller):
    start_and_wait(qtbot, controller)
    tokens: list[str] = []
    controller.token.connect(tokens.append)
    with qtbot.waitSignal(controller.finished, timeout=TIMEOUT_MS) as done:
        controller.ask("What is asthma?")
    result = done.args[0]
    assert tokens
    assert result.answer == "".join(tokens).strip()
    assert result.stop_reason in {"eos", "length"}


def test_stop_mid_answer(qtbot, controller):
    start_and_wait(qtbot, controller)
    seen: list[str] = []

    def stop_on_first_token(piece: str) -> None:
        # Runs in the worker thread (direct connection), as a Stop click
        # would land between two tokens.
        seen.append(piece)
        controller.stop()

    controller.worker.token.connect(stop_on_first_token, Qt.ConnectionType.DirectConnection)
    with qtbot.waitSignal(controller.finished, timeout=TIMEOUT_MS) as done:
        controller.ask("Tell me everything about blood pressure.")
    result = done.args[0]
    assert result.stop_reason == "stopped"
    assert len(seen) <= 2  # the token that triggered Stop, and at most a held-back tail


def test_a_new_turn_after_stop_runs_normally(qtbot, controller):
    start_and_wait(qtbot, controller)
    controller.stop()  # a stale Stop must not cancel the next question
    with qtbot.waitSignal(controller.finished, timeout=TIMEOUT_MS) as done:
        controller.ask("What is asthma?")
    assert done.args[0].stop_reason != "stopped"


def test_turn_before_the_model_is_ready_fails_politely(qtbot, tmp_path, tiny_model_dir):
    worker = ChatWorker(load_settings(tmp_path, str(tiny_model_dir), "cpu"))
    with qtbot.waitSignal(worker.failed, timeout=TIMEOUT_MS) as failed:
        worker.run_turn(TurnRequest("Hello?"))  # no model loaded yet
    assert "not ready" in failed.args[0]


def test_load_failure_is_reported_in_plain_words(qtbot, tmp_path):
    ctrl = ChatController(load_settings(tmp_path, str(tmp_path / "missing.gguf"), "cpu"))
    try:
        with qtbot.waitSignal(ctrl.load_failed, timeout=TIMEOUT_MS) as failed:
            ctrl.start()
        assert "missing.gguf" in failed.args[0]
        assert "--model default" in failed.args[0]  # the hint comes along
    finally:
        ctrl.shutdown()


def test_shutdown_during_an_answer_is_clean(qtbot, tmp_path, tiny_model_dir):
    # qt_log_level_fail=WARNING turns "QThread: Destroyed while thread is still
    # running" into a failure, so a sloppy shutdown cannot pass silently.
    ctrl = ChatController(load_settings(tmp_path, str(tiny_model_dir), "cpu"))
    start_and_wait(qtbot, ctrl)
    with qtbot.waitSignal(ctrl.token, timeout=TIMEOUT_MS):
        ctrl.ask("Tell me everything about blood pressure.")
    ctrl.shutdown()
    assert ctrl.thread.isFinished()
    ctrl.shutdown()  # a second call is harmless


def test_turn_is_saved_by_the_workers_own_connection(qtbot, tmp_path, tiny_model_dir):
    from chatapp.storage import StoreLocation, open_store

    location = StoreLocation.in_data_dir(tmp_path)
    ui_store = open_store(location)
    profile = ui_store.create_profile("Ana")
    conversation = ui_store.create_conversation(profile.id)
    ctrl = ChatController(load_settings(tmp_path, str(tiny_model_dir), "cpu"), location)
    try:
        start_and_wait(qtbot, ctrl)
        with qtbot.waitSignal(ctrl.finished, timeout=TIMEOUT_MS) as first:
            ctrl.ask("What is asthma?", conversation.id, max_new_tokens=16)
        with qtbot.waitSignal(ctrl.finished, timeout=TIMEOUT_MS) as second:
            ctrl.ask("And inhalers?", conversation.id, max_new_tokens=16)
    finally:
        ctrl.shutdown()
    saved = ui_store.messages(conversation.id)
    assert [m.content for m in saved] == [
        "What is asthma?", first.args[0].answer, "And inhalers?", second.args[0].answer]
    assert second.args[0].message_id == saved[-1].id
    # The second turn saw the first: the same question in a new conversation has a
    # shorter prompt (same library passages, no history). Short answers leave room
    # for the history in the tiny model's 1,024-token context.
    fresh = ui_store.create_conversation(profile.id)
    ctrl = ChatController(load_settings(tmp_path, str(tiny_model_dir), "cpu"), location)
    try:
        start_and_wait(qtbot, ctrl)
        with qtbot.waitSignal(ctrl.finished, timeout=TIMEOUT_MS) as alone:
            ctrl.ask("And inhalers?", fresh.id, max_new_tokens=16)
    finally:
        ctrl.shutdown()
    assert second.args[0].generation.prompt_tokens > alone.args[0].generation.prompt_tokens + 5
    ui_store.close()


def test_regenerate_leaves_the_last_exchange_out_of_the_prompt() -> None:
    from chatapp.turn import Turn
    from chatapp.worker import _without_last_exchange

    history = [Turn("user", "A?"), Turn("assistant", "a"), Turn("user", "B?"),
               Turn("assistant", "b")]
    assert _without_last_exchange(history, "B?") == history[:2]
    assert _without_last_exchange(history, "C?") == history


# --- the library and reading levels through the worker ----------------------------------

DENSE = ("Hypertension, characterised by persistently elevated arterial pressure, "
         "substantially increases cardiovascular morbidity and necessitates comprehensive "
         "pharmacological management alongside considerable dietary modification.")
SIMPLE = "High blood pressure means your blood pushes too hard. Eat less salt. Walk each day."


def test_a_plain_request_keeps_todays_defaults() -> None:
    request = TurnRequest("What is asthma?", 3)
    assert (request.kind, request.level, request.answer_style) == ("ask", None, None)
    assert (request.target_text, request.checks, request.sources) == ("", (), ())
    assert request.max_new_tokens is None and request.regenerate is False


@pytest.fixture
def scripted_worker(qtbot, tmp_path):
    """A worker whose model is scripted, run in this thread, with its own store."""
    from fake_engine import ScriptedEngine

    from chatapp.knowledge import LibraryIndex
    from chatapp.storage import StoreLocation, open_store
    from chatapp.turn import Assistant

    location = StoreLocation.in_data_dir(tmp_path)
    worker = ChatWorker(load_settings(tmp_path, "default", "cpu"), location)
    worker._open_store()
    engine = ScriptedEngine()
    worker._assistant = Assistant(engine, library=LibraryIndex.load())
    ui_store = open_store(location)
    results, failures, statuses = [], [], []
    worker.finished.connect(results.append)
    worker.failed.connect(failures.append)
    worker.turn_status.connect(statuses.append)
    yield worker, engine, ui_store, results, failures, statuses
    worker.close_store()
    ui_store.close()


def test_the_profiles_level_and_answer_length_reach_the_prompt(scripted_worker) -> None:
    worker, engine, store, results, failures, _ = scripted_worker
    profile = store.create_profile("Ana", literacy_level="advanced", answer_style="more_detail")
    conversation = store.create_conversation(profile.id)
    engine.enqueue(SIMPLE)
    worker.run_turn(TurnRequest("What is asthma?", conversation.id))
    engine.enqueue(SIMPLE)
    worker.run_turn(TurnRequest("What is asthma?", conversation.id, level="standard"))
    assert failures == []
    assert "grade 10" in engine.calls[0][0]["content"]
    assert "asked for more detail" in engine.calls[0][0]["content"]
    assert [r.target_grade for r in results] == [10, 8]  # the request's level wins
    saved = store.messages(conversation.id)
    assert saved[1].sources == results[0].sources and saved[1].sources


def test_a_rewrite_is_announced_and_the_kept_answer_saved(scripted_worker, monkeypatch) -> None:
    # About the rewrite: the scripted answers are not in the library's words, which
    # the off-passage check (tested in test_turn_pipeline.py) would replace.
    monkeypatch.setitem(GROUNDING, "en", replace(GROUNDING["en"], min_share=0.0))
    worker, engine, store, results, _, statuses = scripted_worker
    conversation = store.create_conversation(store.create_profile("Ana").id)
    engine.enqueue(DENSE)
    engine.enqueue(SIMPLE)
    worker.run_turn(TurnRequest("What is high blood pressure?", conversation.id))
    (result,) = results
    assert result.edits.simplified and result.answer == SIMPLE
    assert statuses == ["Making the answer easier to read…"]
    assert store.messages(conversation.id)[1].content == SIMPLE


def test_simpler_finds_the_saved_answers_sources(scripted_worker, monkeypatch) -> None:
    # The model's own answer, kept (else the library's words would be, and "simpler"
    # would swap them for the library's easier text without the model).
    monkeypatch.setitem(GROUNDING, "en", replace(GROUNDING["en"], min_share=0.0))
    worker, engine, store, results, failures, _ = scripted_worker
    conversation = store.create_conversation(
        store.create_profile("Ana", literacy_level="standard").id)
    engine.enqueue(SIMPLE)
    worker.run_turn(TurnRequest("What is high blood pressure?", conversation.id))
    first = results[0]
    engine.enqueue("Your blood pushes too hard. Eat less salt.")
    worker.run_turn(TurnRequest("Explain it simpler", conversation.id, kind="simpler",
                                target_text=first.answer))
    assert failures == []
    simpler = results[1]
    assert simpler.kind == "simpler" and simpler.level == "basic"  # one under standard
    assert simpler.sources == first.sources and simpler.sources
    assert len(engine.calls[1]) == 2  # no history: just the rewrite
    saved = store.messages(conversation.id)
    assert [m.content for m in saved][2:] == ["Explain it simpler", simpler.answer]


def test_teach_back_then_feedback_through_the_worker(scripted_worker) -> None:
    worker, engine, store, results, failures, _ = scripted_worker
    conversation = store.create_conversation(store.create_profile("Ana").id)
    engine.enqueue(SIMPLE)
    worker.run_turn(TurnRequest("What is high blood pressure?", conversation.id))
    worker.run_turn(TurnRequest("Check my understanding", conversation.id, kind="teach_back",
                                target_text=results[0].answer))
    teach = results[1]
    assert teach.checks and all(c["answer"] for c in teach.checks)  # the article's own
    assert len(engine.calls) == 1
    engine.enqueue("Thank you! That is right.")
    worker.run_turn(TurnRequest("You cannot feel it", conversation.id, kind="feedback",
                                target_text=teach.checks[0]["question"],
                                checks=teach.checks[:1]))
    assert failures == []
    assert teach.checks[0]["answer"] in engine.calls[1][-1]["content"]
    assert results[2].kind == "feedback"
    assert len(store.messages(conversation.id)) == 6


def test_library_is_ready_before_the_model(qtbot, controller) -> None:
    order: list[str] = []
    controller.library_ready.connect(lambda index: order.append("library"))
    controller.ready.connect(lambda info: order.append("model"))
    with qtbot.waitSignal(controller.library_ready, timeout=TIMEOUT_MS) as library:
        start_and_wait(qtbot, controller)
    assert order == ["library", "model"]
    assert library.args[0].search("What is asthma?", "en")[0].article_id == "asthma-and-inhalers"


def test_a_library_that_cannot_load_leaves_the_model_working(qtbot, controller,
                                                            monkeypatch) -> None:
    import chatapp.worker

    def broken(settings):
        raise OSError("disk on fire")

    monkeypatch.setattr(chatapp.worker, "open_library", broken)
    statuses: list[str] = []
    controller.status.connect(statuses.append)
    start_and_wait(qtbot, controller)
    assert any("health library could not be loaded" in s for s in statuses)
    with qtbot.waitSignal(controller.finished, timeout=TIMEOUT_MS) as done:
        controller.ask("What is asthma?")
    assert done.args[0].sources == ()
