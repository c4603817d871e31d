"""The base of CareChat's errors a person can act on, told apart from bugs."""

from __future__ import annotations


class HintedError(Exception):
    """A known problem in plain words (``message``) and what to do next (``hint``).

    The window and the command line show ``str(error)`` as it is. (``model/`` keeps
    its own ``ModelError`` of the same shape: the engine does not import the app.)
    """

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()
