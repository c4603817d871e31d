"""What the library and reading levels add to storage: answer length, sources, scores."""

from __future__ import annotations

import pytest

from chatapp.storage import (
    MIGRATIONS,
    StorageError,
    StoreLocation,
    TurnLog,
    open_store,
    to_markdown,
)
from chatapp.storage.database import connect
from chatapp.storage.export import export_profile
from chatapp.storage.migrations import apply_migrations
from chatapp.vocabulary import AnswerStyle

SOURCE = {"id": "asthma-and-inhalers", "title": "Asthma and inhalers", "language": "en",
          "url": "https://medlineplus.gov/asthma.html",
          "urls": ["https://medlineplus.gov/asthma.html"]}


def test_a_profile_has_an_answer_length(store) -> None:
    ana = store.create_profile("Ana")
    assert ana.answer_style == "short"
    assert store.update_profile(ana.id, answer_style="more_detail").answer_style == "more_detail"
    assert tuple(AnswerStyle) == ("short", "more_detail")


def test_an_unknown_answer_length_is_refused(store) -> None:
    ana = store.create_profile("Ana")
    with pytest.raises(StorageError, match="Unknown answer length"):
        store.update_profile(ana.id, answer_style="essay")
    assert store.profile(ana.id).answer_style == "short"


def test_older_profiles_get_short_answers(db_path) -> None:
    db_path.parent.mkdir(parents=True)
    old = connect(db_path)
    apply_migrations(old, upto=2)
    now = "2026-01-01T00:00:00.000+00:00"
    with old.atomic():
        old.execute("INSERT INTO profiles (name, literacy_level, target_grade, created, updated)"
                    " VALUES ('Bo', 'standard', 8, ?, ?)", [now, now])
    old.close()
    store = open_store(StoreLocation(path=db_path))
    (bo,) = store.profiles()
    assert (bo.literacy_level, bo.answer_style) == ("standard", "short")
    assert len(MIGRATIONS) >= 3
    store.close()


def test_turn_log_saves_the_kept_text_sources_and_scores(store, profile) -> None:
    conversation = store.create_conversation(profile.id)
    log = TurnLog(store, conversation.id)
    log.begin("What is asthma?")
    log.progress("A hard first answer.")
    scores = {"fk_grade": 4.2, "smog": None, "simplified": True,
              "original": {"fk_grade": 11.0}}
    log.finish("complete", model="m", content="An easy answer.", sources=[SOURCE],
               readability=scores)
    _, answer = store.messages(conversation.id)
    assert answer.content == "An easy answer."
    assert answer.sources == (SOURCE,)
    assert answer.readability == scores


def test_turn_log_without_content_keeps_the_streamed_text(store, profile) -> None:
    conversation = store.create_conversation(profile.id)
    log = TurnLog(store, conversation.id)
    log.begin("Hi")
    log.progress("Hello there. ")
    log.finish("complete", model="m")
    _, answer = store.messages(conversation.id)
    assert (answer.content, answer.sources, answer.readability) == ("Hello there.", (), {})


def test_markdown_export_names_the_sources(store, profile) -> None:
    conversation = store.create_conversation(profile.id)
    store.add_message(conversation.id, "user", "What is asthma?")
    store.add_message(conversation.id, "assistant", "Your airways get narrow.",
                      sources=[SOURCE, "older-plain-id"])
    text = to_markdown(export_profile(store, profile.id))
    assert ("Sources: Asthma and inhalers (https://medlineplus.gov/asthma.html); "
            "older-plain-id") in text
