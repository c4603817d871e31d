"""Several CareChats on one data folder: every turn is saved, no live answer is taken
for a crash's leftover, and waiting for the write lock is bounded."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from chatapp import cli
from chatapp.storage import StoreLocation, open_store
from chatapp.storage import migrations as migrations_module
from chatapp.storage.locking import retry_while_busy, transaction
from chatapp.storage.owner import StreamOwner, current_owner, is_running

REPO = Path(__file__).resolve().parents[2]
TIMEOUT_S = 600  # a loaded 2-core machine imports torch in each process

# `python -m chatapp ARGS`, started only when the parent says so: every process has
# done its slow imports first, so that they really run at the same time.
AT_THE_SIGNAL = textwrap.dedent("""
    import runpy, sys
    if sys.argv[1] == "ask":
        import chatapp.turn, model.engine  # noqa: F401  (the slow imports, before the start)
    print("READY", flush=True)
    sys.stdin.readline()
    sys.argv = ["chatapp", *sys.argv[2:]]
    runpy.run_module("chatapp", run_name="__main__", alter_sys=True)
""")


def _start(kind: str, argv: list[str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", AT_THE_SIGNAL, kind, *argv], cwd=REPO,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_several_processes_asking_and_reading_lose_no_turn(tmp_path, tiny_model_dir):
    data = tmp_path / "data"  # new: the first processes also race to create the file
    base = ["--data-dir", str(data), "--model", str(tiny_model_dir)]
    questions = [f"What helps with asthma, question {n}?" for n in range(4)]
    asks = [_start("ask", [*base, "ask", "--json", "--max-tokens", "24", "--profile", "P", q])
            for q in questions]
    readers = [_start("read", [*base, "history", "--profile", "P", *action])
               for action in (["list"], ["search", "asthma"], ["list"])]
    everyone = asks + readers
    try:
        for process in everyone:
            assert process.stdout.readline().strip() == "READY", process.stderr.read()
        for process in everyone:
            process.stdin.write("go\n")
            process.stdin.flush()
        results = [(p, *p.communicate(timeout=TIMEOUT_S)) for p in everyone]
    finally:
        for process in everyone:
            if process.poll() is None:
                process.kill()

    for process, _out, err in results:
        # A reader that came before any save finds no profile P yet: that is fine,
        # a lock or a race is not.
        assert process.returncode == 0 or "no profile called 'P'" in err, err
        assert "busy" not in err and "already a profile" not in err, err
    saved = [json.loads(out) for process, out, _ in results[:len(asks)]]
    assert all(s["saved"] is True for s in saved)

    store = open_store(StoreLocation.in_data_dir(data))
    (profile,) = store.profiles()
    conversations = store.conversations(profile.id)
    assert len(conversations) == len(questions)
    asked = set()
    for conversation in conversations:
        question, answer = store.messages(conversation.id)
        asked.add(question.content)
        assert answer.status == "complete" and answer.content
    assert asked == set(questions)
    statuses = store.db.execute("SELECT DISTINCT status FROM messages").fetchall()
    assert statuses == [("complete",)]


PAUSED_MID_ANSWER = textwrap.dedent("""
    import sys
    from pathlib import Path

    import model
    from chatapp.turn import Assistant
    from chatapp.storage import StoreLocation, TurnLog, open_store

    store = open_store(StoreLocation.in_data_dir(Path(sys.argv[1])))
    conv = store.create_conversation(store.create_profile("Ana").id)
    engine = model.load(sys.argv[2], device="cpu")
    seen = []

    def on_token(piece):
        seen.append(piece)
        if len(seen) == 6:
            print("MID-ANSWER", flush=True)
            sys.stdin.readline()  # the parent starts other CareChats meanwhile

    log = TurnLog(store, conv.id, interval_s=0.0)
    Assistant(engine, max_new_tokens=40).answer("What is asthma?", on_token=on_token, log=log)
    print("FINISHED", flush=True)
