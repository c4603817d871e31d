"""The dose filter over every sentence of the built-in library: what it removes.

The library never states a dose (resources/library/README.md), and the model
answers from it, often in its words: a pattern that flags library sentences
would remove good answers. This lists every library sentence the filter flags;
each one must be reviewed and listed below, with why it is right to remove it.
"""

from __future__ import annotations

from collections.abc import Iterator

from chatapp.knowledge import load_library
from chatapp.safety.scope import states_a_dose
from chatapp.sentences import SENTENCE_END

# Reviewed: each says to give a second adrenaline injection ("use one more"), a
# dose the model should leave to the article itself and the pen's instructions.
REVIEWED = {("zh", "allergies-and-anaphylaxis", sentence) for sentence in (
    "- 过了几分钟还没好转，如果有第二支笔，就再用一支。",
    "- 如果过了几分钟还没有好转，而且有第二支笔，就再用一支。",
    "- 如果数分钟后症状仍未改善，而且备有第二支注射笔，应再注射一支。",
)}


def library_sentences() -> Iterator[tuple[str, str, str]]:
    """(language, article id, sentence) for every sentence a patient or the model may see."""
    for article in load_library().articles:
        texts = [article.title, article.summary]
        texts += [t for check in article.check for t in (check.question, check.answer)]
        for section in article.sections:
            texts += [section.heading, section.text, *(text for _, text in section.levels)]
        for text in texts:
            for sentence in SENTENCE_END.split(text):
                if sentence.strip():
                    yield article.language, article.id, sentence.strip()


def test_the_filter_removes_no_library_sentence_that_was_not_reviewed() -> None:
    sentences = list(library_sentences())
    assert len(sentences) > 5000  # every level of every article, both languages
    flagged = {s for s in sentences if states_a_dose(s[2])}
    unreviewed = sorted(flagged - REVIEWED)
    assert not unreviewed, "the dose filter removes these library sentences:\n" + "\n".join(
        f"  {lang}/{article}: {sentence}" for lang, article, sentence in unreviewed)
    assert flagged == REVIEWED, f"no longer flagged, take them off REVIEWED: {REVIEWED - flagged}"
