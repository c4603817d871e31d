"""Settings > Models: the installed models and the catalog; download, import, use, remove.

Downloads and imports run in their own thread (``Transfer``): the window never
waits on the network or a half-gigabyte copy. Only strings and numbers cross
back, through signals.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from model import DEFAULT_SPEC, ModelError, locate
from model.catalog import Catalog, CatalogEntry, total_memory_mb
from model.download import download
from model.installed import InstalledModels

from .a11y import MIN_TARGET_PX, describe

BUILT_IN = ""  # the spec of the built-in model in the registry
Job = Callable[[Callable[[int, int], None], threading.Event], str]


class Transfer(QObject):
    """Runs one download or import in a worker thread; reports in signals."""

    progress = Signal(float, float)  # bytes done, bytes in all (floats: files pass 2 GB)
    finished = Signal(str)  # what was installed (its id)
    failed = Signal(str)  # why not, in plain words

    def __init__(self, job: Job) -> None:
        super().__init__()
        self._job = job
        self.cancel = threading.Event()

    @Slot()
    def run(self) -> None:
        try:
            done = self._job(lambda d, t: self.progress.emit(float(d), float(t)), self.cancel)
        except ModelError as exc:
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(str(exc))
        else:
            self.finished.emit(done)


class ModelsDialog(QDialog):
    """Signals: chosen(str): a model spec to answer with ("" = built-in);
    transfer_ended(str): "installed", "failed" or "cancelled" (tests wait on it)."""

    chosen = Signal(str)
    transfer_ended = Signal(str)

    def __init__(self, installed: InstalledModels, catalog: Catalog,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.installed, self.catalog = installed, catalog
        self.memory_mb = total_memory_mb()
        self._thread: QThread | None = None
        self._transfer: Transfer | None = None
        self._closing: int | None = None
        self.setWindowTitle(self.tr("Models"))
        self.setMinimumSize(820, 460)

        intro = QLabel(self.tr(
            "CareChat answers with the model in use. Bigger models write better answers "
            "and need more memory. Downloads come from the Hugging Face Hub, only when you "
            "ask.") + " " + self.privacy_line())
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 6, self)
        self.table.setHorizontalHeaderLabels([
            self.tr("Model"), self.tr("Size"), self.tr("Memory needed"), self.tr("Languages"),
            self.tr("Speed here"), self.tr("Status")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        describe(self.table, self.tr("Models"), self.tr("Installed models and the catalog"))
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.use_button = QPushButton(self.tr("Use this model"))
        self.download_button = QPushButton(self.tr("Download"))
        self.import_button = QPushButton(self.tr("Import a file…"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.close_button = QPushButton(self.tr("Close"))
        for button, tip in ((self.use_button, self.tr("Answer with the chosen model")),
                            (self.download_button, self.tr("Download the chosen catalog model")),
                            (self.import_button, self.tr("Add a GGUF model file from this "
                                                         "computer or a USB stick")),
                            (self.remove_button, self.tr("Delete the chosen model's file")),
                            (self.close_button, self.tr("Close this window"))):
            describe(button, button.text().rstrip("…"), tip)
            button.setMinimumHeight(MIN_TARGET_PX)
        self.use_button.clicked.connect(self._use)
        self.download_button.clicked.connect(self._download)
        self.import_button.clicked.connect(self._import)
        self.remove_button.clicked.connect(self._remove)
        self.close_button.clicked.connect(self.reject)

        self.progress = QProgressBar(self)
        self.progress.setAccessibleName(self.tr("Progress"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        describe(self.cancel_button, self.tr("Cancel"), self.tr("Stop the download; what was "
                                                                "downloaded is kept"))
        self.cancel_button.clicked.connect(self.cancel_transfer)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setObjectName("notice")
        self.status.setAccessibleName(self.tr("Models status"))

        buttons = QHBoxLayout()
        for button in (self.use_button, self.download_button, self.import_button,
                       self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        transfer = QHBoxLayout()
        transfer.addWidget(self.progress, stretch=1)
        transfer.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, stretch=1)
        layout.addLayout(transfer)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._show_transfer(False)
        self.refresh()

    # --- seams (tests replace them) ----------------------------------------------------
    def confirm(self, title: str, text: str) -> bool:
        return QMessageBox.question(self, title, text) == QMessageBox.StandardButton.Yes

    def ask_open_path(self) -> str:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import a model file"), "",
                                              self.tr("GGUF models (*.gguf)"))
        return path

    def privacy_line(self) -> str:
        # The same sentence as model.download.PRIVACY_LINE, in the window's language.
        return self.tr("Only the model file is requested from the Hugging Face Hub. "
                       "Nothing about you or your conversations is sent.")

    # --- the table ---------------------------------------------------------------------
    def refresh(self) -> None:
        try:
            have = self.installed.all()
            in_use_id = self.installed.in_use_id()
        except ModelError as exc:
            have, in_use_id = [], ""
            self.status.setText(str(exc))
        rows: list[tuple[str, str, list[str]]] = []  # kind, key, cells
        rows.append(("builtin", BUILT_IN, [
            self.tr("Built-in: SmolLM2 135M Instruct"), _built_in_size(), "—", "en", "—",
            self._status(not in_use_id, True)]))
        for item in have:
            speed = f"{item.tokens_per_s:g} tokens/s" if item.tokens_per_s else "—"
            rows.append(("installed", item.id, [
                item.id, _mb(item.size / 1e6), "—", ", ".join(item.languages) or "?", speed,
                self._status(item.id == in_use_id, True)]))
        installed_ids = {m.id for m in have}
        for entry in self.catalog.entries:
            if entry.id in installed_ids:
                continue
            rows.append(("catalog", entry.id, [
                f"{entry.name} ({entry.licence})", _mb(entry.size_mb),
                _gb(entry.memory_mb) + ("" if self._fits(entry) else self.tr(" — too much "
                                                                           "for this computer")),
                ", ".join(entry.languages), "—", self.tr("Not downloaded")]))
        self.table.setRowCount(len(rows))
        for row, (kind, key, cells) in enumerate(rows):
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, (kind, key))
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self._update_buttons()

    def _status(self, in_use: bool, installed: bool) -> str:
        return self.tr("In use") if in_use else self.tr("Installed") if installed else ""

    def selected(self) -> tuple[str, str] | None:
        items = self.table.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def select(self, key: str) -> None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(Qt.ItemDataRole.UserRole)[1] == key:
                self.table.selectRow(row)
                return
        raise KeyError(key)

    def _fits(self, entry: CatalogEntry) -> bool:
        return self.memory_mb is None or entry.memory_mb <= self.memory_mb

    def _update_buttons(self) -> None:
        chosen = self.selected()
        kind = chosen[0] if chosen else ""
        busy = self._thread is not None
        self.use_button.setEnabled(kind in {"builtin", "installed"} and not busy)
        self.remove_button.setEnabled(kind == "installed" and not busy)
        self.download_button.setEnabled(kind == "catalog" and not busy)
        self.import_button.setEnabled(not busy)

    # --- actions -----------------------------------------------------------------------
    def _use(self) -> None:
        kind, key = self.selected()
        spec = BUILT_IN if kind == "builtin" else str(self.installed.path_of(
            self.installed.get(key)))
        self.chosen.emit(spec)
        self.accept()

    def _remove(self) -> None:
        _, key = self.selected()
        if not self.confirm(self.tr("Remove model"),
                            self.tr("Delete {0} from this computer?").format(key)):
            return
        try:
            self.installed.remove(key)
        except ModelError as exc:
            self.status.setText(str(exc))
        self.refresh()

    def _download(self) -> None:
        _, key = self.selected()
        entry = self.catalog.get(key)
        question = self.tr("Download {0} ({1}) from the Hugging Face Hub?").format(
            entry.name, _mb(entry.size_mb)) + "\n\n" + self.privacy_line()
        if not self._fits(entry):
            question += "\n\n" + self.tr("It needs about {0} of memory, more than this "
                                         "computer has: it may not start.").format(
                                             _gb(entry.memory_mb))
        if not self.confirm(self.tr("Download a model"), question):
            return
        installed = self.installed

        def job(progress, cancel) -> str:
            got = download(entry, installed.folder, progress=progress, cancel=cancel)
            return installed.add_downloaded(entry.id, got.path, got.sha256, got.facts,
                                            entry.languages).id

        self.status.setText(self.tr("Downloading {0}…").format(entry.name))
        self.start_transfer(job)

    def _import(self) -> None:
        path = self.ask_open_path()
        if not path:
            return
        installed, catalog = self.installed, self.catalog

        def known(sha: str):
            entry = next((e for e in catalog.entries if e.sha256 == sha), None)
            return None if entry is None else (entry.id, entry.languages)

        def job(progress, cancel) -> str:
            return installed.import_file(Path(path), progress=progress, known=known).id

        self.status.setText(self.tr("Checking and copying {0}…").format(Path(path).name))
        self.start_transfer(job)

    # --- the transfer thread -----------------------------------------------------------
    def start_transfer(self, job: Job) -> None:
        thread = QThread(self)
        transfer = Transfer(job)
        transfer.moveToThread(thread)
        thread.started.connect(transfer.run)
        transfer.progress.connect(self._on_progress)
        transfer.finished.connect(self._on_finished)
        transfer.failed.connect(self._on_failed)
        thread.finished.connect(transfer.deleteLater)
        self._thread, self._transfer = thread, transfer
        self._show_transfer(True)
        self._update_buttons()
        thread.start()

    def cancel_transfer(self) -> None:
        if self._transfer is not None:
            self._transfer.cancel.set()

    def _on_progress(self, done: float, total: float) -> None:
        self.progress.setMaximum(1000)
        self.progress.setValue(int(done * 1000 / total) if total else 0)
        self.progress.setFormat(f"{done / 1e6:,.0f} / {total / 1e6:,.0f} MB")

    def _on_finished(self, model_id: str) -> None:
        self._end_transfer()
        self.status.setText(self.tr("{0} is installed. Choose it and press “Use this "
                                    "model” to answer with it.").format(model_id))
        self.refresh()
        self.select(model_id)
        self.transfer_ended.emit("installed")

    def _on_failed(self, why: str) -> None:
        cancelled = self._transfer is not None and self._transfer.cancel.is_set()
        self._end_transfer()
        self.status.setText(why)
        self.refresh()
        self.transfer_ended.emit("cancelled" if cancelled else "failed")

    def _end_transfer(self) -> None:
        thread = self._thread
        self._thread = self._transfer = None
        if thread is not None:
            thread.quit()
            thread.wait()  # its job has returned: this is the event loop ending
        self._show_transfer(False)
        if self._closing is not None:
            super().done(self._closing)

    def _show_transfer(self, shown: bool) -> None:
        self.progress.setVisible(shown)
        self.cancel_button.setVisible(shown)
        if shown:
            self.progress.setMaximum(0)  # busy until the first figures come

    def done(self, result: int) -> None:
        # Closing stops a download (kept for next time) rather than leave it running;
        # the window closes once the transfer has seen the cancel, without waiting here.
        if self._thread is not None:
            self._closing = result
            self.status.setText(self.tr("Stopping…"))
            self.cancel_transfer()
            return
        super().done(result)


def _built_in_size() -> str:
    try:
        return _mb(locate(DEFAULT_SPEC).path.stat().st_size / 1e6)
    except (ModelError, OSError):
        return "—"


def _mb(mb: float) -> str:
    return f"{mb:,.0f} MB"


def _gb(mb: float) -> str:
    return f"{mb / 1000:.1f} GB"
