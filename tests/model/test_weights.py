from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

import model
from model.weights import WeightFiles, model_files

TENSORS = {
    "a.weight": torch.arange(24, dtype=torch.float32).reshape(6, 4),
    "b.bias": torch.tensor([1.5, -2.0], dtype=torch.bfloat16),
    "c.codes": torch.arange(10, dtype=torch.uint8),
}


@pytest.fixture
def weights_file(tmp_path: Path) -> Path:
    path = tmp_path / "model.safetensors"
    save_file(TENSORS, str(path))
    return path


def test_reads_every_tensor_as_saved(weights_file: Path) -> None:
    files = WeightFiles([weights_file])
    assert sorted(files.names()) == sorted(TENSORS)
    for name, tensor in TENSORS.items():
        got = files.read(name)
        assert got.dtype == tensor.dtype
        assert torch.equal(got, tensor)
    assert "a.weight" in files and "nope" not in files
    assert files.rows("a.weight") == 6


def test_rows_and_stored_rows(weights_file: Path) -> None:
    files = WeightFiles([weights_file])
    assert torch.equal(files.read_rows("a.weight", 2, 5), TENSORS["a.weight"][2:5])
    assert torch.equal(files.read_rows("a.weight", 4, 99), TENSORS["a.weight"][4:])
    assert torch.equal(files.stored_rows("a.weight")[3], TENSORS["a.weight"][3])


@pytest.mark.parametrize("keep", [0, 5, 40, -8])
def test_damaged_files_are_corrupt(weights_file: Path, keep: int) -> None:
    data = weights_file.read_bytes()
    weights_file.write_bytes(data[:keep] if keep >= 0 else data[:keep])
    with pytest.raises(model.ModelCorruptError) as err:
        WeightFiles([weights_file])
    assert "damaged or incomplete" in err.value.message


def test_garbage_header_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "model.safetensors"
    path.write_bytes((12).to_bytes(8, "little") + b"not json at all")
    with pytest.raises(model.ModelCorruptError):
        WeightFiles([path])


def test_missing_tensor_is_corrupt(weights_file: Path) -> None:
    with pytest.raises(model.ModelCorruptError) as err:
        WeightFiles([weights_file]).read("model.norm.weight")
    assert "model.norm.weight" in err.value.message


def test_model_files_follow_the_shard_index(tmp_path: Path) -> None:
    save_file({"x": torch.zeros(2)}, str(tmp_path / "model-00001-of-00002.safetensors"))
    save_file({"y": torch.ones(2)}, str(tmp_path / "model-00002-of-00002.safetensors"))
    save_file({"z": torch.ones(2)}, str(tmp_path / "int4.safetensors"))  # not a model file
    index = {"weight_map": {"x": "model-00001-of-00002.safetensors",
                            "y": "model-00002-of-00002.safetensors"}}
    (tmp_path / "model.safetensors.index.json").write_text(json.dumps(index))
    files = model_files(tmp_path)
    assert [p.name for p in files] == ["model-00001-of-00002.safetensors",
                                       "model-00002-of-00002.safetensors"]
    assert sorted(WeightFiles(files).names()) == ["x", "y"]


def test_stored_rows_read_only_the_rows_asked_for(weights_file: Path) -> None:
    rows = WeightFiles([weights_file]).stored_rows("a.weight")
    pick = torch.tensor([[5, 0], [2, 2]])
    got = rows[pick]
    assert got.shape == (2, 2, 4)
    assert torch.equal(got, TENSORS["a.weight"][pick])
    rows.close()


def test_stored_rows_of_a_file_cut_short_are_corrupt(weights_file: Path) -> None:
    rows = WeightFiles([weights_file]).stored_rows("a.weight")
    data = weights_file.read_bytes()
    weights_file.write_bytes(data[: len(data) - 40])  # cut after the header was read
    with pytest.raises(model.ModelCorruptError):
        rows[torch.tensor([5])]
