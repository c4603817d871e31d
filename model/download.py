"""Download a catalog model from the Hugging Face Hub: resumable, checked, atomic.

The one place CareChat goes online, and only when a person asks for it. The
hub stays switched off everywhere else (``model/__init__.py``); ``hub_online``
lifts that for the length of one download. Nothing about the patient is sent:
the requests name the repository and file, carry no token and no telemetry.

The transfer itself is ``huggingface_hub``'s (``get_hf_file_metadata`` for the
Hub's size and LFS SHA-256, ``http_get`` for the bytes, with its retries on a
dropped connection). What is ours: the bytes go to a ``.part`` file named after
the expected hash, kept when the download is cancelled or cut so the next try
resumes from it; the file is hashed and checked as a GGUF before it is moved,
in one rename, to where CareChat looks for models.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .catalog import CatalogEntry
from .errors import ModelError
from .gguf_check import GgufFacts, check_gguf
from .hashing import file_sha256

DEFAULT_ENDPOINT = "https://huggingface.co"
ENV_ENDPOINT = "HF_ENDPOINT"  # huggingface_hub's own name; the tests point it at 127.0.0.1
PARTIAL_DIR = ".downloads"
SPARE_MB = 100  # room left on the disk after the file
SHA256 = re.compile(r"[0-9a-f]{64}")
PRIVACY_LINE = ("Only the model file is requested from the Hugging Face Hub. Nothing about "
                "you or your conversations is sent.")

Progress = Callable[[int, int], None]  # bytes done, bytes in all


class DownloadError(ModelError):
    """The download could not start or finish; the hint says what to do instead."""


class DownloadCancelledError(ModelError):
    """The person cancelled; what was downloaded is kept for the next try."""


@dataclass(frozen=True)
class Downloaded:
    path: Path
    sha256: str
    facts: GgufFacts


_online = threading.Lock()


@contextlib.contextmanager
def hub_online() -> Iterator[None]:
    """Lift the hub's offline switch for one download, and put it back after.

    One download at a time: two could otherwise restore each other's switch.
    """
    from huggingface_hub import constants

    with _online:
        before = constants.HF_HUB_OFFLINE
        constants.HF_HUB_OFFLINE = False
        try:
            yield
        finally:
            constants.HF_HUB_OFFLINE = before


def endpoint() -> str:
    return os.environ.get(ENV_ENDPOINT, DEFAULT_ENDPOINT).rstrip("/")


def partial_path(models_dir: Path, sha256: str) -> Path:
    return Path(models_dir) / PARTIAL_DIR / f"{sha256}.part"


def download(
    entry: CatalogEntry,
    models_dir: Path,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    disk_free: Callable[[Path], int] = lambda p: shutil.disk_usage(p).free,
) -> Downloaded:
    """Fetch ``entry``'s file into ``models_dir``; return where it is once checked.

    Raises DownloadError (offline, not found, no room, hash refused),
    DownloadCancelledError, or the GGUF check's errors for a file that is not usable.
    """
    models_dir = Path(models_dir)
    target = models_dir / entry.file
    cancel = cancel or threading.Event()
    with hub_online():
        size, expected, location = _metadata(entry)
        if entry.sha256 and entry.sha256 != expected:
            raise DownloadError(
                f"The Hub's copy of {entry.file} is not the file CareChat's catalog vetted "
                "(its SHA-256 differs), so it was not downloaded.",
                "Update CareChat for a newer catalog, or import a file you trust with "
                "'carechat models import PATH'.",
            )
        part = partial_path(models_dir, expected)
        part.parent.mkdir(parents=True, exist_ok=True)
        done = part.stat().st_size if part.is_file() else 0
        if done > size:  # not ours to resume: start again
            part.unlink()
            done = 0
        needed = size - done + SPARE_MB * 2**20
        free = disk_free(part.parent)
        if free < needed:
            raise DownloadError(
                f"There is not enough room on the disk for {entry.name}: it needs "
                f"{_mb(needed)} more and {_mb(free)} is free in {models_dir}.",
                "Free some disk space and try again; what was downloaded so far is kept.",
            )
        _transfer(location, part, done, size, progress, cancel)
    digest = file_sha256(part, between=lambda: _raise_if(cancel))
    if digest != expected:
        part.unlink(missing_ok=True)
        raise DownloadError(
            f"The downloaded {entry.file} does not match the Hub's SHA-256 "
            f"(expected {expected[:12]}…, got {digest[:12]}…). It was removed, not used.",
            "Try again; if it happens again, the connection or a proxy is changing the file.",
        )
    try:
        facts = check_gguf(part)
    except ModelError:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, target)
    return Downloaded(target, digest, facts)


def _metadata(entry: CatalogEntry) -> tuple[int, str, str]:
    """The file's size, its LFS SHA-256 and where to fetch it, from the Hub."""
    import httpx2
    from huggingface_hub import get_hf_file_metadata, hf_hub_url
    from huggingface_hub.errors import HfHubHTTPError, OfflineModeIsEnabled

    host = endpoint()
    url = hf_hub_url(entry.repo, entry.file, revision=entry.revision, endpoint=host)
    try:
        meta = get_hf_file_metadata(url, token=False, endpoint=host)
    except (httpx2.TransportError, OfflineModeIsEnabled) as exc:
        raise _offline(host, exc) from exc
    except HfHubHTTPError as exc:
        status = exc.response.status_code if exc.response is not None else None
        if status in (401, 403, 404):
            raise DownloadError(
                f"{entry.repo}/{entry.file} is not on {host} (HTTP {status}).",
                "The catalog may be out of date; update CareChat, or import the file "
                "with 'carechat models import PATH'.",
            ) from exc
        raise DownloadError(f"{host} could not send {entry.file} ({exc}).",
                            "Try again later.") from exc
    etag = (meta.etag or "").lower()
    if not SHA256.fullmatch(etag):
        raise DownloadError(
            f"{host} gave no SHA-256 for {entry.file}, so the download could not be checked "
            "and was not started.",
            "Import a file you trust with 'carechat models import PATH'.",
        )
    if not meta.size:
        raise DownloadError(f"{host} did not say how large {entry.file} is.",
                            "Try again later.")
    return int(meta.size), etag, str(meta.location)


