from __future__ import annotations

import pytest
import torch
from torch.nn import functional

from model import kernels
from model.kernels import (
    DenseLinear,
    Int4Linear,
    Int8Rows,
    RowSlices,
    ShortlistHead,
    make_linear,
    pack_nibbles,
    quantize_int4,
    quantize_int8,
    unpack_nibbles,
)


def q41_weight(rows: int, cols: int, seed: int = 0):
    """Weights as a Q4_1 GGUF file holds them: per 32 values an fp16 scale and minimum."""
    gen = torch.Generator().manual_seed(seed)
    groups = cols // 32
    codes = torch.randint(0, 16, (rows, groups, 32), generator=gen, dtype=torch.uint8)
    codes[..., 0], codes[..., 1] = 0, 15  # llama.cpp's Q4_1 spans each block's min..max
    scale = (torch.rand(rows, groups, 1, generator=gen) * 0.01 + 1e-3).half().float()
    low = (-torch.rand(rows, groups, 1, generator=gen) * 0.1).half().float()
    weight = (codes.float() * scale + low).reshape(rows, cols)
    return weight, codes.reshape(rows, cols)


def test_int4_finds_the_q4_1_codes_again() -> None:
    weight, codes = q41_weight(48, 96)
    found, scale, low = quantize_int4(weight)
    assert torch.equal(found, codes)
    rebuilt = (found.float().reshape(48, 3, 32) * scale[..., None] + low[..., None]).reshape(48, 96)
    torch.testing.assert_close(rebuilt, weight, rtol=0, atol=1e-6)


def test_nibbles_round_trip() -> None:
    codes = torch.randint(0, 16, (5, 64), dtype=torch.uint8)
    packed = pack_nibbles(codes)
    assert packed.shape == (5, 32)
    assert torch.equal(unpack_nibbles(packed), codes)


# Each format against float32 F.linear; tolerances relative to the output's size.
@pytest.mark.parametrize(
    "fmt, shape, tolerance",
    [
        ("float32", (64, 576), 0.0),
        ("float16", (64, 576), 1e-3),  # 576 = 512 packed + a float32 tail of 64
        ("float16", (32, 1024), 1e-3),
        ("int4", (64, 576), 2e-2),  # bf16 inputs and outputs
    ],
)
def test_kernel_matches_float32(fmt, shape, tolerance) -> None:
    if not kernels.available(fmt):
        pytest.skip(f"this build of torch has no {fmt} kernel")
    # Q4_1-shaped weights: what the int4 format holds exactly.
    weight, _ = q41_weight(*shape)
    x = torch.randn(3, shape[1], generator=torch.Generator().manual_seed(1))
    linear = make_linear(fmt, weight)
    assert linear.format == fmt
    out = linear(x).float()
    expected = functional.linear(x, weight)
    assert out.shape == expected.shape
    error = (out - expected).abs().max() / expected.abs().max()
    assert error <= tolerance
    assert linear.nbytes() <= weight.numel() * 4


def test_formats_are_smaller_than_float32() -> None:
    weight, _ = q41_weight(64, 1024)
    sizes = {fmt: make_linear(fmt, weight).nbytes() for fmt in kernels.FORMATS
             if kernels.available(fmt)}
    assert sizes["float32"] == 64 * 1024 * 4
    if "float16" in sizes:
        assert sizes["float16"] == 64 * 1024 * 2
    if "int4" in sizes:
        assert sizes["int4"] < sizes["float32"] / 6


def test_shapes_without_a_kernel_fall_back_to_float32() -> None:
    weight = torch.randn(64, 48)  # not a multiple of the 32-wide int4 groups, under 512
    for fmt in ("int4", "float16"):
        assert isinstance(make_linear(fmt, weight), DenseLinear)


def test_row_slices_equal_the_whole_matrix() -> None:
    if not kernels.available("float16"):
        pytest.skip("no float16 kernel")
    weight, _ = q41_weight(96, 576)
    x = torch.randn(2, 576)
    whole = make_linear("float16", weight)(x)
    sliced = RowSlices([make_linear("float16", weight[i : i + 32]) for i in range(0, 96, 32)])
    # The slices' tails (the 64 columns fbgemm would pad) are merged into one, in float32.
    assert sliced.tail is not None and sliced.tail.dtype == torch.float32
    assert all(part.tail is None for part in sliced.parts)
    torch.testing.assert_close(sliced(x), whole)
    assert sliced.out_features == 96
    assert sliced.nbytes() == 96 * 512 * 2 + 96 * 64 * 4


