"""The offline health library, Qt-free: load and check articles, index, search, cite.

    index = LibraryIndex.load(extra_dirs=[settings.data_dir / "library"])
    index.problems                      # clinic files that were skipped, and why
    index.search("my sugar is high", "en", limit=3)   # -> Passage, best first
    index.articles("zh", query="血压")   # topics browser (English where untranslated)
    index.article("asthma-and-inhalers", "zh").sources
"""

from .content import content_problems
from .index import LibraryIndex
from .library import Library, builtin_library_dir, load_library
from .model import (
    BUILTIN,
    CLINIC,
    LANGUAGES,
    Article,
    CheckQuestion,
    Passage,
    Problem,
    Section,
    Source,
)
from .parse import parse_article
from .readability import reading_problems, section_size_problems

__all__ = [
    "BUILTIN",
    "CLINIC",
    "LANGUAGES",
    "Article",
    "CheckQuestion",
    "Library",
    "LibraryIndex",
    "Passage",
    "Problem",
    "Section",
    "Source",
    "builtin_library_dir",
    "content_problems",
    "load_library",
    "parse_article",
    "reading_problems",
    "section_size_problems",
]
