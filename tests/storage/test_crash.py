"""A process killed with SIGKILL mid-answer loses neither the question nor the partial answer."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from chatapp.storage import StoreLocation, open_store

REPO = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path

    import model
    from chatapp.turn import Assistant
    from chatapp.storage import StoreLocation, TurnLog, open_store

    db_path, model_dir = Path(sys.argv[1]), sys.argv[2]
    store = open_store(StoreLocation(path=db_path))
    profile = store.create_profile("Ana")
    conv = store.create_conversation(profile.id)
    engine = model.load(model_dir, device="cpu")
    seen = []

    def on_token(piece):
        seen.append(piece)
        if len(seen) == 6:
            print("MID-ANSWER", flush=True)
            sys.stdin.readline()  # the parent kills us here, mid-answer

    log = TurnLog(store, conv.id, interval_s=0.0)
    Assistant(engine, max_new_tokens=200).answer("What is asthma?", on_token=on_token, log=log)
    print("FINISHED", flush=True)
""")


def test_sigkill_mid_answer_keeps_question_and_partial_answer(tmp_path, tiny_model_dir):
    db_path = tmp_path / "carechat.db"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db_path), str(tiny_model_dir)],
        cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert child.stdout.readline().strip() == "MID-ANSWER"
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=60) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()

    store = open_store(StoreLocation(path=db_path))
    assert store.mark_interrupted() == 1
    (conversation,) = store.conversations(store.profile_named("Ana").id)
    question, answer = store.messages(conversation.id)
    assert (question.role, question.content, question.status) == (
        "user", "What is asthma?", "complete")
    assert answer.role == "assistant"
    assert answer.status == "interrupted"
    assert answer.content  # the words written before the kill are kept
    assert conversation.title == "What is asthma?"
