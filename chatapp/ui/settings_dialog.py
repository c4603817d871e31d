"""Settings: model (and the Models page), device, answer length, theme, language,
the clinic server; the data folder, read-only."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from model import DEFAULT_SPEC, ModelError, locate
from model.catalog import load_catalog
from model.installed import InstalledModels
from model.server import api_base, url_warning

from ..config import models_dir
from ..resources import resource_path
from ..server_settings import KEY_FILE, ServerSettingsError, check_key
from ..storage.database import PRIVATE_FOLDER
from .a11y import MIN_TARGET_PX, describe
from .models_dialog import ModelsDialog

# The "Answer length" setting (Preferences.answer_length) as the most new tokens the
# model may write per answer. Not chatapp.literacy's answer lengths, which are the
# answer *style* a profile asked for ("short" or "more_detail").
LOCK_CHOICES = (2, 5, 10, 30, 60)  # minutes, for Preferences.lock_minutes
MAX_TOKENS_BY_LENGTH = {"short": 160, "normal": 320, "long": 640}


@dataclass(frozen=True)
class Preferences:
    model: str = DEFAULT_SPEC
    device: str = "auto"
    answer_length: str = "normal"
    theme: str = "system"
    language: str = "en"
    # A clinic's server that writes the answers ("" = this computer's model); its
    # API key is kept in a file of its own (chatapp.server_settings), never here.
    server_url: str = ""
    server_model: str = ""
    server_fallback: bool = False
    speech_rate: str = "normal"  # read-aloud's speed: a name of read_aloud.RATES
    lock_minutes: int = 10  # a protected profile locks after this long unused


def check_model(spec: str) -> str:
    """"" if ``spec`` names a model CareChat can load, else why not, in plain words."""
    try:
        locate(spec.strip() or DEFAULT_SPEC)
    except ModelError as exc:
        return f"{exc.message} {exc.hint}".strip()
    return ""


class SettingsDialog(QDialog):
    def __init__(
        self,
        preferences: Preferences,
        data_dir: Path,
        devices: Sequence[str] = ("cpu",),
        check: Callable[[str], str] = check_model,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._check = check
        self.data_dir = data_dir
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(560)
        form = QFormLayout()

        self.model_edit = QLineEdit(preferences.model if preferences.model != DEFAULT_SPEC else "")
        self.model_edit.setPlaceholderText(self.tr("Built-in model (SmolLM2-135M-Instruct)"))
        describe(self.model_edit, self.tr("Model file or folder"),
                   self.tr("A GGUF file or a folder with a Hugging Face model. "
                           "Leave empty for the built-in model."))
        self.model_file = QPushButton(self.tr("Choose file…"))
        describe(self.model_file, self.tr("Choose a model file"),
                   self.tr("Choose a GGUF model file"))
        self.model_folder = QPushButton(self.tr("Choose folder…"))
        describe(self.model_folder, self.tr("Choose a model folder"),
                   self.tr("Choose a folder with a Hugging Face model"))
        self.models_button = QPushButton(self.tr("Models…"))
        describe(self.models_button, self.tr("Models"),
                 self.tr("Installed models and the catalog: download, import, choose"))
        self.model_file.clicked.connect(self._choose_file)
        self.model_folder.clicked.connect(self._choose_folder)
        self.models_button.clicked.connect(self.open_models)
        model_row = QHBoxLayout()
        model_row.addWidget(self.model_edit, stretch=1)
        model_row.addWidget(self.models_button)
        model_row.addWidget(self.model_file)
        model_row.addWidget(self.model_folder)
        form.addRow(self.tr("Model:"), model_row)

        self.device = self._combo(self.tr("Device"), self.tr("Where the model runs"), [
            ("auto", self.tr("Automatic (graphics card if there is one)")),
            ("cpu", self.tr("Processor (CPU)")),
            *([("cuda", self.tr("Graphics card (CUDA)"))] if "cuda" in devices else []),
            *([("mps", self.tr("Apple graphics (MPS)"))] if "mps" in devices else []),
        ], preferences.device)
        form.addRow(self.tr("Device:"), self.device)

        self.length = self._combo(self.tr("Answer length"),
                                  self.tr("How long answers may be"), [
            ("short", self.tr("Short")),
            ("normal", self.tr("Normal")),
            ("long", self.tr("Long")),
        ], preferences.answer_length)
        form.addRow(self.tr("Answer length:"), self.length)

        self.speech_rate = self._combo(
            self.tr("Reading-aloud speed"), self.tr("How fast Listen reads the text aloud"), [
                ("slower", self.tr("Slower")),
                ("normal", self.tr("Normal")),
                ("faster", self.tr("Faster")),
            ], preferences.speech_rate)
        form.addRow(self.tr("Reading-aloud speed:"), self.speech_rate)

        self.lock_minutes = self._combo(
            self.tr("Lock after"),
            self.tr("A profile with a passcode locks after this long without use"),
            [(str(m), self.tr("{minutes} minutes").format(minutes=m)) for m in LOCK_CHOICES],
            str(preferences.lock_minutes))
        form.addRow(self.tr("Lock protected profiles after:"), self.lock_minutes)

        self.theme = self._combo(self.tr("Theme"), self.tr("Colours of the window"), [
            ("system", self.tr("Same as my computer")),
            ("light", self.tr("Light")),
            ("dark", self.tr("Dark")),
            ("high_contrast", self.tr("High contrast")),
        ], preferences.theme)
        form.addRow(self.tr("Theme:"), self.theme)

        self.language = self._combo(self.tr("Language"), self.tr("Language of CareChat"), [
            ("en", "English"),
            ("zh", "简体中文"),
        ], preferences.language)
        form.addRow(self.tr("Language:"), self.language)

        self._build_server(form, preferences)

        self.folder = QLineEdit(str(data_dir))
        self.folder.setReadOnly(True)
        describe(self.folder, self.tr("Data folder"),
                   self.tr("Where CareChat keeps your conversations on this computer"))
        self.open_folder = QPushButton(self.tr("Open folder"))
        describe(self.open_folder, self.tr("Open the data folder"),
                   self.tr("Show the data folder in your file manager"))
        self.open_folder.clicked.connect(self._open_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, stretch=1)
        folder_row.addWidget(self.open_folder)
        form.addRow(self.tr("Data folder:"), folder_row)

        self.error = QLabel("")
        self.error.setObjectName("notice")
        self.error.setWordWrap(True)
        self.error.setAccessibleName(self.tr("Problem with the settings"))
        self.error.hide()

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("Save"))
        describe(self.save_button, self.tr("Save settings"), self.tr("Save and close"))
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Cancel"))
        describe(cancel, self.tr("Cancel"), self.tr("Close without saving"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for button in (self.models_button, self.model_file, self.model_folder, self.open_folder,
                       self.save_button, cancel):
            button.setMinimumHeight(MIN_TARGET_PX)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)


    def _build_server(self, form: QFormLayout, preferences: Preferences) -> None:
        """The clinic server's address, model, API key and fallback."""
        self.server_url = QLineEdit(preferences.server_url)
        self.server_url.setPlaceholderText(self.tr("None: answers are written on this computer"))
        describe(self.server_url, self.tr("Clinic server"),
                 self.tr("The address of your clinic's AI server, for example "
                         "http://192.168.1.20:8000. Leave empty to use the model on "
                         "this computer."))
        form.addRow(self.tr("Clinic server:"), self.server_url)
        self.server_warning = QLabel("")
        self.server_warning.setObjectName("notice")
        self.server_warning.setWordWrap(True)
        self.server_warning.setAccessibleName(self.tr("Warning about the server address"))
        self.server_warning.hide()
        form.addRow("", self.server_warning)
        self.server_url.textChanged.connect(self._warn_about_server)
        self._warn_about_server(preferences.server_url)
        self.server_model = QLineEdit(preferences.server_model)
        self.server_model.setPlaceholderText(self.tr("The server's first model"))
        describe(self.server_model, self.tr("Server model"),
                 self.tr("The name of the model on the server"))
        form.addRow(self.tr("Server model:"), self.server_model)
        self._has_key = (self.data_dir / KEY_FILE).exists()
        self.server_key = QLineEdit()
        self.server_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.server_key.setPlaceholderText(
            self.tr("A key is saved; type to replace it") if self._has_key
            else self.tr("None"))
        describe(self.server_key, self.tr("Server API key"),
                 self.tr("Kept in a file only you can read, never in the conversations"))
        self.forget_key = QCheckBox(self.tr("Forget the saved key"))
        self.forget_key.setVisible(self._has_key)
        key_row = QHBoxLayout()
        key_row.addWidget(self.server_key, stretch=1)
        key_row.addWidget(self.forget_key)
        form.addRow(self.tr("API key:"), key_row)
        self.server_fallback = QCheckBox(
            self.tr("Use the model on this computer when the server cannot be reached"))
        self.server_fallback.setChecked(preferences.server_fallback)
        for box in (self.forget_key, self.server_fallback):
            box.setMinimumHeight(MIN_TARGET_PX)
        form.addRow("", self.server_fallback)

    def _warn_about_server(self, url: str) -> None:
        warning = url_warning(url) if url.strip() else ""
        self.server_warning.setText(self.tr(
            "This address is not encrypted (http) and not inside the clinic: patients' "
            "questions would cross the internet readable by others. Use https, or a "
            "server on the clinic's network.") if warning else "")
        self.server_warning.setVisible(bool(warning))

    def server_key_change(self) -> str | None:
        """The API key to save ("" removes the saved one), or None to keep it as it is."""
        typed = self.server_key.text().strip()
        if typed:
            return typed
        return "" if self.forget_key.isChecked() else None

    def _combo(self, name: str, tip: str, choices: list[tuple[str, str]], current: str):
        combo = QComboBox(self)
        for key, label in choices:
            combo.addItem(label, key)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.setMinimumHeight(MIN_TARGET_PX)
        describe(combo, name, tip)
        return combo

    def preferences(self) -> Preferences:
        return Preferences(
            model=self.model_edit.text().strip() or DEFAULT_SPEC,
            device=self.device.currentData(),
            answer_length=self.length.currentData(),
            theme=self.theme.currentData(),
            language=self.language.currentData(),
            server_url=self.server_url.text().strip(),
            server_model=self.server_model.text().strip(),
            server_fallback=self.server_fallback.isChecked(),
            speech_rate=self.speech_rate.currentData(),
            lock_minutes=int(self.lock_minutes.currentData()),
        )

    def accept(self) -> None:
        # The model is checked before anything is saved: a typo must not leave
        # CareChat unable to start next time.
        problem = self._check(self.preferences().model)
        field = self.model_edit
        if not problem:
            problem, field = self._server_problem(), self.server_url
        if problem:
            self.error.setText(problem)
            self.error.show()
            field.setFocus()
            return
        super().accept()

    def _server_problem(self) -> str:
        url = self.server_url.text().strip()
        if url:
            try:
                api_base(url)
            except ValueError:
                return self.tr("The clinic server's address must look like "
                               "http://192.168.1.20:8000 or https://ai.clinic.example.")
        try:
            check_key(self.server_key.text())
        except ServerSettingsError:
            return self.tr("An API key is one word, without spaces.")
        return ""

    def models_dialog(self) -> ModelsDialog:
        """The Models page, for the model folder of this data folder."""
        catalog = load_catalog(resource_path("models", "catalog.toml"))
        return ModelsDialog(InstalledModels(models_dir(self.data_dir)), catalog, parent=self)

    def open_models(self) -> None:
        dialog = self.models_dialog()
        dialog.chosen.connect(self.model_edit.setText)
        dialog.exec()

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a model file"), "", self.tr("GGUF models (*.gguf)")
        )
        if path:
            self.model_edit.setText(path)

    def _choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Choose a model folder"))
        if path:
            self.model_edit.setText(path)

    def _open_folder(self) -> None:
        self.data_dir.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.data_dir)))
