from __future__ import annotations

import threading

import pytest

from chatapp.turn import (
    MAX_QUESTION_CHARS,
    Assistant,
    QuestionError,
    Turn,
    clean_question,
    system_prompt,
)


def test_system_prompt_comes_from_resources() -> None:
    prompt = system_prompt()
    assert prompt.startswith("You are CareChat")
    assert "doses" in prompt


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_question_is_refused(text: str) -> None:
    with pytest.raises(QuestionError, match="type a question"):
        clean_question(text)


def test_overlong_question_is_refused_not_truncated() -> None:
    with pytest.raises(QuestionError, match="under 4,000 characters"):
        clean_question("a" * (MAX_QUESTION_CHARS + 1))
    assert clean_question("  What is asthma?  ") == "What is asthma?"


def test_answer_streams_and_reports(tiny_engine) -> None:
    assistant = Assistant(tiny_engine, max_new_tokens=10)
    pieces: list[str] = []
    result = assistant.answer("What is asthma?", on_token=pieces.append)
    assert pieces
    assert result.answer == "".join(pieces).strip()
    assert result.question == "What is asthma?"
    assert result.generation.model == tiny_engine.info.name
    assert result.generation.device == "cpu"
    assert 1 <= result.generation.tokens <= 10
    assert result.stop_reason in {"eos", "length"}
    assert set(result.to_dict()) >= {"answer", "model", "device", "ttft_ms", "tokens",
                                     "tokens_per_s"}


def test_stop_event_is_passed_through(tiny_engine) -> None:
    stop = threading.Event()
    stop.set()
    result = Assistant(tiny_engine).answer("Hello?", stop_event=stop)
    assert result.stopped
    assert result.answer == ""


def test_messages_start_with_rules_and_end_with_question(tiny_engine) -> None:
    assistant = Assistant(tiny_engine, instructions="RULES")
    history = [Turn("user", "Hi"), Turn("assistant", "Hello")]
    messages = assistant.prompts.for_question("What is asthma?", history).messages
    assert messages[0]["role"] == "system"
    assert messages[0]["content"].startswith("RULES\n\nHow to write for this patient:")
    assert messages[1:3] == [{"role": "user", "content": "Hi"},
                             {"role": "assistant", "content": "Hello"}]
    assert messages[-1] == {"role": "user", "content": "What is asthma?"}


def test_oldest_history_is_dropped_to_fit_the_context(tiny_engine) -> None:
    assistant = Assistant(tiny_engine, max_new_tokens=64, instructions="RULES")
    history = []
    for i in range(30):
        history += [Turn("user", f"Question {i} about blood pressure"),
                    Turn("assistant", f"Answer {i} about drinking water")]
    messages = assistant.prompts.for_question("Last question?", history,
                                              max_new_tokens=64).messages
    budget = tiny_engine.info.context_length - 64
    assert tiny_engine.count_tokens(messages) <= budget
    assert messages[0]["content"].startswith("RULES")
    assert messages[-1]["content"] == "Last question?"
    # The newest exchange is kept, the oldest went first, pairs stay whole.
    assert messages[-2]["content"] == "Answer 29 about drinking water"
    assert all(m["content"] != "Question 0 about blood pressure" for m in messages)
    assert messages[1]["role"] == "user"


def test_answer_reports_how_many_messages_were_left_out(tiny_engine) -> None:
    assistant = Assistant(tiny_engine, max_new_tokens=4, instructions="RULES")
    short = [Turn("user", "Hi"), Turn("assistant", "Hello")]
    assert assistant.answer("What is asthma?", short).history_left_out == 0
    long = []
    for i in range(60):
        long += [Turn("user", f"Question {i} about blood pressure and salt"),
                 Turn("assistant", f"Answer {i} about drinking water every day")]
    left_out = assistant.answer("Last question?", long).history_left_out
    assert 0 < left_out < len(long)
    assert left_out % 2 == 0  # whole exchanges, never half of one


def test_per_turn_length_and_temperature_override_the_defaults() -> None:
    from fake_engine import ScriptedEngine

    engine = ScriptedEngine(["Fine."])
    seen = {}
    original = engine.stream

    def spy(messages, max_new_tokens=256, temperature=0.0, stop_event=None, **kw):
        seen.update(max_new_tokens=max_new_tokens, temperature=temperature)
        return original(messages, max_new_tokens, temperature, stop_event, **kw)

    engine.stream = spy
    Assistant(engine, max_new_tokens=320).answer("Hi", max_new_tokens=160, temperature=0.7)
    assert seen == {"max_new_tokens": 160, "temperature": 0.7}
