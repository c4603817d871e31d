from __future__ import annotations

from chatapp.storage import TurnLog


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_question_is_saved_before_any_answer(store, profile) -> None:
    conv = store.create_conversation(profile.id)
    log = TurnLog(store, conv.id)
    log.begin("What is asthma?")
    question, answer = store.messages(conv.id)
    assert (question.role, question.content, question.status) == ("user", "What is asthma?",
                                                                  "complete")
    assert (answer.role, answer.content, answer.status) == ("assistant", "", "streaming")


def test_answer_is_written_at_most_every_interval(store, profile) -> None:
    conv = store.create_conversation(profile.id)
    clock = FakeClock()
    log = TurnLog(store, conv.id, interval_s=3.0, clock=clock)
    log.begin("Q")
    saved = []
    for i in range(10):
        clock.now += 1.0
        log.progress(f"w{i} ")
        saved.append(store.messages(conv.id)[1].content)
    # Saved after 3, 6 and 9 s of streaming, not after every token.
    assert len(set(saved)) == 4
    assert saved[2] == "w0 w1 w2 "
    log.finish("complete", model="tiny", timings={"tokens": 10})
    answer = store.messages(conv.id)[1]
    assert (answer.content, answer.status, answer.model) == (log.text.strip(), "complete", "tiny")
    assert answer.timings == {"tokens": 10}


def test_cancelled_answer_keeps_what_was_written(store, profile) -> None:
    conv = store.create_conversation(profile.id)
    log = TurnLog(store, conv.id)
    log.begin("Q")
    log.progress("Half an")
    log.finish("cancelled")
    answer = store.messages(conv.id)[1]
    assert (answer.content, answer.status) == ("Half an", "cancelled")
