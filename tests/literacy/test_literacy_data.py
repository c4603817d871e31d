"""A broken resources/literacy file fails with the file and the field, not a KeyError."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatapp.literacy import (
    LiteracyDataError,
    feedback_prompt,
    read_screener,
    score_text,
    style_instructions,
    teach_back,
)
from chatapp.resources import resource_path

SCREENER = resource_path("literacy", "screener_en.toml").read_text(encoding="utf-8")


def broken(tmp_path: Path, old: str, new: str) -> Path:
    assert old in SCREENER, old
    path = tmp_path / "screener_en.toml"
    path.write_text(SCREENER.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_real_file_reads(tmp_path) -> None:
    path = tmp_path / "screener_en.toml"
    path.write_text(SCREENER, encoding="utf-8")
    assert len(read_screener(path).items) == 3


@pytest.mark.parametrize("old, new, field", [
    ('language = "en"', 'language = "fr"', "field 'language'"),
    ('language = "en"', "", "field 'language' is missing"),
    ('title = "Reading health information"', 'title = ""', "field 'title' must not be empty"),
    ("advanced_max_value = 1", "advanced_max_value = 3", "field 'scoring.advanced_max_value'"),
    ("advanced_max_value = 1", 'advanced_max_value = "1"', "must be a whole number"),
    ('id = "sils"', 'id = "confident_forms"', "field 'item' has a repeated id"),
    ("limited_from = 3", "limited_from = 7", "field 'item[0].limited_from'"),
    ("limited_from = 3", "limited_from = true", "field 'item[0].limited_from' must be a whole"),
    ('{ value = 2, label = "Rarely" }', '{ value = 7, label = "Rarely" }',
     "field 'item[0].options' values must run"),
    ('{ value = 2, label = "Rarely" }', '{ value = 2, label = "" }',
     "field 'item[0].options[1].label' must not be empty"),
    ('url = "https://pubmed.ncbi.nlm.nih.gov/16563164/"', 'url = "pubmed 16563164"',
     "field 'item[0].sources[0].url'"),
    ("year = 2006", 'year = "2006"', "field 'item[0].sources[0].year'"),
    ('default = "en"', 'default = "fr"', "field 'preferences.language.default'"),
    ('{ value = "zh", label = "中文（简体）" }', '{ value = "de", label = "Deutsch" }',
     "field 'preferences.language.options'"),
    ("default = 100", "default = 300", "field 'preferences.text_size.default'"),
    ('{ value = "more_detail", label = "More detail" }', '{ value = "long", label = "Long" }',
     "field 'preferences.answer_style.options'"),
])
def test_errors_name_the_file_and_the_field(tmp_path, old, new, field) -> None:
    with pytest.raises(LiteracyDataError) as caught:
        read_screener(broken(tmp_path, old, new))
    message = str(caught.value)
    assert "screener_en.toml" in message
    assert field in message


def test_a_file_that_is_not_toml(tmp_path) -> None:
    path = tmp_path / "screener_en.toml"
    path.write_text("this is [not toml", encoding="utf-8")
    with pytest.raises(LiteracyDataError, match=r"screener_en.toml: not valid TOML"):
        read_screener(path)


def test_a_missing_file(tmp_path) -> None:
    with pytest.raises(LiteracyDataError, match=r"screener_zh.toml: file not found"):
        read_screener(tmp_path / "screener_zh.toml")


@pytest.fixture
def literacy_dir(tmp_path, monkeypatch):
    """A copy of resources/literacy that a test may break; caches cleared around it."""
    import shutil

    from chatapp.literacy import _data, readability, style, teachback

    folder = tmp_path / "literacy"
    shutil.copytree(resource_path("literacy"), folder)
    monkeypatch.setattr(_data, "data_path", lambda name: folder / name)
    loaders = (readability._config, style._style, teachback._texts)
    for loader in loaders:
        loader.cache_clear()
    yield folder
    for loader in loaders:
        loader.cache_clear()


@pytest.mark.parametrize("name, old, new, field, call", [
    ("readability.toml", "max_sentence_length = 15", "max_sentence_length = 0",
     "field 'chinese.basic.max_sentence_length' must be between",
     lambda: score_text("多喝水。", "zh")),
    ("readability.toml", 'none = "难读"', "", "field 'badge.zh.none' is missing",
     lambda: score_text("Drink water.", "en")),
    ("style_en.toml", "of {max_sentence} words", "of {max_words} words",
     "field 'level.basic.rules[1]' has an unknown placeholder",
     lambda: style_instructions("basic", "en")),
    ("style_zh.toml", 'language = "zh"', 'language = "en"', "field 'language' must be 'zh'",
     lambda: style_instructions("basic", "zh")),
    ("teachback_en.toml", "max_questions = 2", "max_questions = 5",
     "field 'max_questions' must be 1 or 2",
     lambda: teach_back("Rest.", "en")),
    ("teachback_zh.toml", "{reply}", "{patient}", "field 'feedback' has an unknown placeholder",
     lambda: feedback_prompt("问题", "回答", "zh")),
])
def test_every_data_file_names_its_broken_field(literacy_dir, name, old, new, field, call) -> None:
    path = literacy_dir / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(LiteracyDataError) as caught:
        call()
    assert name in str(caught.value) and field in str(caught.value)
