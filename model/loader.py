"""Load a model spec onto a device and wrap it in an Engine."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import torch
from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer
from transformers.models.auto.modeling_auto import MODEL_FOR_CAUSAL_LM_MAPPING_NAMES
from transformers.utils import logging as hf_logging

from . import convert
from .device import configure_cpu_threads, dtype_for, resolve_device
from .engine import Engine, ModelInfo
from .errors import (
    ModelCorruptError,
    ModelError,
    ModelNotFoundError,
    ModelOutOfMemoryError,
    UnsupportedModelError,
)
from .locate import ModelSource, locate

# Our own status messages replace transformers' progress bars and notices.
hf_logging.set_verbosity_error()
hf_logging.disable_progress_bar()

Progress = Callable[[str], None]


def load(
    spec: str = "default",
    device: str = "auto",
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> Engine:
    report = progress or (lambda message: None)
    started = time.perf_counter()
    report("Looking for the model…")
    source = locate(spec)
    target = resolve_device(device)
    dtype = dtype_for(target)
    if target.type == "cpu":
        configure_cpu_threads()
    notice = ""
    try:
        if source.kind == "gguf":
            cache = _cache_dir(cache_dir)
            model, tokenizer, loaded_from, notice = _load_gguf(source, cache, report)
        else:
            report("Loading the model…")
            model, tokenizer = load_folder(source.path)
            loaded_from = "folder"
        report("Starting the model on the graphics card…" if target.type != "cpu"
               else "Starting the model…")
        model = model.to(device=target, dtype=dtype).eval()
    except (MemoryError, torch.OutOfMemoryError) as exc:
        raise ModelOutOfMemoryError(
            f"There is not enough memory to load {source.name}.",
            "Close other programs, or choose a smaller model or the device 'cpu'.",
        ) from exc
    info = ModelInfo(
        name=source.name,
        device=str(target),
        dtype=str(dtype).removeprefix("torch."),
        source=str(source.path),
        context_length=int(getattr(model.config, "max_position_embeddings", 2048)),
        loaded_from=loaded_from,
        load_ms=round((time.perf_counter() - started) * 1000, 1),
        notice=notice,
    )
    engine = Engine(model, tokenizer, info)
    report("Ready")
    return engine


def _cache_dir(cache_dir: Path | None) -> Path:
    if cache_dir is not None:
        return Path(cache_dir)
    import platformdirs

    return Path(platformdirs.user_cache_dir("CareChat", appauthor=False)) / "models"


def _load_gguf(source: ModelSource, cache_dir: Path, report: Progress):
    report("Checking the model file…")
    digest = convert.cached_sha256(source.path, cache_dir / "hashes.json")
    folder = convert.cache_folder(cache_dir, digest)
    if convert.is_complete(folder):
        report("Loading the model…")
        try:
            model, tokenizer = load_folder(folder)
            return model, tokenizer, "cache", ""
        except ModelError:
            report("The saved copy of the model is damaged; preparing it again…")
    report("Preparing the model for its first use. This happens once and can take a minute…")
    model, tokenizer = convert.convert_gguf(source)
    try:
        convert.save_cache(model, tokenizer, source, folder)
        notice = ""
    except OSError as exc:
        # The model still runs from memory; only the next start is slower.
        notice = (
            f"The prepared model could not be saved in {cache_dir} ({exc.strerror or exc}), "
            "so the next start will take longer again."
        )
    return model, tokenizer, "gguf", notice


def load_folder(folder: Path):
    """Load a Hugging Face model folder (safetensors + tokenizer) from disk only."""
    try:
        config = AutoConfig.from_pretrained(folder, local_files_only=True)
    except ValueError as exc:
        raise UnsupportedModelError(
            f"The model in {folder} is of a kind this app does not know ({exc}).",
            "Choose a Llama-, Qwen2-, Mistral- or Phi-3-style instruct model.",
        ) from exc
    except OSError as exc:
        raise ModelCorruptError(
            f"The model settings in {folder} cannot be read ({exc}).",
            "Copy the model folder again from its source.",
        ) from exc
    if config.model_type not in MODEL_FOR_CAUSAL_LM_MAPPING_NAMES:
        raise UnsupportedModelError(
            f"The model in {folder} is a '{config.model_type}' model, which cannot "
            "write answers.",
            "Choose a text-generation (causal, instruct) model such as Llama, "
            "Qwen2, Mistral or Phi-3.",
        )
    try:
        tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    except (OSError, ValueError, TypeError) as exc:
        raise ModelNotFoundError(
            f"The model folder {folder} has no usable tokenizer ({exc}).",
            "Copy the whole model folder, including tokenizer.json or tokenizer.model.",
        ) from exc
    if not any(Path(folder).glob("*.safetensors")) and not any(Path(folder).glob("*.bin")):
        raise ModelNotFoundError(
            f"The model folder {folder} has no weight files.",
            "Copy the whole model folder, including its .safetensors files.",
        )
    try:
        model = AutoModelForCausalLM.from_pretrained(
            folder, config=config, local_files_only=True, dtype="float32"
        )
    except (MemoryError, torch.OutOfMemoryError):
        raise
    except Exception as exc:  # safetensors and torch raise many kinds for a bad file
        raise ModelCorruptError(
            f"The model weights in {folder} are damaged or incomplete "
            f"({type(exc).__name__}: {exc}).",
            "Copy the model folder again from its source.",
        ) from exc
    return model.eval(), tokenizer
