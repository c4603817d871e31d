"""The model loader's progress messages, so the window can show them translated.

``model/`` is Qt-free and speaks English; these are the exact strings it reports
(a test keeps this list and ``model/loader.py`` in step).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "ModelStatus"
KNOWN = (
    QT_TRANSLATE_NOOP("ModelStatus", "Looking for the model…"),
    QT_TRANSLATE_NOOP("ModelStatus", "Loading the model…"),
    QT_TRANSLATE_NOOP("ModelStatus", "Starting the model on the graphics card…"),
    QT_TRANSLATE_NOOP("ModelStatus", "Starting the model…"),
    QT_TRANSLATE_NOOP("ModelStatus", "Ready"),
    QT_TRANSLATE_NOOP("ModelStatus", "Checking the model file…"),
    QT_TRANSLATE_NOOP("ModelStatus", "Connecting to the clinic's server…"),  # model/server.py
    QT_TRANSLATE_NOOP("ModelStatus",
                      "The saved copy of the model is damaged; preparing it again…"),
    QT_TRANSLATE_NOOP("ModelStatus",
                      "Preparing the model for its first use. This happens once and can "
                      "take a minute…"),
)


def translate_status(message: str) -> str:
    return QCoreApplication.translate(CONTEXT, message) if message in KNOWN else message
