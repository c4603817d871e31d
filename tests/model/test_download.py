"""Catalog downloads through huggingface_hub, against a Hub-like server on 127.0.0.1."""

from __future__ import annotations

import errno
import socket
import threading
from pathlib import Path

import pytest
from gguf_files import write_gguf
from hub_server import HubServer, hub_path, sha256

from model import catalog, download
from model.catalog import CatalogEntry
from model.download import DownloadCancelledError, DownloadError, partial_path

REPO, FILE = "clinic/tiny-model-GGUF", "tiny-q4.gguf"


def entry(**changes) -> CatalogEntry:
    fields = dict(id="tiny", name="Tiny", repo=REPO, file=FILE, revision="main", size_mb=1,
                  params_b=0.001, architecture="qwen2", quantization="F32",
                  languages=("en", "zh"), licence="Apache-2.0", licence_url="",
                  use_permitted=True, licence_note="", suits="")
    return CatalogEntry(**{**fields, **changes})


@pytest.fixture
def gguf_bytes(tmp_path: Path) -> bytes:
    # Large enough for several of huggingface_hub's download chunks (10 MB).
    return write_gguf(tmp_path / "source.gguf", rows=200_000).read_bytes()


@pytest.fixture
def hub(gguf_bytes: bytes, monkeypatch: pytest.MonkeyPatch):
    with HubServer({hub_path(REPO, FILE): gguf_bytes}) as server:
        monkeypatch.setenv(download.ENV_ENDPOINT, server.url)
        yield server


def test_a_download_is_checked_and_placed(hub, gguf_bytes, tmp_path) -> None:
    seen: list[tuple[int, int]] = []
    got = download.download(entry(), tmp_path / "models", progress=lambda d, t: seen.append((d, t)))
    assert got.path == tmp_path / "models" / FILE
    assert got.path.read_bytes() == gguf_bytes
    assert got.sha256 == sha256(gguf_bytes)
    assert got.facts.architecture == "qwen2"
    assert seen[-1] == (len(gguf_bytes), len(gguf_bytes))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert not list((tmp_path / "models" / download.PARTIAL_DIR).iterdir())  # nothing left


def test_the_hub_stays_offline_outside_a_download(hub, tmp_path) -> None:
    from huggingface_hub import constants

    assert constants.HF_HUB_OFFLINE  # switched off at `import model`
    download.download(entry(), tmp_path)
    assert constants.HF_HUB_OFFLINE


def test_a_cancelled_download_resumes_where_it_stopped(hub, gguf_bytes, tmp_path) -> None:
    cancel = threading.Event()

    def stop_halfway(done: int, total: int) -> None:
        if done >= total // 2:
            cancel.set()

    with pytest.raises(DownloadCancelledError):
        download.download(entry(), tmp_path, progress=stop_halfway, cancel=cancel)
    part = partial_path(tmp_path, sha256(gguf_bytes))
    kept = part.stat().st_size
    assert 0 < kept < len(gguf_bytes)
    assert not (tmp_path / FILE).exists()  # never half a model where models are looked for

    got = download.download(entry(), tmp_path)
    assert got.path.read_bytes() == gguf_bytes
    assert hub.ranges()[-1] == f"bytes={kept}-"  # only the rest was asked for


def test_a_connection_cut_midway_is_resumed(hub, gguf_bytes, tmp_path) -> None:
    from huggingface_hub import constants

    # huggingface_hub writes whole chunks: what it had written when the
    # connection dropped is what it asks the rest of.
    chunk = constants.DOWNLOAD_CHUNK_SIZE
    assert len(gguf_bytes) > 2 * chunk
    hub.cut_after, hub.cuts_left = chunk + chunk // 2, 1
    got = download.download(entry(), tmp_path)
    assert got.path.read_bytes() == gguf_bytes
    assert hub.ranges() == ["", f"bytes={chunk}-"]


def test_a_file_whose_hash_does_not_match_is_refused_and_removed(hub, gguf_bytes,
                                                                  tmp_path) -> None:
    hub.corrupt = True
    with pytest.raises(DownloadError, match="does not match the Hub's SHA-256"):
        download.download(entry(), tmp_path)
    assert not (tmp_path / FILE).exists()
    assert not partial_path(tmp_path, sha256(gguf_bytes)).exists()


def test_a_hub_file_other_than_the_vetted_one_is_not_downloaded(hub, tmp_path) -> None:
    with pytest.raises(DownloadError, match="not the file CareChat's catalog vetted"):
        download.download(entry(sha256="0" * 64), tmp_path)
    assert hub.ranges() == []  # refused before a byte was fetched


def test_too_little_disk_space_is_said_before_starting(hub, tmp_path) -> None:
    with pytest.raises(DownloadError, match="not enough room on the disk"):
        download.download(entry(), tmp_path, disk_free=lambda path: 1000)
    assert hub.ranges() == []


def test_a_disk_that_fills_up_keeps_what_was_written(hub, gguf_bytes, tmp_path,
                                                     monkeypatch) -> None:
    real_open = Path.open

    class FullDisk:
        def __init__(self, fh) -> None:
            self.fh, self.written = fh, 0

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            self.fh.close()

        def tell(self) -> int:
            return self.fh.tell()

        def write(self, data: bytes) -> int:
            if self.written > len(gguf_bytes) // 4:
                raise OSError(errno.ENOSPC, "No space left on device")
            self.written += len(data)
            return self.fh.write(data)

    def opener(self, mode="r", *args, **kwargs):
        fh = real_open(self, mode, *args, **kwargs)
        return FullDisk(fh) if self.suffix == ".part" and "a" in mode else fh

    monkeypatch.setattr(Path, "open", opener)
    with pytest.raises(DownloadError, match="No space left on device"):
        download.download(entry(), tmp_path)
    assert partial_path(tmp_path, sha256(gguf_bytes)).stat().st_size > 0
    assert not (tmp_path / FILE).exists()


def test_no_server_says_offline_and_offers_the_import(monkeypatch, tmp_path) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv(download.ENV_ENDPOINT, f"http://127.0.0.1:{port}")
    with pytest.raises(DownloadError) as caught:
        download.download(entry(), tmp_path)
    assert "cannot reach" in caught.value.message
    assert "carechat models import" in caught.value.hint


def test_a_file_missing_on_the_hub_is_named(hub, tmp_path) -> None:
    with pytest.raises(DownloadError, match="is not on"):
        download.download(entry(file="other.gguf"), tmp_path)


def test_a_downloaded_file_that_is_no_chat_model_is_removed(tmp_path, monkeypatch) -> None:
    data = write_gguf(tmp_path / "base.gguf", chat_template=None).read_bytes()
    with HubServer({hub_path(REPO, FILE): data}) as server:
        monkeypatch.setenv(download.ENV_ENDPOINT, server.url)
        with pytest.raises(catalog.ModelError, match="no chat template"):
            download.download(entry(), tmp_path / "models")
    assert not (tmp_path / "models" / FILE).exists()
    assert not partial_path(tmp_path / "models", sha256(data)).exists()
