"""CareChat: a patient-education chatbot that runs a local Transformer model.

Public API for scripts and tests; the GUI lives in ``chatapp.ui``.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .config import Settings, load_settings  # noqa: E402
from .turn import Assistant, QuestionError, Turn, TurnResult, clean_question  # noqa: E402

__all__ = [
    "Assistant",
    "QuestionError",
    "Settings",
    "Turn",
    "TurnResult",
    "__version__",
    "clean_question",
    "load_settings",
]
