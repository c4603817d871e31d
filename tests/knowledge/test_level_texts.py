"""Articles written again for the standard and advanced levels (knowledge.level_texts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatapp.knowledge import LibraryIndex, load_library
from chatapp.knowledge.level_texts import LEVEL_FOLDERS
from chatapp.knowledge.readability import GRADE_BANDS, level_grade_problems
from chatapp.literacy import Level, chinese_sentence_target, score_text
from chatapp.turn import passage_text

REAL = load_library()
HARDER = ("Persistent inflammation of the plantar fascia produces discomfort that is "
          "typically most noticeable with the first steps after prolonged rest.")


def level_text(level: str = "standard", *, id: str = "heel-pain",
               headings: tuple[str, ...] = ("Part one", "Part two", "Part three"),
               body: str = HARDER, front_extra: str = "") -> str:
    sections = "\n\n".join(f"## {h}\n\n{body} ({h.lower()})" for h in headings)
    return f'+++\nid = "{id}"\nlevel = "{level}"\n{front_extra}+++\n\n{sections}\n'


def write_level(root: Path, text: str, *, level: str = "standard", name: str = "heel-pain",
                language: str = "en") -> Path:
    path = root / language / level / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_level_version_gives_each_section_its_text(tmp_path, write_article) -> None:
    root = tmp_path / "lib"
    write_article(root=root)
    write_level(root, level_text("advanced"), level="advanced")
    library = load_library(root)
    assert library.problems == ()
    article = library.get("heel-pain", "en")
    first = article.sections[0]
    assert first.text_at("advanced") == f"{HARDER} (part one)"
    assert first.text.startswith("Drink water")  # the basic text is the article's own
    # A level with no version reads the basic text.
    assert first.text_at("standard") == first.text and not first.has_level("standard")
    assert article.levels == ("advanced",)
    assert "## Part two\n\n" + HARDER in article.body_at("advanced")
    assert article.body_at("standard") == article.body
    # Search finds passages by the basic text, and each carries its levels.
    found = LibraryIndex(library).search("heel pain water", "en", limit=3)
    assert found and all(p.text_at("advanced").startswith(HARDER) for p in found)


@pytest.mark.parametrize(("text", "message"), [
    (level_text(headings=("Part one", "Part two")), "the headings must be the article's"),
    (level_text(headings=("Part one", "Part three", "Part two")), "in its order"),
    (level_text(body=f"{HARDER} Rest for 3 weeks."), "numbers the basic article does not"),
    (level_text(body=f"{HARDER} Take 500 mg."), "a dose"),
    (level_text(front_extra='title = "Heel pain"\n'), "unknown field 'title'"),
    (level_text("advanced"), "must equal the folder name 'standard'"),
    (level_text(id="heel"), "must equal the file name"),
    (level_text().replace(f"{HARDER} (part two)", ""), "'Part two' is empty"),
    ("## Part one\n\nNo front matter.\n", "no front matter"),
])
def test_a_bad_level_version_is_reported_and_the_basic_text_kept(
        tmp_path, write_article, text, message) -> None:
    root = tmp_path / "lib"
    write_article(root=root)
    path = write_level(root, text)
    library = load_library(root)
    assert [p.path for p in library.problems] == [path] * len(library.problems)
    assert any(message in p.message for p in library.problems), library.problems
    article = library.get("heel-pain", "en")
    assert article is not None and article.levels == ()


def test_a_level_version_without_its_article_is_reported(tmp_path, write_article) -> None:
    root = tmp_path / "lib"
    write_article(root=root)
    path = write_level(root, level_text(id="toe-pain"), name="toe-pain")
    library = load_library(root)
    assert [(p.path, "no valid article 'toe-pain'" in p.message)
            for p in library.problems] == [(path, True)]


def test_numbers_the_article_has_are_allowed(tmp_path, write_article, make_text) -> None:
    root = tmp_path / "lib"
    body = "\n\n".join(f"## Part {n}\n\nMost people get better within 2 weeks. " + "Rest. " * 40
                       for n in ("one", "two", "three"))
    write_article(root=root, body=body)
    write_level(root, level_text(body=f"{HARDER} Recovery usually takes 2 weeks."))
    assert load_library(root).problems == ()


def test_the_grade_bands_sit_above_basic_and_in_order() -> None:
    (standard_low, standard_high), (advanced_low, advanced_high) = (
        GRADE_BANDS["standard"], GRADE_BANDS["advanced"])
    assert 6.0 < standard_low < standard_high < advanced_low < advanced_high
    # Rounded half up, as the answer badge shows grades: 7-8 and 9-10.
    assert round(standard_high + 0.005) == 8 and round(advanced_high + 0.005) == 10


def test_a_chinese_level_version_is_measured_on_its_sentences(tmp_path,
                                                              write_article) -> None:
    root = tmp_path / "lib"
    write_article(root=root, folder="zh", language="zh",
                  body="\n\n".join(f"## 第{n}部分\n\n" + "多喝水。好好休息。按时吃饭。" * 8
                                     for n in "一二三"))
    short = "多喝水。好好休息。"
    write_level(root, level_text(headings=("第一部分", "第二部分", "第三部分"), body=short * 6),
                language="zh")
    article = load_library(root).get("heel-pain", "zh")
    assert article.levels == ("standard",)
    [problem] = level_grade_problems(article)
    assert "Han characters a sentence (15.5 to 20.0)" in problem


def test_a_level_version_out_of_its_band_is_found(tmp_path, write_article) -> None:
    root = tmp_path / "lib"
    write_article(root=root)
    write_level(root, level_text(body="Rest your foot. Wear good shoes."))
    article = load_library(root).get("heel-pain", "en")
    [problem] = level_grade_problems(article)
    assert problem.startswith("the standard version scores grade")


@pytest.mark.parametrize("article", REAL.articles, ids=lambda a: f"{a.language}/{a.id}")
def test_every_article_has_both_level_versions_in_their_bands(article) -> None:
    assert article.levels == LEVEL_FOLDERS
    assert level_grade_problems(article) == []


# The rewrite tolerance of resources/literacy/readability.toml: one grade in
# English, 2.5 characters a sentence in Chinese.
TOLERANCE = {"en": 1, "zh": 2.5}


@pytest.mark.parametrize("article", REAL.articles, ids=lambda a: f"{a.language}/{a.id}")
def test_every_section_as_a_prompt_shows_it_is_near_its_level(article) -> None:
    # A prompt, and the library's own words in an answer, show the opening of a
    # section (passage_text): that part, not only the whole article, must be
    # written at its level, or the answer misses its level with the library's
    # own text (measured with benchmarks/eval_readability.py --language zh).
    over = []
    for section in article.sections:
        for level in Level:
            shown = passage_text(section, level, article.language)
            scores = score_text(shown, article.language)
            if article.language == "zh":
                most = chinese_sentence_target(level) + TOLERANCE["zh"]
                if scores.sentence_length > most:
                    over.append(f"{level}: {section.heading}: {scores.sentence_length:.1f}")
            elif scores.grade > level.grade + TOLERANCE["en"]:
                over.append(f"{level}: {section.heading}: grade {scores.grade}")
    assert over == []
