from __future__ import annotations

import pytest

from chatapp.storage import NotFoundError, StorageError, title_from
from chatapp.storage.store import PROFILE_NAME_CHARS


def test_database_is_wal_with_foreign_keys(store) -> None:
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute("PRAGMA secure_delete").fetchone()[0] == 1


def test_profile_defaults_and_updates(store) -> None:
    ana = store.create_profile("  Ana ")
    assert (ana.name, ana.literacy_level, ana.target_grade) == ("Ana", "basic", 6)
    assert ana.language == "en"
    assert ana.font_scale == 1.0 and ana.high_contrast is False
    changed = store.update_profile(ana.id, literacy_level="standard", font_scale=1.5,
                                   high_contrast=True, language="zh")
    assert (changed.literacy_level, changed.target_grade) == ("standard", 8)
    assert changed.font_scale == 1.5 and changed.high_contrast is True
    assert changed.updated >= ana.updated
    assert store.profile_named("Ana") == changed


@pytest.mark.parametrize("changes, words", [
    ({"literacy_level": "expert"}, "Unknown reading level"),
    ({"font_scale": 3.0}, "between 100% and 200%"),
])
def test_bad_profile_values_are_refused(store, profile, changes, words) -> None:
    with pytest.raises(StorageError, match=words):
        store.update_profile(profile.id, **changes)


def test_duplicate_or_empty_profile_names(store, profile) -> None:
    with pytest.raises(StorageError, match="already a profile"):
        store.create_profile("Ana")
    with pytest.raises(StorageError, match="needs a name"):
        store.create_profile("  ")


def test_unknown_profile_names_no_other_profile(store, profile) -> None:
    # On a shared computer, a mistyped name must not list the other patients.
    with pytest.raises(NotFoundError) as err:
        store.profile_named("Bo")
    assert "Ana" not in str(err.value) and "Ana" not in err.value.hint
    assert "'Bo'" in err.value.message
    assert store.find_profile("Bo") is None
    assert store.profile_or_create("Bo").name == "Bo"
    assert store.profile_or_create("Bo").id == store.profile_named("Bo").id


def test_profile_names_keep_no_control_characters(store) -> None:
    # A name is printed back ("Saved Ana's conversations"): an escape sequence in
    # it would reach the reader's terminal.
    ana = store.create_profile("\x1b]0;PWNED\x07A\u200bna\x1b[2J")
    assert ana.name == "Ana"
    assert store.profile_named("A\u200bna").id == ana.id
    assert store.profile_or_create("Ana\x07").id == ana.id


def test_profile_names_have_a_length_limit(store) -> None:
    longest = "A" * PROFILE_NAME_CHARS
    assert store.create_profile(longest).name == longest
    for make in (store.create_profile, store.profile_or_create):
        with pytest.raises(StorageError, match="at most 60 characters") as err:
            make("B" * (PROFILE_NAME_CHARS + 1))
        assert "shorter" in err.value.hint
    assert [p.name for p in store.profiles()] == [longest]


def test_conversations_newest_first_with_default_titles(store, profile) -> None:
    first = store.create_conversation(profile.id)
    second = store.create_conversation(profile.id)
    store.add_message(first.id, "user", "What   is asthma,\nand how do inhalers work?")
    listed = store.conversations(profile.id)
    assert [c.id for c in listed] == [first.id, second.id]  # activity moves it up
    assert listed[0].title == "What is asthma, and how do inhalers work?"
    store.add_message(first.id, "user", "A second question does not rename it")
    assert store.conversation(first.id).title == "What is asthma, and how do inhalers work?"


def test_rename_and_delete(store, profile) -> None:
    conv = store.create_conversation(profile.id)
    store.add_message(conv.id, "user", "Hello")
    assert store.rename_conversation(conv.id, "  My inhaler  ").title == "My inhaler"
    with pytest.raises(StorageError, match="cannot be empty"):
        store.rename_conversation(conv.id, " ")
    store.delete_conversation(conv.id)
    assert store.conversations(profile.id) == []
    # Cascading delete: no orphan messages left behind.
    assert store.db.execute("SELECT count(*) FROM messages").fetchone()[0] == 0