""")


def answer_status(data: Path) -> str:
    """Read without CareChat, which would act on what it finds."""
    with sqlite3.connect(data / "carechat.db") as conn:
        (status,) = conn.execute(
            "SELECT status FROM messages WHERE role = 'assistant'").fetchone()
    return status


def test_a_command_started_mid_answer_leaves_the_live_answer_alone(capsys, tmp_path,
                                                                   tiny_model_dir):
    data = tmp_path / "data"
    child = subprocess.Popen(
        [sys.executable, "-c", PAUSED_MID_ANSWER, str(data), str(tiny_model_dir)],
        cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "MID-ANSWER"
        assert answer_status(data) == "streaming"
        # Another CareChat starts while the answer is being written.
        assert cli.main(["--data-dir", str(data), "history", "--profile", "Ana", "list"]) == 0
        open_store(StoreLocation.in_data_dir(data)).close()
        from chatapp.config import load_settings
        from chatapp.session import open_app_store

        open_app_store(load_settings(data)).store.close()
        assert answer_status(data) == "streaming"
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "FINISHED"
        assert child.wait(timeout=TIMEOUT_S) == 0
    finally:
        if child.poll() is None:
            child.kill()
    assert answer_status(data) == "complete"


def test_a_streaming_answer_is_left_only_while_its_writer_runs(store, profile) -> None:
    conv = store.create_conversation(profile.id)
    me = current_owner()
    mine = store.add_message(conv.id, "assistant", "still", status="streaming", owner=me)
    # This pid with another start time: the pid was reused, the writer is gone.
    reused = store.add_message(conv.id, "assistant", "gone", status="streaming",
                               owner=StreamOwner(me.pid, me.started - 3600))
    exited = subprocess.Popen([sys.executable, "-c", "pass"])
    exited.wait(timeout=TIMEOUT_S)
    dead = store.add_message(conv.id, "assistant", "dead", status="streaming",
                             owner=StreamOwner(exited.pid, me.started))
    old = store.add_message(conv.id, "assistant", "no owner", status="streaming")
    assert store.mark_interrupted() == 3
    statuses = {m.id: m.status for m in store.messages(conv.id)}
    assert statuses == {mine: "streaming", reused: "interrupted", dead: "interrupted",
                        old: "interrupted"}


def test_is_running() -> None:
    me = current_owner()
    assert me.pid == os.getpid()
    assert is_running(me)
    assert not is_running(None)
    assert not is_running(StreamOwner(me.pid, me.started + 100))


def test_a_migration_applied_by_another_process_meanwhile_is_not_run_twice(
        db_path, monkeypatch) -> None:
    open_store(StoreLocation(path=db_path)).close()  # every migration applied
    real = migrations_module.applied_migrations
    seen = []

    def stale_first(db):
        # The first look, before the lock, misses what another CareChat just did.
        seen.append(1)
        return [] if len(seen) == 1 else real(db)

    monkeypatch.setattr(migrations_module, "applied_migrations", stale_first)
    store = open_store(StoreLocation(path=db_path))  # no "table profiles already exists"
    assert len(seen) > 1
    monkeypatch.undo()
    assert migrations_module.schema_version(store.db) == len(migrations_module.MIGRATIONS)


def _busy() -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError("database is locked")
    exc.sqlite_errorname = "SQLITE_BUSY"
    return exc


def test_retry_while_busy_retries_busy_only_and_gives_up() -> None:
    tries = []

    def busy_twice():
        tries.append(1)
        if len(tries) < 3:
            raise _busy()
        return "done"

    assert retry_while_busy(busy_twice) == "done" and len(tries) == 3

    def broken():
        raise sqlite3.OperationalError("no such table: x")

    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        retry_while_busy(broken)

    def always_busy():
        raise _busy()

    with pytest.raises(sqlite3.OperationalError, match="locked"):
        retry_while_busy(always_busy, limit_s=0)


def test_a_write_transaction_holds_the_lock_from_its_start(store, db_path) -> None:
    """A deferred transaction that reads, then writes after another process wrote,
    fails at once (SQLITE_BUSY_SNAPSHOT, no waiting). CareChat's write transactions
    take the write lock when they begin, so the other process waits instead."""
    other = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    with transaction(store.db):
        store.db.execute("SELECT count(*) FROM settings").fetchone()
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("INSERT INTO settings (key, value) VALUES ('other', '1')")
        store.db.execute("INSERT INTO settings (key, value) VALUES ('mine', '1')")
    other.execute("INSERT INTO settings (key, value) VALUES ('other', '1')")
    other.close()
    assert store.setting("mine") == 1 and store.setting("other") == 1
