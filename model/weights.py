"""Read tensors from safetensors files one at a time, without mapping them whole.

Loading every weight at once and converting it afterwards holds both copies in
memory at the peak. This reader hands out one tensor at a time, read with plain
file reads (page-cache pages are not counted against the process), so the
converted weights are all that stay. A matrix of which each step needs only a
few rows (the embedding table, the output matrix's exact rows) stays in the
file, and its rows are read when asked for (``StoredRows``).
"""

from __future__ import annotations

import json
import os
import struct
from dataclasses import dataclass
from pathlib import Path

import torch

from .errors import ModelCorruptError

DTYPES = {
    "F32": torch.float32,
    "F16": torch.float16,
    "BF16": torch.bfloat16,
    "F64": torch.float64,
    "I64": torch.int64,
    "I32": torch.int32,
    "I16": torch.int16,
    "I8": torch.int8,
    "U8": torch.uint8,
    "BOOL": torch.bool,
}
MAX_HEADER = 100 * 2**20


@dataclass(frozen=True)
class _Entry:
    path: Path
    dtype: torch.dtype
    shape: tuple[int, ...]
    start: int  # absolute offset in the file
    end: int


def _corrupt(path: Path, why: str) -> ModelCorruptError:
    return ModelCorruptError(
        f"The model weights in {path} are damaged or incomplete ({why}).",
        "Copy the model folder again from its source.",
    )


def _read_header(path: Path) -> dict[str, _Entry]:
    size = path.stat().st_size
    with path.open("rb") as fh:
        raw = fh.read(8)
        if len(raw) < 8:
            raise _corrupt(path, "no header")
        (length,) = struct.unpack("<Q", raw)
        if length > min(MAX_HEADER, size - 8):
            raise _corrupt(path, "header longer than the file")
        try:
            header = json.loads(fh.read(length))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise _corrupt(path, f"unreadable header: {exc}") from exc
    if not isinstance(header, dict):
        raise _corrupt(path, "header is not a table")
    base = 8 + length
    entries = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        try:
            dtype = DTYPES[meta["dtype"]]
            shape = tuple(int(d) for d in meta["shape"])
            begin, end = (int(o) for o in meta["data_offsets"])
        except (KeyError, TypeError, ValueError) as exc:
            raise _corrupt(path, f"bad entry for {name}: {exc}") from exc
        count = 1
        for dim in shape:
            count *= dim
        if end - begin != count * dtype.itemsize or base + end > size or begin < 0:
            raise _corrupt(path, f"{name} lies outside the file")
        entries[name] = _Entry(path, dtype, shape, base + begin, base + end)
    return entries


def model_files(folder: Path) -> list[Path]:
    """The weight files transformers would read: the index's shards, or model.safetensors."""
    folder = Path(folder)
    index = folder / "model.safetensors.index.json"
    if index.is_file():
        try:
            shards = sorted(set(json.loads(index.read_text(encoding="utf-8"))["weight_map"]
                                .values()))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise _corrupt(index, f"unreadable index: {exc}") from exc
        return [folder / name for name in shards]
    single = folder / "model.safetensors"
    return [single] if single.is_file() else []


class WeightFiles:
    """The tensors of some ``.safetensors`` files, by name."""

    def __init__(self, files: list[Path]) -> None:
        if not files:
            raise ModelCorruptError(
                "The model folder has no .safetensors weights.",
                "Copy the whole model folder, including its .safetensors files.",
            )
        self._entries: dict[str, _Entry] = {}
        for path in files:
            if not path.is_file():
                raise _corrupt(path, "the file is missing")
            self._entries.update(_read_header(path))

    def __contains__(self, name: str) -> bool:
        return name in self._entries

    def names(self) -> list[str]:
        return list(self._entries)

    def rows(self, name: str) -> int:
        return self._entry(name).shape[0]

    def read(self, name: str) -> torch.Tensor:
        """A fresh tensor holding ``name``'s values, read from disk now."""
        entry = self._entry(name)
        return self._read(name, entry.start, entry.shape)

    def read_rows(self, name: str, start: int, stop: int) -> torch.Tensor:
        """Rows ``start:stop`` of a matrix (rows lie one after another in the file)."""
        entry = self._entry(name)
        stop = min(stop, entry.shape[0])
        row = entry.dtype.itemsize
        for dim in entry.shape[1:]:
            row *= dim
        return self._read(name, entry.start + start * row, (stop - start, *entry.shape[1:]))

    def _read(self, name: str, offset: int, shape: tuple[int, ...]) -> torch.Tensor:
        path = self._entry(name).path
        out = torch.empty(shape, dtype=self._entry(name).dtype)
        if not out.numel():
            return out
        view = memoryview(out.view(-1).view(torch.uint8).numpy())
        with path.open("rb") as fh:
            fh.seek(offset)
            if fh.readinto(view) != len(view):
                raise _corrupt(path, f"{name} is cut short")
        return out

    def stored_rows(self, name: str) -> StoredRows:
        """``name``'s rows, each read from the file when it is asked for."""
        return StoredRows(self._entry(name), name)

    def _entry(self, name: str) -> _Entry:
        try:
            return self._entries[name]
        except KeyError:
            raise ModelCorruptError(
                f"The model weights have no tensor {name!r}.",
                "Copy the model folder again from its source.",
            ) from None


class StoredRows:
    """A matrix left in its file; indexing reads just the rows asked for.

    For a matrix of which each step needs a few scattered rows (the output
    matrix's exact rows for a shortlist of tokens): a mapped file would read
    the 64 KiB around each row (the kernel's fault-around) and, over a
    conversation, keep most of the matrix resident. File reads land in the page
    cache, which is not the process's memory.
    """

    def __init__(self, entry: _Entry, name: str) -> None:
        self.name, self.dtype, self.shape = name, entry.dtype, entry.shape
        self._start = entry.start
        self._row = entry.dtype.itemsize
        for dim in entry.shape[1:]:
            self._row *= dim
        self._file = entry.path.open("rb", buffering=0)

    def __getitem__(self, index: torch.Tensor | int) -> torch.Tensor:
        """Rows ``index`` (a row number, or a tensor of them of any shape), shaped
        ``(*index.shape, ...)``."""
        index = torch.as_tensor(index)
        wanted = index.reshape(-1).tolist()
        out = torch.empty((len(wanted), *self.shape[1:]), dtype=self.dtype)
        if out.numel():
            view = memoryview(out.view(-1).view(torch.uint8).numpy())
            for k, row in enumerate(wanted):
                self._read_into(view[k * self._row:(k + 1) * self._row],
                                self._start + row * self._row)
        return out.view(*index.shape, *self.shape[1:])

    def _read_into(self, view: memoryview, offset: int) -> None:
        if hasattr(os, "preadv"):  # one call, no shared file position
            done = os.preadv(self._file.fileno(), [view], offset)
        else:  # Windows
            self._file.seek(offset)
            done = self._file.readinto(view)
        if done != len(view):
            raise _corrupt(Path(self._file.name), f"{self.name} is cut short")

    def close(self) -> None:
        self._file.close()