def _transfer(location: str, part: Path, done: int, size: int,
              progress: Progress | None, cancel: threading.Event) -> None:
    import httpx2
    from huggingface_hub.errors import HfHubHTTPError
    from huggingface_hub.file_download import http_get
    from huggingface_hub.utils import build_hf_headers

    class Bar:
        """What huggingface_hub reports progress to; also where Cancel takes effect."""

        def __init__(self, total=None, initial=0, **_ignored) -> None:
            self.n = initial
            self.total = total or size

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            return None

        def update(self, n: int) -> None:
            if cancel.is_set():
                raise DownloadCancelledError("The download was cancelled.",
                                        "What was downloaded is kept; download again to "
                                        "go on from there.")
            self.n += n
            if progress is not None:
                progress(self.n, self.total)

    if progress is not None:
        progress(done, size)
    _raise_if(cancel)
    try:
        with part.open("ab") as fh:
            http_get(location, fh, resume_size=done, headers=build_hf_headers(token=False),
                     expected_size=size, tqdm_class=Bar)
    except httpx2.TransportError as exc:
        raise DownloadError(
            f"The connection to {endpoint()} was lost ({type(exc).__name__}).",
            "Download again when the connection is back: it goes on from where it stopped.",
        ) from exc
    except HfHubHTTPError as exc:
        raise DownloadError(f"The download stopped: {exc}.",
                            "Download again later: it goes on from where it stopped.") from exc
    except OSError as exc:
        if "Consistency check failed" in str(exc):
            raise DownloadError(
                "The download ended early.",
                "Download again: it goes on from where it stopped.") from exc
        raise DownloadError(
            f"The model file could not be written in {part.parent} ({exc.strerror or exc}).",
            "Free some disk space, or check that CareChat may write there; what was "
            "downloaded so far is kept.",
        ) from exc


def _raise_if(cancel: threading.Event) -> None:
    if cancel.is_set():
        raise DownloadCancelledError("The download was cancelled.", "")


def _offline(host: str, exc: Exception) -> DownloadError:
    return DownloadError(
        f"CareChat cannot reach {host} ({type(exc).__name__}), so the model cannot be "
        "downloaded now.",
        "Without the internet, copy the model's .gguf file to this computer (from a USB "
        "stick, for example) and add it with 'carechat models import PATH' or Settings > "
        "Models > Import a file.",
    )


def _mb(n: int) -> str:
    return f"{n / 1e6:,.0f} MB"

