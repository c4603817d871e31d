"""The real library with one topic in English only.

Every built-in topic has a Chinese article now (issue 20), but a topic a clinic
adds, or one the team adds in English first, may have none: tests of what a
Chinese reader then gets use kidney-health without its Chinese article, found in
Chinese by the names it had in resources/library/zh_names.toml.
"""

from __future__ import annotations

from functools import cache

KIDNEY_NAMES = {"kidney-health": ("肾", "肾脏", "肾病", "肾功能", "护肾")}


@cache
def english_only_index():
    from chatapp.knowledge import LibraryIndex, load_library

    real = load_library()
    library = type(real)(
        tuple(a for a in real.articles if (a.id, a.language) != ("kidney-health", "zh")),
        real.problems)
    return LibraryIndex(library, names=KIDNEY_NAMES)
