"""`carechat models`: the catalog, a download against a local Hub-like server, import,
use and remove, as a clinic's IT person would run them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gguf_files import write_gguf
from hub_server import HubServer, hub_path

from chatapp import cli
from chatapp.cli_models import BUILT_IN
from chatapp.config import load_settings
from model import download
from model.download import partial_path
from model.installed import InstalledModels

# A catalog entry without a pinned hash: the local server serves a tiny file for it.
REPO, FILE, ID = "Qwen/Qwen2.5-0.5B-Instruct-GGUF", "qwen2.5-0.5b-instruct-q4_k_m.gguf", \
    "qwen2.5-0.5b-instruct"


def run(data_dir: Path, *args: str) -> int:
    return cli.main(["--data-dir", str(data_dir), "models", *args])


@pytest.fixture
def hub(tmp_path, monkeypatch):
    data = write_gguf(tmp_path / "served.gguf", rows=200_000).read_bytes()
    with HubServer({hub_path(REPO, FILE): data}) as server:
        monkeypatch.setenv(download.ENV_ENDPOINT, server.url)
        server.data = data
        yield server


def test_list_shows_the_built_in_and_the_catalog(tmp_path, capsys) -> None:
    assert run(tmp_path, "list", "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["in_use"] == BUILT_IN and shown["installed"] == []
    ids = [row["id"] for row in shown["catalog"]]
    assert ID in ids and all({"memory_mb", "languages", "licence", "fits"} <= set(row)
                             for row in shown["catalog"])
    assert not (tmp_path / "models").exists()  # looking creates nothing


def test_list_recommends_what_fits_the_memory(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setattr("chatapp.cli_models.total_memory_mb", lambda: 3_000)
    assert cli.main(["--data-dir", str(tmp_path), "--lang", "zh", "models", "list"]) == 0
    assert f"Recommended for this computer: {ID}" in capsys.readouterr().out
    monkeypatch.setattr("chatapp.cli_models.total_memory_mb", lambda: 2_000)
    assert run(tmp_path, "list", "--json") == 0
    assert json.loads(capsys.readouterr().out)["recommended"] is None


def test_download_use_and_answer_with_it(hub, tmp_path, capsys) -> None:
    assert run(tmp_path, "download", ID) == 0
    err = capsys.readouterr().err
    assert "Nothing about you or your conversations is sent" in err
    assert f"carechat models use {ID}" in err
    path = tmp_path / "models" / FILE
    assert path.read_bytes() == hub.data
    assert run(tmp_path, "use", ID) == 0
    # Every later command answers with it, unless told otherwise.
    assert load_settings(tmp_path, env={}).model == str(path)
    assert load_settings(tmp_path, model="default", env={}).model == "default"
    assert run(tmp_path, "use", BUILT_IN) == 0
    assert load_settings(tmp_path, env={}).model == "default"


def test_an_interrupted_download_goes_on_when_run_again(hub, tmp_path, capsys,
                                                        monkeypatch) -> None:
    real = download.download

    def cut_short(entry, models_dir, progress=None, cancel=None, **kw):
        def stop(done, total):
            if done > total // 2:  # the chunk before this one is written
                raise KeyboardInterrupt  # Ctrl+C in the terminal
        return real(entry, models_dir, progress=stop, cancel=cancel, **kw)

    monkeypatch.setattr("chatapp.cli_models.download", cut_short)
    assert run(tmp_path, "download", ID) == 130
    assert "run the same command to go on" in capsys.readouterr().err
    assert partial_path(tmp_path / "models", _sha(hub.data)).stat().st_size > 0
    monkeypatch.setattr("chatapp.cli_models.download", real)
    assert run(tmp_path, "download", ID) == 0
    assert hub.ranges()[-1].startswith("bytes=")
    assert (tmp_path / "models" / FILE).read_bytes() == hub.data


def test_a_bad_hash_is_refused_with_exit_status_1(hub, tmp_path, capsys) -> None:
    hub.corrupt = True
    assert run(tmp_path, "download", ID) == 1
    assert "does not match the Hub's SHA-256" in capsys.readouterr().err
    assert InstalledModels(tmp_path / "models").all() == []


def test_offline_download_offers_the_import(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv(download.ENV_ENDPOINT, "http://127.0.0.1:9")  # discard port: closed
    assert run(tmp_path, "download", ID) == 1
    assert "carechat models import PATH" in capsys.readouterr().err


def test_too_little_memory_is_said_before_downloading(hub, tmp_path, capsys,
                                                      monkeypatch) -> None:
    monkeypatch.setattr("chatapp.cli_models.total_memory_mb", lambda: 1024)
    assert run(tmp_path, "download", ID) == 1
    assert "needs about" in capsys.readouterr().err
    assert hub.requests == []


def test_import_then_remove(tmp_path, capsys) -> None:
    source = write_gguf(tmp_path / "from-usb.gguf")
    assert run(tmp_path, "import", str(source)) == 0
    assert "Imported from-usb" in capsys.readouterr().err
    assert run(tmp_path, "use", "from-usb") == 0
    assert run(tmp_path, "remove", "from-usb") == 2  # a script must say --yes
    assert "needs confirmation" in capsys.readouterr().err
    assert run(tmp_path, "remove", "from-usb", "--yes") == 0
    assert not (tmp_path / "models" / "from-usb.gguf").exists()
    assert load_settings(tmp_path, env={}).model == "default"


def test_import_of_a_cut_file_is_refused(tmp_path, capsys) -> None:
    source = write_gguf(tmp_path / "cut.gguf")
    source.write_bytes(source.read_bytes()[:-64])
    assert run(tmp_path, "import", str(source)) == 1
    assert "damaged or incomplete" in capsys.readouterr().err
    assert InstalledModels(tmp_path / "models").all() == []


def test_unknown_ids_are_named(tmp_path, capsys) -> None:
    assert run(tmp_path, "download", "gpt-9") == 1
    assert "no model called 'gpt-9' in the catalog" in capsys.readouterr().err
    assert run(tmp_path, "use", "gpt-9") == 1
    assert run(tmp_path, "remove", "gpt-9", "--yes") == 1


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()