def test_shortlist_head_scores_its_best_tokens_exactly() -> None:
    if not kernels.available("int4"):
        pytest.skip("no int4 kernel")
    weight, _ = q41_weight(256, 64)
    x = torch.randn(3, 64)
    head = ShortlistHead(Int4Linear(weight), weight, keep=16)
    got = head(x)
    exact = functional.linear(x, weight)
    approx = Int4Linear(weight)(x).float()
    for row in range(3):
        best = approx[row].topk(16).indices
        # The shortlist holds float32 scores, every other token its 4-bit one.
        torch.testing.assert_close(got[row, best], exact[row, best])
        others = torch.ones(256, dtype=torch.bool)
        others[best] = False
        torch.testing.assert_close(got[row, others], approx[row, others])
    assert torch.equal(got.argmax(-1), exact.argmax(-1))
    assert head.nbytes() == Int4Linear(weight).nbytes()


def test_int4_packs_large_matrices_a_slice_at_a_time(monkeypatch) -> None:
    if not kernels.available("int4"):
        pytest.skip("no int4 kernel")
    weight, _ = q41_weight(208, 64)
    x = torch.randn(2, 64)
    whole = Int4Linear(weight)
    monkeypatch.setattr(kernels, "PACK_ROWS", 64)  # 208 rows: three full slices and 16 rows
    sliced = Int4Linear(weight)
    assert torch.equal(sliced.packed, whole.packed)
    assert torch.equal(sliced(x), whole(x))


def test_int8_rows_give_back_q8_0_weights_exactly() -> None:
    gen = torch.Generator().manual_seed(1)
    codes = torch.randint(-127, 128, (40, 2, 32), generator=gen, dtype=torch.int8)
    codes[..., 0] = 127  # llama.cpp's Q8_0 maps each block's largest magnitude to ±127
    scale = (torch.rand(40, 2, 1, generator=gen) * 0.01 + 1e-4).half().float()
    weight = (codes.float() * scale).reshape(40, 64)
    rows = Int8Rows(*quantize_int8(weight))
    pick = torch.tensor([[3, 0, 39]])
    assert torch.equal(rows[pick], weight[pick])
    assert rows.nbytes() == 40 * 64 + 40 * 2 * 4


def test_int4_from_saved_codes_equals_the_same_codes_in_memory(monkeypatch) -> None:
    """The warm start unpacks saved nibbles a slice of rows at a time, into place."""
    if not kernels.available("int4"):
        pytest.skip("no int4 kernel")
    weight, _ = q41_weight(208, 64)
    codes, scale, low = quantize_int4(weight)
    packed = pack_nibbles(codes)
    x = torch.randn(3, 64)
    whole = Int4Linear(None, quantized=(codes, scale, low))
    monkeypatch.setattr(kernels, "PACK_ROWS", 64)  # three full slices and 16 rows
    reads = []

    saved_parts = {"codes": packed, "scale": scale, "low": low}

    def read_rows(kind: str, start: int, stop: int) -> torch.Tensor:
        reads.append((kind, start, stop))
        return saved_parts[kind][start:stop]

    saved = Int4Linear.from_saved(read_rows, 208)
    assert [r for r in reads if r[0] == "codes"] == [
        ("codes", 0, 64), ("codes", 64, 128), ("codes", 128, 192), ("codes", 192, 256)]
    assert ("scale", 192, 208) in reads and ("low", 192, 208) in reads
    assert torch.equal(saved.scales, whole.scales)
    assert torch.equal(saved.packed, whole.packed)
    assert torch.equal(saved(x), whole(x))
    assert saved.nbytes() == whole.nbytes()


def test_int8_rows_left_in_their_file_read_the_same(tmp_path) -> None:
    from safetensors.torch import save_file

    from model.weights import WeightFiles

    weight = torch.randn(40, 64)
    codes, scale = quantize_int8(weight)
    save_file({"head.codes8": codes}, str(tmp_path / "int4.safetensors"))
    stored = WeightFiles([tmp_path / "int4.safetensors"]).stored_rows("head.codes8")
    in_memory, on_disk = Int8Rows(codes, scale), Int8Rows(stored, scale)
    pick = torch.tensor([[3, 0, 39], [39, 39, 7]])
    assert torch.equal(on_disk[pick], in_memory[pick])
    # Only the scales are held: the codes are read from the file when asked for.
    assert on_disk.nbytes() == 40 * 2 * 4


@pytest.mark.parametrize("n", [300, 151_936, 100_003])
def test_top_indices_are_topks_set(n) -> None:
    from model.kernels import top_indices

    gen = torch.Generator().manual_seed(n)
    scores = torch.randn(3, n, generator=gen)
    scores[1, -5:] = 50.0 + torch.arange(5.0)  # the best at the very end (a padded chunk)
    scores[2, :64] = 40.0  # the best all in the first chunk
    got = top_indices(scores, 64)
    want = scores.topk(64, dim=-1).indices
    assert got.shape == want.shape
    for row in range(3):
        assert set(got[row].tolist()) == set(want[row].tolist())
