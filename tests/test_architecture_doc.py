"""docs/ARCHITECTURE.md stays a true map of the code."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "ARCHITECTURE.md"
# A path in backticks: a top-level folder of ours, then more path characters.
NAMED_PATH = re.compile(r"`((?:chatapp|model|resources|tests|benchmarks|docs)/[\w./-]*)`")


def test_every_path_the_architecture_doc_names_exists() -> None:
    named = set(NAMED_PATH.findall(DOC.read_text(encoding="utf-8")))
    assert len(named) > 30  # the layout tables are there
    missing = sorted(p for p in named if not (REPO / p).exists())
    assert missing == []


def test_every_module_of_the_turn_is_on_the_map() -> None:
    text = DOC.read_text(encoding="utf-8")
    parts = [*(REPO / "chatapp" / "turn").glob("*.py")]
    parts = [p for p in parts if p.name != "__init__.py"]
    unmapped = [str(p.relative_to(REPO)) for p in parts if f"`{p.relative_to(REPO)}`" not in text]
    assert unmapped == []


def test_code_points_at_the_projects_own_docs() -> None:
    # The team's design notes are not in the repository; the code must not send
    # a reader there.
    notes = "DESIGN" + ".md"
    offenders = [str(p.relative_to(REPO))
                 for folder in ("chatapp", "model", "tests", "benchmarks", "resources")
                 for p in (REPO / folder).rglob("*")
                 if p.is_file() and p.suffix in {".py", ".md", ".toml"}
                 and notes in p.read_text(encoding="utf-8")]
    assert offenders == []
