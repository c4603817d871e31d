"""kiosk.toml: defaults, every setting, and clear errors for bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatapp.kiosk_config import (
    DEFAULT_TOPICS,
    KioskConfig,
    KioskConfigError,
    kiosk_requested,
    load_kiosk_config,
    parse_kiosk_config,
)
from chatapp.knowledge import LibraryIndex


def test_no_file_means_the_defaults(tmp_path: Path) -> None:
    config = load_kiosk_config(tmp_path)
    assert config == KioskConfig()
    assert (config.idle_seconds, config.countdown_seconds) == (120, 15)
    assert not config.enabled and config.handouts and config.printer == ""


def test_every_setting_is_read(tmp_path: Path) -> None:
    (tmp_path / "kiosk.toml").write_text(
        'enabled = true\nidle_seconds = 90\ncountdown_seconds = 10\nlanguage = "zh"\n'
        'printer = "Front desk"\nhandouts = false\ntopics = ["asthma-and-inhalers"]\n',
        encoding="utf-8")
    assert load_kiosk_config(tmp_path) == KioskConfig(
        True, 90, 10, "zh", "Front desk", False, ("asthma-and-inhalers",))


@pytest.mark.parametrize(("text", "says"), [
    ("idle_seconds = 5", "idle_seconds must be a whole number from 15 to 3600"),
    ("idle_seconds = 90.5", "idle_seconds must be a whole number"),
    ("countdown_seconds = true", "countdown_seconds must be a whole number from 5 to 120"),
    ('language = "fr"', "language must be one of en, zh"),
    ('enabled = "yes"', "enabled must be true or false"),
    ("printer = 3", "printer must be a printer's name"),
    ('topics = "asthma"', "topics must be a list"),
    ("idle_secs = 60", "unknown setting idle_secs"),
    ("idle_seconds = ", "is not valid TOML"),
])
def test_a_bad_value_names_the_file_the_setting_and_the_rule(tmp_path: Path, text: str,
                                                             says: str) -> None:
    (tmp_path / "kiosk.toml").write_text(text + "\n", encoding="utf-8")
    with pytest.raises(KioskConfigError) as error:
        load_kiosk_config(tmp_path)
    assert says in str(error.value)
    assert str(tmp_path / "kiosk.toml") in str(error.value)


def test_kiosk_mode_is_asked_for_by_flag_environment_or_file() -> None:
    off, on = KioskConfig(), KioskConfig(enabled=True)
    assert not kiosk_requested(False, {}, off)
    assert kiosk_requested(True, {}, off)
    assert kiosk_requested(False, {"CARECHAT_KIOSK": "1"}, off)
    assert not kiosk_requested(False, {"CARECHAT_KIOSK": "0"}, off)
    assert kiosk_requested(False, {}, on)


def test_the_default_tiles_are_articles_in_the_library() -> None:
    index = LibraryIndex.load()
    assert len(DEFAULT_TOPICS) == 8
    for article_id in DEFAULT_TOPICS:
        assert index.article(article_id, "en") is not None, article_id
    assert parse_kiosk_config({}).topics == DEFAULT_TOPICS
