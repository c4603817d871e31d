"""Load a model spec onto a device and wrap it in an Engine."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import torch
from transformers import AutoConfig, AutoTokenizer
from transformers.models.auto.modeling_auto import MODEL_FOR_CAUSAL_LM_MAPPING_NAMES
from transformers.utils import logging as hf_logging

from . import convert, memory
from .constants import default_cache_dir
from .device import (
    TRANSFORMERS,
    configure_cpu_threads,
    dtype_for,
    resolve_device,
    weight_format_for,
)
from .engine import Engine, ModelInfo, end_ids
from .errors import (
    ModelCorruptError,
    ModelError,
    ModelNotFoundError,
    ModelOutOfMemoryError,
    UnsupportedModelError,
)
from .locate import ModelSource, locate
from .runner import LlamaRunner, ModelWeights, Tensors, unsupported_reason
from .weights import WeightFiles, model_files

# Our own status messages replace transformers' progress bars and notices.
hf_logging.set_verbosity_error()
hf_logging.disable_progress_bar()

Progress = Callable[[str], None]


def load(
    spec: str = "default",
    device: str = "auto",
    cache_dir: Path | None = None,
    progress: Progress | None = None,
    weights: str = "auto",
) -> Engine:
    report = progress or (lambda message: None)
    started = time.perf_counter()
    report("Looking for the model…")
    source = locate(spec)
    target = resolve_device(device)
    fmt = weight_format_for(target, weights)
    if target.type == "cpu":
        configure_cpu_threads()
    notice = ""
    try:
        with memory.returned_promptly():
            if source.kind == "gguf":
                cache = _cache_dir(cache_dir)
                loaded, loaded_from, notice = _load_gguf(source, cache, fmt, report)
            else:
                report("Loading the model…")
                loaded, loaded_from = load_prepared(source.path, fmt), "folder"
            if loaded.runner is None:
                report("Starting the model on the graphics card…" if target.type != "cpu"
                       else "Starting the model…")
                loaded.model = loaded.model.to(device=target, dtype=dtype_for(target)).eval()
            else:
                report("Starting the model…")
                loaded.runner.warm_up()
    except (MemoryError, torch.OutOfMemoryError) as exc:
        raise ModelOutOfMemoryError(
            f"There is not enough memory to load {source.name}.",
            "Close other programs, or choose a smaller model or the device 'cpu'.",
        ) from exc
    runner = loaded.runner
    info = ModelInfo(
        name=source.name,
        device=str(target),
        # Activations: our own loop keeps float32 whatever the weights' format.
        dtype="float32" if runner else str(dtype_for(target)).removeprefix("torch."),
        source=str(source.path),
        context_length=int(getattr(loaded.config, "max_position_embeddings", 2048)),
        loaded_from=loaded_from,
        load_ms=round((time.perf_counter() - started) * 1000, 1),
        notice=notice,
        weights=runner.weight_format if runner else "transformers",
    )
    engine = Engine(loaded.model, loaded.tokenizer, info, runner=runner,
                    eos_ids=loaded.eos_ids)
    report("Ready")
    return engine


@dataclass
class Loaded:
    """A model ready to wrap: our runner, or a transformers model (exactly one)."""

    config: object
    tokenizer: object
    runner: LlamaRunner | None = None
    model: object | None = None
    eos_ids: frozenset[int] = frozenset()


def _cache_dir(cache_dir: Path | None) -> Path:
    return default_cache_dir() if cache_dir is None else Path(cache_dir)


def _load_gguf(source: ModelSource, cache_dir: Path, fmt: str, report: Progress):
    report("Checking the model file…")
    digest = convert.cached_sha256(source.path, cache_dir / "hashes.json")
    folder = convert.cache_folder(cache_dir, digest)
    was_there = convert.is_complete(folder)
    loaded = _load_cached(folder, fmt, report)
    if loaded is not None:
        return loaded, "cache", ""

    def waiting() -> None:
        report("Another CareChat is preparing the model; waiting for it to finish…")

    with convert.preparing(folder, on_wait=waiting) as waited:
        # Another CareChat may have saved it meanwhile: while this one waited for
        # the lock, or between the look above and taking the lock.
        if waited or (not was_there and convert.is_complete(folder)):
            loaded = _load_cached(folder, fmt, report)
            if loaded is not None:
                return loaded, "cache", ""
        report("Preparing the model for its first use. This happens once and can take "
               "a minute…")
        if fmt != TRANSFORMERS:
            streamed = _streamed(source, folder, fmt, report)
            if streamed is not None:
                return streamed, "gguf", ""
        model, tokenizer = convert.convert_gguf(source)
        codes = None
        try:
            # The 4-bit codes made for the cache serve this start too: quantized once.
            codes = convert.save_cache(model, tokenizer, source, folder)
            notice = ""
        except OSError as exc:
            # The model still runs from memory; only the next start is slower.
            notice = (
                f"The prepared model could not be saved in {cache_dir} "
                f"({exc.strerror or exc}), so the next start will take longer again."
            )
    return _from_model(model, tokenizer, fmt, codes), "gguf", notice


def _streamed(source: ModelSource, folder: Path, fmt: str, report: Progress) -> Loaded | None:
    """The cache written a tensor at a time, then loaded like any later start; None
    where this file needs transformers' conversion, or the cache cannot be written
    (the caller then converts in memory, which can run without saving)."""
    try:
        if not convert.stream_cache(source, folder):
            return None
    except (OSError, NotImplementedError, ValueError):
        # Not writable, or a block type gguf cannot de-quantize: transformers'
        # conversion runs from memory, or says what is wrong with the file.
        return None
    return _load_cached(folder, fmt, report)


def _load_cached(folder: Path, fmt: str, report: Progress) -> Loaded | None:
    """The prepared copy in ``folder``; None when there is none yet or it is damaged."""
    if not convert.is_complete(folder):
        return None
    report("Loading the model…")
    try:
        return load_prepared(folder, fmt)
    except ModelError:
        report("The saved copy of the model is damaged; preparing it again…")
        return None


def load_prepared(folder: Path, fmt: str) -> Loaded:
    """A model folder, through our own runner where it can, else through transformers."""
    config = _config(folder)
    files = model_files(folder)
    if fmt != TRANSFORMERS and not unsupported_reason(config) and files:
        tokenizer = _tokenizer(folder)
        weights = WeightFiles(files)
        saved_int4 = Path(folder) / convert.INT4_FILE
        prepared = WeightFiles([saved_int4]) if fmt == "int4" and saved_int4.is_file() else None
        try:
            runner = LlamaRunner(config, weights, fmt, prepared=prepared)
        except (MemoryError, torch.OutOfMemoryError):
            raise
        except (KeyError, RuntimeError, ValueError) as exc:
            raise ModelCorruptError(
                f"The model weights in {folder} are damaged or incomplete "
                f"({type(exc).__name__}: {exc}).",
                "Copy the model folder again from its source.",
            ) from exc
        return Loaded(config, tokenizer, runner=runner,
                      eos_ids=end_ids(_generation_eos(folder), config.eos_token_id))
    model, tokenizer = load_folder(folder)
    return Loaded(model.config, tokenizer, model=model)


def _from_model(model, tokenizer, fmt: str, codes: dict | None = None) -> Loaded:
    """``codes``: the 4-bit codes ``int4_tensors`` made of this model, if any."""
    if fmt == TRANSFORMERS or unsupported_reason(model.config):
        return Loaded(model.config, tokenizer, model=model)
    prepared = Tensors(codes) if codes is not None else None
    runner = LlamaRunner(model.config, ModelWeights(model), fmt, prepared=prepared)
    eos = getattr(model.generation_config, "eos_token_id", None)
    return Loaded(model.config, tokenizer, runner=runner,
                  eos_ids=end_ids(eos, model.config.eos_token_id))


def _generation_eos(folder: Path):
    """``eos_token_id`` of the folder's generation_config.json (None without one)."""
    try:
        data = json.loads((Path(folder) / "generation_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data.get("eos_token_id") if isinstance(data, dict) else None


def _config(folder: Path):
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
    return config


def _tokenizer(folder: Path):
    try:
        return AutoTokenizer.from_pretrained(folder, local_files_only=True)
    except (OSError, ValueError, TypeError) as exc:
        raise ModelNotFoundError(
            f"The model folder {folder} has no usable tokenizer ({exc}).",
            "Copy the whole model folder, including tokenizer.json or tokenizer.model.",
        ) from exc


def load_folder(folder: Path):
    """Load a Hugging Face model folder (safetensors + tokenizer) through transformers."""
    from transformers import AutoModelForCausalLM  # its model code takes ~2 s to import

    config = _config(folder)
    tokenizer = _tokenizer(folder)
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
