from __future__ import annotations

from pathlib import Path

import pytest

from chatapp.config import default_data_dir, load_settings
from model.constants import default_cache_dir


def test_defaults_use_the_platform_data_dir() -> None:
    settings = load_settings(env={})
    assert settings.data_dir == default_data_dir()
    assert "carechat" in str(settings.data_dir).lower()
    assert settings.model == "default"
    assert settings.device == "auto"
    # The prepared model is shared by every data folder, in the user cache folder.
    assert settings.model_cache_dir == default_cache_dir({})
    assert settings.model_cache_dir.name == "models"
    assert settings.data_dir not in settings.model_cache_dir.parents


def test_cache_dir_from_the_environment(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "data", env={"CARECHAT_CACHE_DIR": str(tmp_path)})
    assert settings.model_cache_dir == tmp_path / "models"
    other = load_settings(tmp_path / "other", env={"CARECHAT_CACHE_DIR": str(tmp_path)})
    assert other.model_cache_dir == settings.model_cache_dir


def test_environment_overrides_defaults(tmp_path: Path) -> None:
    env = {"CARECHAT_DATA_DIR": str(tmp_path), "CARECHAT_MODEL": "/m.gguf",
           "CARECHAT_DEVICE": "cpu"}
    settings = load_settings(env=env)
    assert (settings.data_dir, settings.model, settings.device) == (tmp_path, "/m.gguf", "cpu")


def test_options_override_environment(tmp_path: Path) -> None:
    env = {"CARECHAT_DATA_DIR": "/elsewhere", "CARECHAT_DEVICE": "cuda"}
    settings = load_settings(data_dir=tmp_path, device="cpu", env=env)
    assert settings.data_dir == tmp_path
    assert settings.device == "cpu"


def test_bad_device_in_environment_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="Unknown device 'gpu'"):
        load_settings(env={"CARECHAT_DEVICE": "gpu"})


def test_settings_remember_what_was_given_explicitly(tmp_path: Path) -> None:
    plain = load_settings(tmp_path, env={})
    assert plain.explicit == frozenset()
    given = load_settings(tmp_path, model="x.gguf", env={"CARECHAT_LANG": "zh"})
    assert given.explicit == {"model", "language"}
