from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from chatapp.config import load_settings
from chatapp.worker import ChatController, ChatWorker, TurnRequest

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
            ctrl.ask("What is asthma?", conversation.id)
        with qtbot.waitSignal(ctrl.finished, timeout=TIMEOUT_MS) as second:
            ctrl.ask("And inhalers?", conversation.id)
    finally:
        ctrl.shutdown()
    saved = ui_store.messages(conversation.id)
    assert [m.content for m in saved] == [
        "What is asthma?", first.args[0].answer, "And inhalers?", second.args[0].answer]
    assert second.args[0].message_id == saved[-1].id
    # The second turn saw the first: its prompt carried the saved history.
    assert second.args[0].prompt_tokens > first.args[0].prompt_tokens + 5
    ui_store.close()


def test_regenerate_leaves_the_last_exchange_out_of_the_prompt() -> None:
    from chatapp.assistant import Turn
    from chatapp.worker import _without_last_exchange

    history = [Turn("user", "A?"), Turn("assistant", "a"), Turn("user", "B?"),
               Turn("assistant", "b")]
    assert _without_last_exchange(history, "B?") == history[:2]
    assert _without_last_exchange(history, "C?") == history
