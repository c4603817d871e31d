"""Articles written into tmp_path: a valid one, and whatever a test breaks in it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

SECTION = (
    "Drink water through the day. Eat fruit and vegetables. Move your body most days. "
    "Sleep well at night. Ask your nurse if you have questions about this topic."
)

FRONT = """\
id = "{id}"
language = "{language}"
title = "{title}"
summary = "A short summary of the topic."
keywords = ["plantar fasciitis", "heel pain"]
synonyms = ["sore heel", "heel hurts"]
last_reviewed = 2026-11-29
reviewed_by = "CareChat editors"

[[sources]]
title = "Heel pain"
url = "https://www.nhs.uk/conditions/heel-pain/"

[[check]]
question = "Is heel pain common?"
answer = "Yes. It often gets better with rest."

[[check]]
question = "When should you see a doctor?"
answer = "When the pain does not get better."
"""


def article_text(
    id: str = "heel-pain",
    language: str = "en",
    title: str = "Heel pain",
    front: str | None = None,
    body: str | None = None,
    extra_front: str = "",
) -> str:
    """A valid article unless a part is replaced; ``front``/``body`` replace those parts."""
    if front is None:
        front = FRONT.format(id=id, language=language, title=title) + extra_front
    if body is None:
        body = "\n\n".join(f"## Part {n}\n\n{SECTION}" for n in ("one", "two", "three"))
    return f"+++\n{front}+++\n\n{body}\n"


WriteArticle = Callable[..., Path]


@pytest.fixture
def write_article(tmp_path: Path) -> WriteArticle:
    """Writes ``<root>/<lang>/<name>.md`` (root defaults to tmp_path/"library")."""

    def write(text: str | None = None, *, name: str = "heel-pain", folder: str = "en",
              root: Path | None = None, **parts) -> Path:
        path = (root or tmp_path / "library") / folder / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text if text is not None else article_text(**parts), encoding="utf-8")
        return path

    return write


@pytest.fixture
def make_text() -> Callable[..., str]:
    """The text of an article (see ``article_text``), without writing it."""
    return article_text



@pytest.fixture(scope="session")
def english_only():
    """The real library with kidney-health in English only (tests/english_only.py)."""
    from english_only import english_only_index

    return english_only_index()
