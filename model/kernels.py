"""Matrix-vector kernels for the decode loop, one class per weight format.

Decoding one token reads every weight once, so its speed is set by how many
bytes the weights take and by how well the kernel streams them. Each class
holds one linear layer's weight in its own format and maps float32 inputs
``[tokens, in]`` to float32 outputs ``[tokens, out]``; all use torch's own
kernels, nothing compiled here.

  float32   the reference: plain ``functional.linear``.
  float16   fbgemm's packed half-precision weights, float32 arithmetic
            (about half the bytes; each weight loses at most 1/2048 of its
            value, which in our measurements never changed a greedy token).
  int4      4-bit weights in groups of 32 with a scale and an offset each,
            the layout of a Q4_1 GGUF file, bf16 inputs (an eighth; lossy).

``ShortlistHead`` is the output matrix for the int4 format: 4-bit scores for
every token, then the few best recomputed exactly from the float32 matrix.
"""

from __future__ import annotations

import torch
from torch.nn import functional

FORMATS = ("float32", "float16", "int4")
INT4_GROUP = 32
FP16_BLOCK = 512
PACK_ROWS = 4096  # a multiple of 64: packed slices join into the whole's packing


class DenseLinear:
    format = "float32"

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor | None = None) -> None:
        self.weight = weight.detach().float().contiguous()
        self.bias = None if bias is None else bias.detach().float().contiguous()
        self.out_features = self.weight.shape[0]

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return functional.linear(x, self.weight, self.bias)

    def nbytes(self) -> int:
        return self.weight.numel() * 4


class Float16Linear:
    format = "float16"

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor | None = None) -> None:
        weight = weight.detach().float()
        # fbgemm pads the input dimension to a multiple of 512 (576 would take
        # 1024 rows): pack the multiple, keep the few columns left in float32
        # (RowSlices keeps an output matrix's tails in bf16).
        rows, cols = weight.shape
        self.split = cols - cols % FP16_BLOCK
        self.packed = torch.ops.quantized.linear_prepack_fp16(
            weight[:, : self.split].contiguous(), None
        )
        self.tail = weight[:, self.split :].contiguous() if self.split < cols else None
        self.bias = None if bias is None else bias.detach().float().contiguous()
        self.out_features = rows

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        out = torch.ops.quantized.linear_dynamic_fp16(x[:, : self.split], self.packed)
        if self.tail is not None:
            out = torch.addmm(out, x[:, self.split :], self.tail.t())
        return out if self.bias is None else out + self.bias

    def nbytes(self) -> int:
        tail = 0 if self.tail is None else self.tail.numel() * 4
        return self.out_features * self.split * 2 + tail


