"""Settings > Models: downloads and imports run in a thread; the window stays usable."""

from __future__ import annotations

from pathlib import Path

import pytest
from gguf_files import write_gguf
from hub_server import HubServer, hub_path

from chatapp.resources import resource_path
from chatapp.ui.models_dialog import BUILT_IN, ModelsDialog
from chatapp.ui.settings_dialog import Preferences, SettingsDialog
from model import download
from model.catalog import load_catalog
from model.download import DownloadCancelledError
from model.installed import InstalledModels

REPO, FILE, ID = "Qwen/Qwen2.5-0.5B-Instruct-GGUF", "qwen2.5-0.5b-instruct-q4_k_m.gguf", \
    "qwen2.5-0.5b-instruct"


@pytest.fixture
def dialog(qtbot, tmp_path):
    catalog = load_catalog(resource_path("models", "catalog.toml"))
    shown = ModelsDialog(InstalledModels(tmp_path / "models"), catalog)
    shown.confirm = lambda title, text: True
    qtbot.addWidget(shown)
    shown.show()
    return shown


def rows(dialog: ModelsDialog) -> list[tuple[str, str]]:
    from PySide6.QtCore import Qt

    return [dialog.table.item(r, 0).data(Qt.ItemDataRole.UserRole)
            for r in range(dialog.table.rowCount())]


def test_the_page_lists_the_built_in_and_the_catalog(dialog) -> None:
    listed = rows(dialog)
    assert listed[0] == ("builtin", BUILT_IN)
    assert ("catalog", ID) in listed
    dialog.select(ID)
    assert dialog.download_button.isEnabled() and not dialog.use_button.isEnabled()
    dialog.select(BUILT_IN)
    assert dialog.use_button.isEnabled() and not dialog.remove_button.isEnabled()


def test_import_then_use(qtbot, dialog, tmp_path) -> None:
    source = write_gguf(tmp_path / "clinic.gguf")
    dialog.ask_open_path = lambda: str(source)
    with qtbot.waitSignal(dialog.transfer_ended, timeout=20_000) as ended:
        dialog.import_button.click()
    assert ended.args == ["installed"]
    assert ("installed", "clinic") in rows(dialog)
    assert dialog.selected() == ("installed", "clinic")  # ready to use
    with qtbot.waitSignal(dialog.chosen) as chosen:
        dialog.use_button.click()
    assert chosen.args == [str(tmp_path / "models" / "clinic.gguf")]


def test_a_download_from_the_hub(qtbot, dialog, tmp_path, monkeypatch) -> None:
    data = write_gguf(tmp_path / "served.gguf", rows=100_000).read_bytes()
    asked = []
    dialog.confirm = lambda title, text: asked.append(text) or True
    with HubServer({hub_path(REPO, FILE): data}) as hub:
        monkeypatch.setenv(download.ENV_ENDPOINT, hub.url)
        dialog.select(ID)
        with qtbot.waitSignal(dialog.transfer_ended, timeout=30_000) as ended:
            dialog.download_button.click()
            assert not dialog.download_button.isEnabled()  # one transfer at a time
            assert dialog.cancel_button.isVisibleTo(dialog)
    assert ended.args == ["installed"]
    assert "Nothing about you or your conversations is sent" in asked[0]
    assert (tmp_path / "models" / FILE).read_bytes() == data
    assert ("installed", ID) in rows(dialog) and ("catalog", ID) not in rows(dialog)
    assert not dialog.cancel_button.isVisibleTo(dialog)


def test_a_download_that_cannot_start_says_why(qtbot, dialog, monkeypatch) -> None:
    monkeypatch.setenv(download.ENV_ENDPOINT, "http://127.0.0.1:9")
    dialog.select(ID)
    with qtbot.waitSignal(dialog.transfer_ended, timeout=20_000) as ended:
        dialog.download_button.click()
    assert ended.args == ["failed"]
    assert "models import" in dialog.status.text()
    assert dialog.download_button.isEnabled()


def slow_job(progress, cancel) -> str:
    progress(1, 10)
    cancel.wait(10)
    raise DownloadCancelledError("The download was cancelled.", "")


def test_cancel_stops_the_transfer(qtbot, dialog) -> None:
    with qtbot.waitSignal(dialog.transfer_ended, timeout=5_000) as ended:
        dialog.start_transfer(slow_job)
        qtbot.waitUntil(lambda: dialog.progress.value() == 100)  # 1 of 10, in thousandths
        dialog.cancel_button.click()
    assert ended.args == ["cancelled"]


def test_closing_during_a_transfer_cancels_it_then_closes(qtbot, dialog) -> None:
    dialog.start_transfer(slow_job)
    with qtbot.waitSignal(dialog.finished, timeout=5_000):
        dialog.reject()
        assert dialog.isVisible()  # not frozen waiting: closes once the job has stopped
    assert not dialog.isVisible()


def test_remove_asks_first(qtbot, dialog, tmp_path) -> None:
    item = dialog.installed.import_file(write_gguf(tmp_path / "old.gguf"))
    dialog.refresh()
    dialog.select(item.id)
    dialog.confirm = lambda title, text: False
    dialog.remove_button.click()
    assert dialog.installed.all() == [item]
    dialog.confirm = lambda title, text: True
    dialog.remove_button.click()
    assert dialog.installed.all() == []


def test_settings_opens_the_page_for_its_data_folder(qtbot, tmp_path) -> None:
    settings = SettingsDialog(Preferences(), tmp_path)
    qtbot.addWidget(settings)
    page = settings.models_dialog()
    assert page.installed.folder == tmp_path / "models"
    page.chosen.connect(settings.model_edit.setText)
    page.chosen.emit(str(Path("/x/model.gguf")))
    assert settings.model_edit.text() == str(Path("/x/model.gguf"))
