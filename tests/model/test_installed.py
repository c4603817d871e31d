"""Installed models: import checks a file before it is offered; the registry keeps the choice."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from gguf_files import write_gguf

from model import ModelCorruptError, ModelNotFoundError, UnsupportedModelError
from model.gguf_check import check_gguf
from model.installed import InstalledModels, RegistryError

STANDIN = os.environ.get("CARECHAT_STANDIN_05B", "")  # benchmarks/standins.py writes it


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    (tmp_path / "usb").mkdir()
    return write_gguf(tmp_path / "usb" / "Clinic Model Q4.gguf")


def test_an_imported_file_is_copied_registered_and_usable(tiny, tmp_path) -> None:
    installed = InstalledModels(tmp_path / "models")
    seen = []
    item = installed.import_file(tiny, progress=lambda d, t: seen.append((d, t)))
    assert item.id == "clinic-model-q4"
    assert installed.path_of(item).read_bytes() == tiny.read_bytes()
    assert (item.architecture, item.source, item.size) == ("qwen2", "import", tiny.stat().st_size)
    assert seen[-1] == (tiny.stat().st_size,) * 2
    assert installed.chosen() == ""  # importing does not switch models
    installed.use(item.id)
    assert installed.chosen() == str(installed.path_of(item))
    assert installed.resolve(item.id) == str(installed.path_of(item))
    assert not [p for p in (tmp_path / "models").iterdir() if p.name.endswith(".part")]


def test_the_same_file_twice_is_one_model(tiny, tmp_path) -> None:
    installed = InstalledModels(tmp_path / "models")
    first = installed.import_file(tiny)
    again = installed.import_file(tiny)
    assert again.id == first.id
    assert len(installed.all()) == 1
    assert len(list((tmp_path / "models").glob("*.gguf"))) == 1


def test_a_known_file_takes_its_catalog_id(tiny, tmp_path) -> None:
    installed = InstalledModels(tmp_path / "models")
    item = installed.import_file(tiny, known=lambda sha: ("tiny-catalog", ("en", "zh")))
    assert (item.id, item.languages) == ("tiny-catalog", ("en", "zh"))


@pytest.mark.parametrize("make, error, words", [
    (lambda p: p.write_bytes(write_gguf(p).read_bytes()[:-200]), ModelCorruptError,
     "damaged or incomplete"),
    (lambda p: write_gguf(p, chat_template=None), UnsupportedModelError, "no chat template"),
    (lambda p: write_gguf(p, architecture="gemma2"), UnsupportedModelError, "'gemma2'"),
    (lambda p: p.write_bytes(b"PK\x03\x04 a zip file"), ModelCorruptError, "not a GGUF"),
])
def test_a_file_that_cannot_be_used_is_refused_before_copying(tmp_path, make, error,
                                                              words) -> None:
    path = tmp_path / "bad.gguf"
    make(path)
    installed = InstalledModels(tmp_path / "models")
    with pytest.raises(error, match=words):
        installed.import_file(path)
    assert installed.all() == []
    assert not (tmp_path / "models").exists() or not list((tmp_path / "models").iterdir())


def test_remove_deletes_the_file_and_the_choice(tiny, tmp_path) -> None:
    installed = InstalledModels(tmp_path / "models")
    item = installed.import_file(tiny)
    installed.use(item.id)
    installed.remove(item.id)
    assert not installed.path_of(item).exists()
    assert installed.all() == [] and installed.chosen() == ""
    with pytest.raises(ModelNotFoundError):
        installed.remove(item.id)


def test_using_an_unknown_id_is_refused(tmp_path) -> None:
    with pytest.raises(ModelNotFoundError, match="carechat models list"):
        InstalledModels(tmp_path).use("nothing-like-it")


def test_speed_is_recorded_per_model(tiny, tmp_path) -> None:
    installed = InstalledModels(tmp_path / "models")
    item = installed.import_file(tiny)
    installed.record_speed(str(installed.path_of(item)), 41.26)
    assert installed.get(item.id).tokens_per_s == 41.3


def test_a_damaged_registry_is_reported_not_guessed(tmp_path) -> None:
    folder = tmp_path / "models"
    folder.mkdir()
    (folder / "models.json").write_text("{ not json", encoding="utf-8")
    with pytest.raises(RegistryError, match="Remove that file"):
        InstalledModels(folder).all()


def test_the_registry_is_replaced_whole(tiny, tmp_path) -> None:
    installed = InstalledModels(tmp_path / "models")
    installed.import_file(tiny)
    data = json.loads(installed.registry.read_text(encoding="utf-8"))
    assert set(data) == {"models", "in_use", "advised"}
    assert not list((tmp_path / "models").glob(".models.json.*.tmp"))


@pytest.mark.skipif(not Path(STANDIN).is_file(), reason="set CARECHAT_STANDIN_05B "
                    "(benchmarks/standins.py) to check the real 0.5B file")
def test_the_real_qwen_file_is_accepted_and_a_truncated_copy_refused(tmp_path) -> None:
    facts = check_gguf(Path(STANDIN))
    assert (facts.architecture, facts.chat_template) == ("qwen2", True)
    cut = tmp_path / "cut.gguf"
    with Path(STANDIN).open("rb") as src, cut.open("wb") as dst:
        dst.write(src.read(facts.size - 1_000_000))
    with pytest.raises(ModelCorruptError):
        check_gguf(cut)
