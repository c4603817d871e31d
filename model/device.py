"""Choose the device and number type for inference."""

from __future__ import annotations

import os

import psutil
import torch

from .constants import DEVICES
from .errors import DeviceUnavailableError

THREADS_VARIABLE = "CARECHAT_CPU_THREADS"
TRANSFORMERS = "transformers"  # transformers' own forward instead of our loop
DEFAULT_CPU_FORMAT = "int4"


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend and backend.is_available())


def resolve_device(requested: str = "auto") -> torch.device:
    """Return the device to run on: CUDA if present, else Apple MPS, else CPU."""
    if requested not in DEVICES:
        raise DeviceUnavailableError(
            f"Unknown device {requested!r}.", f"Use one of: {', '.join(DEVICES)}."
        )
    if requested == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if _mps_available():
            return torch.device("mps")
        return torch.device("cpu")
    if requested == "cuda" and not torch.cuda.is_available():
        raise DeviceUnavailableError(
            "No CUDA graphics card is available on this machine.",
            "Choose the device 'auto' or 'cpu' instead.",
        )
    if requested == "mps" and not _mps_available():
        raise DeviceUnavailableError(
            "Apple's MPS backend is not available on this machine.",
            "Choose the device 'auto' or 'cpu' instead.",
        )
    return torch.device(requested)


def available_devices() -> list[str]:
    """The devices this machine can run a model on, CPU always included."""
    found = ["cpu"]
    if torch.cuda.is_available():
        found.append("cuda")
    if _mps_available():
        found.append("mps")
    return found


def dtype_for(device: torch.device) -> torch.dtype:
    """bf16 where the hardware does it natively; float32 on CPUs.

    Most desktop CPUs have no native bf16, where it slows long prompts down by
    more than half, so the CPU keeps float32.
    """
    if device.type == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    if device.type == "mps":
        return torch.float16
    return torch.float32


def configure_cpu_threads() -> None:
    """Use one thread per physical core: hyper-threads only add contention.

    ``CARECHAT_CPU_THREADS`` overrides it: on a machine whose cores are busy
    with other work, threads that wait for each other at every matrix lose
    more than they gain (benchmarks/RESULTS.md).
    """
    cores = psutil.cpu_count(logical=False)
    override = os.environ.get(THREADS_VARIABLE, "")
    if override.isdigit() and int(override) > 0:
        cores = int(override)
    if cores and torch.get_num_threads() != cores:
        torch.set_num_threads(cores)


def weight_format_for(device: torch.device, requested: str = "auto") -> str:
    """How to hold the weights: one of ``kernels.FORMATS``, or ``"transformers"``.

    Our own decode loop runs on the CPU only; graphics cards keep transformers'
    forward in bf16/fp16. On the CPU, "auto" picks DEFAULT_CPU_FORMAT (see
    benchmarks/RESULTS.md for the measurements behind it), or the best format
    this build of torch has a kernel for.
    """
    from .kernels import FORMATS, available

    if requested not in (*FORMATS, TRANSFORMERS, "auto"):
        raise ValueError(f"Unknown weight format {requested!r}; use one of {FORMATS}.")
    if device.type != "cpu":
        return TRANSFORMERS
    if requested != "auto":
        return requested
    for fmt in (DEFAULT_CPU_FORMAT, "float16"):
        if available(fmt):
            return fmt
    return "float32"  # every build has it
