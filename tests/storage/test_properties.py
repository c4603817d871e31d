"""Property-based tests (Hypothesis): any text searches cleanly, and any text saved
comes back unchanged, can be found, and is exported."""

from __future__ import annotations

import json
import string

from hypothesis import example, given, settings
from hypothesis import strategies as st

from chatapp.storage import StoreLocation, export_profile, open_store
from chatapp.storage.store import fts_query

# Any Unicode text, lone surrogates (which no UTF-8 file can hold) included.
ANY_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=80)
# Text that can be saved: everything but lone surrogates.
SAVABLE = st.text(max_size=200)
# A word the search index keeps as a word: letters and digits of any script.
WORD = st.text(alphabet=st.characters(categories=("Lu", "Ll", "Lo", "Nd")), min_size=1,
               max_size=20)
SYNTAX = st.text(alphabet=string.punctuation + " \x00ANDORNOTnear", max_size=30)


def filled_store():
    store = open_store(StoreLocation.guest())
    profile = store.create_profile("Ana")
    conversation = store.create_conversation(profile.id)
    for text in ('He said "take it" NEAR(noon) * AND OR NOT', "wombat ^start col:x",
                 "高血压 café naïve"):
        store.add_message(conversation.id, "user", text)
    return store, profile


SEARCHED = filled_store()


@settings(max_examples=300, deadline=None)
@given(st.one_of(ANY_TEXT, SYNTAX))
@example('"')
@example("\x00")
@example("\ud800")
@example("NEAR(")
def test_any_text_searches_cleanly(query) -> None:
    """Any text is a search for its words: a (maybe empty) list of hits, never an error.

    (store.search keeps a plain StorageError for a query FTS5 should still refuse;
    none is known, so none is allowed here.)
    """
    store, profile = SEARCHED
    hits = store.search(profile.id, query)
    assert isinstance(hits, list)
    assert all(hit.conversation_id for hit in hits)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_fts_query_is_only_quoted_words(text) -> None:
    query = fts_query(text)
    for word in query.split('" "') if query else []:
        inner = word.strip('"')
        assert '"' not in inner.replace('""', "")  # every quote inside is doubled


@settings(max_examples=150, deadline=None)
@given(before=SAVABLE, word=WORD, after=SAVABLE)
def test_any_text_comes_back_equal_is_found_and_exported(before, word, after) -> None:
    store = open_store(StoreLocation.guest())
    profile = store.create_profile("Ana")
    conversation = store.create_conversation(profile.id)
    text = f"{before} {word} {after}"
    message_id = store.add_message(conversation.id, "user", text)
    store.add_message(conversation.id, "assistant", before)

    assert [m.content for m in store.messages(conversation.id)] == [text, before]
    assert message_id in {hit.message_id for hit in store.search(profile.id, word)}
    export = json.loads(json.dumps(export_profile(store, profile.id), ensure_ascii=False))
    (exported,) = export["conversations"]
    assert [m["content"] for m in exported["messages"]] == [text, before]
    store.close()
