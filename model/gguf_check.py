"""Check a GGUF file before it is offered: readable, complete, a kind CareChat runs.

A file copied from a USB stick or half-downloaded must be refused with a clear
reason here, not fail 40 seconds into its first start. Reading is done by the
``gguf`` package (llama.cpp's own reader, already installed with transformers'
GGUF support); nothing is loaded into memory but the header.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .catalog import OWN_LOOP_ARCHITECTURES, SUPPORTED_ARCHITECTURES
from .errors import ModelCorruptError, UnsupportedModelError
from .locate import GGUF_MAGIC


@dataclass(frozen=True)
class GgufFacts:
    """What the header of a valid file says."""

    architecture: str
    name: str
    size: int
    tensors: int
    context_length: int
    chat_template: bool
    file_type: int | None

    @property
    def own_loop(self) -> bool:
        return self.architecture in OWN_LOOP_ARCHITECTURES


def _field(reader, key: str):
    field = reader.fields.get(key)
    if field is None:
        return None
    try:
        return field.contents()
    except (IndexError, ValueError, UnicodeDecodeError):
        return None


def check_gguf(path: Path) -> GgufFacts:
    """The file's facts, or ModelCorruptError / UnsupportedModelError saying what is wrong."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise ModelCorruptError(f"{path} cannot be read ({exc.strerror or exc}).",
                                "Check the file and that CareChat may read it.") from exc
    if magic != GGUF_MAGIC:
        raise ModelCorruptError(f"{path.name} is not a GGUF model file.",
                                "Choose a .gguf model file.")
    from gguf import GGUFReader

    try:
        reader = GGUFReader(path, "r")
    except (ValueError, IndexError, KeyError, OSError, UnicodeDecodeError) as exc:
        # The reader maps every tensor it is told about: a cut file fails here.
        raise _truncated(path, f"{type(exc).__name__}: {exc}") from exc
    # A tensor may end exactly at the end of the file but never past it.
    end = max((int(t.data_offset) + int(t.n_bytes) for t in reader.tensors), default=0)
    if not reader.tensors or end > size:
        raise _truncated(path, f"its tensors need {end:,} bytes, the file has {size:,}")
    architecture = str(_field(reader, "general.architecture") or "")
    if architecture not in SUPPORTED_ARCHITECTURES:
        raise UnsupportedModelError(
            f"{path.name} is a '{architecture or 'unknown'}' model, a kind CareChat "
            "cannot run.",
            "Choose a Llama-, Mistral-, Qwen2-, Qwen3- or Phi-3-style instruct model "
            f"({', '.join(sorted(SUPPORTED_ARCHITECTURES))}).",
        )
    template = _field(reader, "tokenizer.chat_template")
    if not isinstance(template, str) or not template.strip():
        raise UnsupportedModelError(
            f"{path.name} has no chat template, so it is not a chat (instruct) model "
            "or was converted without one.",
            "Choose the instruct version of the model, as a GGUF file made with its "
            "chat template.",
        )
    context = _field(reader, f"{architecture}.context_length")
    file_type = _field(reader, "general.file_type")
    return GgufFacts(
        architecture=architecture,
        name=str(_field(reader, "general.name") or path.stem),
        size=size,
        tensors=len(reader.tensors),
        context_length=int(context) if isinstance(context, int) else 0,
        chat_template=True,
        file_type=int(file_type) if isinstance(file_type, int) else None,
    )


def _truncated(path: Path, why: str) -> ModelCorruptError:
    return ModelCorruptError(
        f"{path.name} is damaged or incomplete ({why}).",
        "Copy or download the file again; a copy cut short cannot be used.",
    )
