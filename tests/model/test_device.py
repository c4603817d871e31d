from __future__ import annotations

import pytest
import torch

import model
from model.device import dtype_for, resolve_device


def test_auto_prefers_cuda(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_device("auto").type == "cuda"


def test_auto_falls_back_to_cpu_without_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert resolve_device("auto").type == "cpu"


def test_auto_uses_mps_on_apple(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert resolve_device("auto").type == "mps"


def test_cuda_requested_without_gpu_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(model.DeviceUnavailableError) as err:
        resolve_device("cuda")
    assert "cpu" in err.value.hint


def test_unknown_device_is_rejected() -> None:
    with pytest.raises(model.DeviceUnavailableError):
        resolve_device("tpu")


@pytest.mark.parametrize(
    "device, bf16, expected",
    [
        ("cuda", True, torch.bfloat16),
        ("cuda", False, torch.float16),
        ("mps", True, torch.float16),
        ("cpu", True, torch.float32),
    ],
)
def test_dtype_per_device(monkeypatch, device, bf16, expected) -> None:
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda: bf16)
    assert dtype_for(torch.device(device)) == expected


@pytest.mark.parametrize(
    "device, requested, expected",
    [
        ("cpu", "auto", "int4"),
        ("cpu", "float32", "float32"),
        ("cpu", "transformers", "transformers"),
        ("cuda", "auto", "transformers"),
        ("cuda", "int4", "transformers"),  # our own loop runs on the CPU only
        ("mps", "auto", "transformers"),
    ],
)
def test_weight_format_per_device(device, requested, expected) -> None:
    from model import kernels
    from model.device import weight_format_for

    if expected == "int4" and not kernels.available("int4"):
        expected = "float16" if kernels.available("float16") else "float32"
    assert weight_format_for(torch.device(device), requested) == expected


def test_cpu_threads_can_be_set(monkeypatch) -> None:
    from model.device import THREADS_VARIABLE, configure_cpu_threads

    before = torch.get_num_threads()
    monkeypatch.setenv(THREADS_VARIABLE, "1")
    try:
        configure_cpu_threads()
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)
