"""Qt translations: CareChat's own (``resources/i18n``) and Qt's, for standard dialogs."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

from ..resources import resource_path

QT_LOCALES = {"zh": "zh_CN"}
_installed: list[QTranslator] = []


class Retranslates:
    """For a widget with ``retranslate()``: reads its texts again on LanguageChange.

    Put it first among the bases (``class Sidebar(Retranslates, QWidget)``), so its
    ``changeEvent`` runs before Qt's.
    """

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def translation_file(language: str):
    return resource_path("i18n", f"carechat_{QT_LOCALES[language]}.qm")


def install_language(language: str) -> None:
    """Switch every window's language now; English needs no translator.

    Installing or removing a translator sends LanguageChange to every widget,
    which re-reads its texts (see ``MainWindow.retranslate``).
    """
    app = QCoreApplication.instance()
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    QLocale.setDefault(QLocale(QT_LOCALES.get(language, "en_US")))
    if language not in QT_LOCALES:
        return
    ours = QTranslator(app)
    if not ours.load(str(translation_file(language))):
        raise FileNotFoundError(f"Missing translation {translation_file(language)}")
    qt_own = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for translator, loaded in (
        (ours, True),
        (qt_own, qt_own.load(f"qtbase_{QT_LOCALES[language]}", qt_dir)),
    ):
        if loaded:
            app.installTranslator(translator)
            _installed.append(translator)