@pytest.mark.parametrize("question, title", [
    ("Short one?", "Short one?"),
    ("word " * 30, "word word word word word word word word word word word word…"),
    ("x" * 80, "x" * 60 + "…"),
])
def test_title_from(question, title) -> None:
    assert title_from(question) == title


def test_messages_keep_their_details(store, profile) -> None:
    conv = store.create_conversation(profile.id)
    mid = store.add_message(conv.id, "assistant", "Answer", status="streaming")
    store.update_message(mid, content="Answer, longer", status="complete", model="tiny",
                         sources=["asthma"], readability={"fk_grade": 5.2},
                         timings={"ttft_ms": 12.5})
    (message,) = store.messages(conv.id)
    assert (message.content, message.status) == ("Answer, longer", "complete")
    assert message.model == "tiny"
    assert message.sources == ("asthma",)
    assert message.readability == {"fk_grade": 5.2}
    assert message.timings == {"ttft_ms": 12.5}
    with pytest.raises(ValueError):
        store.update_message(mid, status="lost")


def test_mark_interrupted(store, profile) -> None:
    conv = store.create_conversation(profile.id)
    done = store.add_message(conv.id, "assistant", "done")
    cut = store.add_message(conv.id, "assistant", "half an ans", status="streaming")
    assert store.mark_interrupted() == 1
    statuses = {m.id: m.status for m in store.messages(conv.id)}
    assert statuses == {done: "complete", cut: "interrupted"}


def test_search_is_per_profile_with_highlighted_snippets(store, profile) -> None:
    other = store.create_profile("Bo")
    mine = store.create_conversation(profile.id)
    theirs = store.create_conversation(other.id)
    store.add_message(mine.id, "user", "How do I use my asthma inhaler?")
    store.add_message(mine.id, "assistant", "Shake the inhaler, breathe out, then press.")
    store.add_message(theirs.id, "user", "My inhaler is empty")
    hits = store.search(profile.id, "inhaler")
    assert {h.conversation_id for h in hits} == {mine.id}
    assert len(hits) == 2
    assert all("**inhaler**" in h.snippet for h in hits)
    assert hits[0].conversation_title == "How do I use my asthma inhaler?"


def test_search_follows_edits_and_deletes(store, profile) -> None:
    conv = store.create_conversation(profile.id)
    mid = store.add_message(conv.id, "assistant", "", status="streaming")
    store.update_message(mid, content="Drink water when you feel dizzy")
    assert [h.message_id for h in store.search(profile.id, "dizzy")] == [mid]
    store.delete_conversation(conv.id)
    assert store.search(profile.id, "dizzy") == []


@pytest.mark.parametrize("query", ['"unbalanced', "AND OR NOT", "col:on", "*", "   "])
def test_search_accepts_any_text(store, profile, query) -> None:
    conv = store.create_conversation(profile.id)
    store.add_message(conv.id, "user", "AND then a col:on here")
    store.search(profile.id, query)  # no FTS syntax error reaches the patient


def test_settings_round_trip(store) -> None:
    assert store.setting("current_profile") is None
    assert store.setting("missing", 7) == 7
    store.set_setting("current_profile", 3)
    store.set_setting("current_profile", 4)
    assert store.setting("current_profile") == 4


def test_multi_row_change_is_one_transaction(store, profile, monkeypatch) -> None:
    # add_message writes the message and touches the conversation: both or neither.
    conv = store.create_conversation(profile.id)
    store.db.execute("CREATE TRIGGER fail BEFORE UPDATE ON conversations "
                     "BEGIN SELECT RAISE(ABORT, 'boom'); END")
    with pytest.raises(StorageError):
        store.add_message(conv.id, "user", "lost together")
    assert store.messages(conv.id) == []
