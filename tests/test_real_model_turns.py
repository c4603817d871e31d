"""A grounded, level-aware turn on the real built-in model (SmolLM2-135M-Instruct)."""

from __future__ import annotations

import pytest

from chatapp.knowledge import LibraryIndex
from chatapp.storage import StoreLocation, TurnLog, open_store
from chatapp.turn import Assistant

pytestmark = pytest.mark.real_model


def test_grounded_turn_cites_the_library_and_is_scored(default_model_loads, tmp_path):
    _, engine = default_model_loads
    store = open_store(StoreLocation.in_data_dir(tmp_path))
    conversation = store.create_conversation(store.create_profile("Ana").id)
    assistant = Assistant(engine, library=LibraryIndex.load(), max_new_tokens=64)
    shown: list[str] = []
    result = assistant.answer("What is high blood pressure?", on_token=shown.append,
                              log=TurnLog(store, conversation.id))
    assert result.sources[0]["id"] == "high-blood-pressure"
    assert "blood" in result.answer.lower()
    # The prompt carried the passages: far longer than the rules and the question.
    assert result.generation.prompt_tokens > 400
    assert isinstance(result.readability["fk_grade"], float)
    assert result.target_grade == 6
    if not result.edits.simplified:  # else the window swaps in the kept rewrite
        assert "".join(shown).strip() == result.answer
    _, saved = store.messages(conversation.id)
    assert (saved.content, saved.sources) == (result.answer, result.sources)
    assert saved.readability["fk_grade"] == result.readability["fk_grade"]
    store.close()
