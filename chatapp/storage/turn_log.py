"""Save one turn as it happens: the question before the model starts, the answer as it grows."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from ..vocabulary import MessageStatus
from .errors import StorageError
from .owner import current_owner
from .store import Store

SAVE_INTERVAL_S = 0.3


class TurnLog:
    """Writes a turn through ``store``; a storage failure never stops the answer.

    The first ``StorageError`` is kept in ``error`` (for the UI to show) and the
    log stops writing: the patient still gets the answer, and is told it was not
    saved.
    """

    def __init__(
        self,
        store: Store,
        conversation_id: int,
        interval_s: float = SAVE_INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.conversation_id = conversation_id
        self.interval_s = interval_s
        self.clock = clock
        self.error: StorageError | None = None
        self.question_id: int | None = None
        self.answer_id: int | None = None
        self._pieces: list[str] = []
        self._saved_at = 0.0

    def begin(self, question: str) -> None:
        """Commit the question, and an empty ``streaming`` answer, before generating.

        The answer row names this process as its writer, so that another CareChat
        starting meanwhile does not take it for a crash's leftover.
        """
        self._safely(lambda: self._begin(question))

    def _begin(self, question: str) -> None:
        self.question_id = self.store.add_message(self.conversation_id, "user", question)
        self.answer_id = self.store.add_message(
            self.conversation_id, "assistant", "", status=MessageStatus.STREAMING,
            owner=current_owner(),
        )
        self._saved_at = self.clock()

    def progress(self, piece: str) -> None:
        """Keep the answer so far; write it at most every ``interval_s`` seconds."""
        self._pieces.append(piece)
        if self.answer_id is None or self.error is not None:
            return
        if self.clock() - self._saved_at >= self.interval_s:
            self._safely(lambda: self.store.update_message(self.answer_id, content=self.text))
            self._saved_at = self.clock()

    def finish(
        self,
        status: str,
        model: str | None = None,
        timings: dict | None = None,
        *,
        content: str | None = None,
        sources: Iterable[dict] | None = None,
        readability: dict | None = None,
    ) -> None:
        """Save the finished answer: the streamed text, or ``content`` when the text
        kept differs from what was streamed (a simpler rewrite), with its sources
        and reading scores."""
        if self.answer_id is None or self.error is not None:
            return
        text = self.text.strip() if content is None else content
        self._safely(lambda: self.store.update_message(
            self.answer_id, content=text, status=status, model=model, timings=timings,
            sources=sources, readability=readability,
        ))

    @property
    def text(self) -> str:
        return "".join(self._pieces)

    def _safely(self, write: Callable[[], None]) -> None:
        if self.error is not None:
            return
        try:
            write()
        except StorageError as exc:
            self.error = exc