def quantize_int4(weight: torch.Tensor, group: int = INT4_GROUP):
    """Asymmetric 4-bit groups: ``w = q * scale + low`` with q in 0..15.

    For weights that came from a Q4_1 GGUF file this finds the file's own
    codes again: each Q4_1 block holds its minimum (q = 0) and maximum (q = 15).
    """
    rows, cols = weight.shape
    groups = weight.detach().float().reshape(rows, cols // group, group)
    low = groups.amin(dim=-1, keepdim=True)
    high = groups.amax(dim=-1, keepdim=True)
    scale = (high - low) / 15
    safe = torch.where(scale > 0, scale, torch.ones_like(scale))
    codes = ((groups - low) / safe).round().clamp(0, 15).to(torch.uint8).reshape(rows, cols)
    return codes, scale.squeeze(-1), low.squeeze(-1)


def pack_nibbles(codes: torch.Tensor) -> torch.Tensor:
    """Two 4-bit codes per byte, for saving."""
    return codes[:, 0::2] | (codes[:, 1::2] << 4)


def unpack_nibbles(packed: torch.Tensor) -> torch.Tensor:
    return torch.stack([packed & 15, packed >> 4], dim=-1).reshape(packed.shape[0], -1)


class Int4Linear:
    format = "int4"

    def __init__(self, weight: torch.Tensor | None, bias: torch.Tensor | None = None,
                 quantized: tuple[torch.Tensor, torch.Tensor, torch.Tensor] | None = None) -> None:
        """From a float ``weight``, or from ``quantized`` = (codes, scale, low) made before."""
        codes, scale, low = quantized if quantized is not None else quantize_int4(weight)
        parts = {"codes": pack_nibbles(codes), "scale": scale, "low": low}
        self._fill(lambda kind, start, stop: parts[kind][start:stop], codes.shape[0], bias)

    @classmethod
    def from_saved(cls, read_rows, rows: int, bias: torch.Tensor | None = None) -> Int4Linear:
        """From codes saved two to a byte (``pack_nibbles``) with their scales and
        offsets, read a slice of rows at a time by ``read_rows(kind, start, stop)``
        (kind: "codes", "scale", "low")."""
        self = cls.__new__(cls)
        self._fill(read_rows, rows, bias)
        return self

    def _fill(self, read_rows, rows: int, bias: torch.Tensor | None) -> None:
        """Build the kernel's layouts a slice of rows at a time, in place: the kernel
        wants the codes as int32 (four times their bytes), so the output matrix
        (the largest) costs its final bytes and one slice's temporaries."""
        first = read_rows("codes", 0, min(PACK_ROWS, rows))
        groups = first.shape[1] * 2 // INT4_GROUP
        self.packed = torch.empty((rows, first.shape[1]), dtype=torch.uint8)
        # The kernel computes (q - 8) * scale + zero.
        scales = torch.empty((groups, rows, 2), dtype=torch.bfloat16)
        for start in range(0, rows, PACK_ROWS):
            part = first if start == 0 else read_rows("codes", start, start + PACK_ROWS)
            stop = start + part.shape[0]
            codes = unpack_nibbles(part).to(torch.int32).contiguous()
            self.packed[start:stop] = torch.ops.aten._convert_weight_to_int4pack_for_cpu(codes, 1)
            scale = read_rows("scale", start, stop)
            scales[:, start:stop, 0] = scale.t()
            scales[:, start:stop, 1] = (read_rows("low", start, stop) + 8 * scale).t()
        self.scales = scales
        self.bias = None if bias is None else bias.detach().float().contiguous()
        self.out_features = rows
        self._bytes = rows * first.shape[1] + scales.numel() * 2

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        # bf16 out: callers' float32 arithmetic (the residual add, the rotation)
        # promotes it for free, where a conversion here would be one more op.
        out = torch.ops.aten._weight_int4pack_mm_for_cpu(
            x.to(torch.bfloat16), self.packed, INT4_GROUP, self.scales
        )
        return out if self.bias is None else out + self.bias

    def nbytes(self) -> int:
        return self._bytes


class RowSlices:
    """One matrix kept as slices of its output rows, each in its own kernel."""

    def __init__(self, parts: list) -> None:
        self.parts = parts
        self.out_features = sum(p.out_features for p in parts)
        # float16 slices each keep a tail of columns fbgemm would pad: one
        # multiply for all of them costs less than one per slice. It stays
        # float32: torch has no fast bf16 matrix-vector product on CPUs without
        # AMX (bf16 took 2.8 ms a token there, float32 0.4 ms; RESULTS.md).
        self.tail, self.split = None, 0
        tails = [getattr(p, "tail", None) for p in parts]
        if all(t is not None for t in tails):
            self.tail, self.split = torch.cat(tails), parts[0].split
            for part in parts:
                part.tail = None

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        if len(self.parts) == 1 and self.tail is None:
            return self.parts[0](x)
        out = torch.cat([part(x) for part in self.parts], dim=-1)
        if self.tail is not None:
            out = torch.addmm(out, x[:, self.split :], self.tail.t())
        return out

    def nbytes(self) -> int:
        tail = 0 if self.tail is None else self.tail.numel() * 4
        return sum(p.nbytes() for p in self.parts) + tail


def quantize_int8(weight: torch.Tensor, group: int = INT4_GROUP):
    """Symmetric 8-bit groups, ``w = q * scale`` with q in -127..127 (Q8_0's layout:
    for weights that came from a Q8_0 GGUF tensor this gives back its exact values)."""
    rows, cols = weight.shape
    groups = weight.detach().float().reshape(rows, cols // group, group)
    scale = groups.abs().amax(dim=-1, keepdim=True) / 127
    safe = torch.where(scale > 0, scale, torch.ones_like(scale))
    codes = (groups / safe).round().clamp(-127, 127).to(torch.int8).reshape(rows, cols)
    return codes, scale.squeeze(-1)


class Int8Rows:
    """A matrix kept in 8-bit groups, of which a few rows at a time are read back."""

    def __init__(self, codes, scale: torch.Tensor) -> None:
        """``codes``: a tensor, or anything indexed like one (``weights.StoredRows``)."""
        self.codes, self.scale = codes, scale.float()
        self.group = codes.shape[1] // scale.shape[1]

    def __getitem__(self, index: torch.Tensor) -> torch.Tensor:
        codes = self.codes[index]
        grouped = codes.unflatten(-1, (-1, self.group)).float() * self.scale[index].unsqueeze(-1)
        return grouped.flatten(-2)

    def nbytes(self) -> int:
        """Bytes held in memory (codes left in their file count nothing)."""
        codes = self.codes.numel() if isinstance(self.codes, torch.Tensor) else 0
        return codes + self.scale.numel() * 4


TOP_CHUNK = 128


def top_indices(scores: torch.Tensor, k: int) -> torch.Tensor:
    """The indices of the ``k`` highest of each row of ``scores`` [tokens, n], in no
    order: ``topk``'s set, found in two steps. torch's ``topk`` over a 151,936-token
    vocabulary took 1.1 ms a token (3.5 % of a 1.5B model's step); the best ``k``
    values lie in the ``k`` chunks of 128 with the highest maxima (a chunk holding
    one of them has a maximum at least as high as the k-th best), so only those
    chunks' 8,192 scores are ranked."""
    tokens, n = scores.shape
    if n < 4 * k * TOP_CHUNK:
        return scores.topk(k, dim=-1).indices
    padded = functional.pad(scores, (0, -n % TOP_CHUNK), value=float("-inf"))
    chunks = padded.view(tokens, -1, TOP_CHUNK)
    best_chunks = chunks.amax(dim=-1).topk(k, dim=-1).indices  # [tokens, k]
    candidates = torch.gather(chunks, 1, best_chunks.unsqueeze(-1).expand(-1, -1, TOP_CHUNK))
    within = candidates.view(tokens, -1).topk(k, dim=-1).indices  # into k * TOP_CHUNK
    chunk = torch.gather(best_chunks, 1, within // TOP_CHUNK)
    return chunk * TOP_CHUNK + within % TOP_CHUNK


class ShortlistHead:
    """The output matrix: 4-bit scores for every token, exact ones for the best few.

    The head decides the top token among near-ties, where 4-bit errors move
    it (11 % of greedy steps for SmolLM2 in 4 bits alone). Here the 4-bit
    product only chooses the ``keep`` highest-scoring tokens; their scores are
    then recomputed from ``exact``: the float32 matrix, or an ``Int8Rows`` copy
    of it (a quarter of the bytes; exact for a Q8_0 GGUF tensor, as SmolLM2's
    is). The top token is the exact one unless it falls outside the shortlist;
    the other scores are 4-bit approximations (they matter only when sampling,
    at low probability).
    """

    def __init__(self, approx: Int4Linear, exact, keep: int = 64) -> None:
        self.approx = approx
        self.exact = exact
        self.keep = min(keep, approx.out_features)
        self.out_features = approx.out_features

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        scores = self.approx(x).float()
        best = top_indices(scores, self.keep)  # [tokens, keep]
        rows = self.exact[best].float()  # [tokens, keep, in]
        exact = torch.bmm(rows, x.unsqueeze(-1)).squeeze(-1)
        return scores.scatter_(-1, best, exact)

    def nbytes(self) -> int:
        exact = self.exact.nbytes() if isinstance(self.exact, Int8Rows) else 0
        return self.approx.nbytes() + exact


KERNELS = {"float32": DenseLinear, "float16": Float16Linear, "int4": Int4Linear}


def available(fmt: str) -> bool:
    """Whether this build of torch has the kernel for ``fmt`` at all."""
    if fmt == "float16":
        return "fbgemm" in torch.backends.quantized.supported_engines
    if fmt == "int4":
        return hasattr(torch.ops.aten, "_weight_int4pack_mm_for_cpu")
    return fmt == "float32"


def supported(fmt: str, weight_shape: tuple[int, int] | torch.Size) -> bool:
    """Whether this build of torch (and this matrix's shape) has the kernel."""
    if not available(fmt):
        return False
    rows, cols = weight_shape
    if fmt == "float16":
        return cols >= FP16_BLOCK
    if fmt == "int4":
        return cols % INT4_GROUP == 0 and rows % 16 == 0
    return True


def make_linear(fmt: str, weight: torch.Tensor, bias: torch.Tensor | None = None):
    """The kernel for ``fmt``, or float32 where this matrix or build has none."""
    kind = KERNELS[fmt] if supported(fmt, tuple(weight.shape)) else DenseLinear
    return kind(weight, bias)
