"""Typed errors for loading and running a model.

Each error carries a plain-language ``hint`` that says what to do next, so the
GUI and the CLI can show it to a patient or a clinic's IT person as it is.
"""

from __future__ import annotations


class ModelError(Exception):
    """Base class: the model could not be found, loaded or run."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class ModelNotFoundError(ModelError):
    """The model file, folder or the default model package is missing."""


class ModelCorruptError(ModelError):
    """The model file exists but cannot be read: damaged, truncated or not a model."""


class UnsupportedModelError(ModelError):
    """The file is a model, but of an architecture this app cannot run."""


class ModelOutOfMemoryError(ModelError):
    """The device ran out of memory while loading or generating."""


class DeviceUnavailableError(ModelError):
    """The requested device (for example ``cuda``) is not present on this machine."""


class PromptTooLongError(ModelError):
    """The conversation does not fit in the model's context window."""


class ServerError(ModelError):
    """A clinic's inference server could not answer (``model.server``).

    ``kind`` says which fault, for the window and the tests: "unreachable",
    "timeout", "busy", "server", "auth", "model", "malformed", "dropped",
    "refused" (the server turned the request down, e.g. a prompt too long).
    """

    def __init__(self, message: str, hint: str = "", kind: str = "server") -> None:
        super().__init__(message, hint)
        self.kind = kind

    @property
    def unreachable(self) -> bool:
        """Nothing answered at all: the local model could stand in."""
        return self.kind in ("unreachable", "timeout")
