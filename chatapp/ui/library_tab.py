"""The Health topics page: the library to read without the model."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ..session import open_library
from .topics_browser import TopicsBrowser
from .window_state import WindowState


class LibraryTab(QWidget):
    """The page that holds the topics browser, built the first time it is needed.

    The model's thread indexes the library once, before the model loads, and the
    browser shares that index (it is read-only and locked); only a patient who
    opens the page sooner makes it open the library itself.

    Attributes:
        index: the ``knowledge.LibraryIndex``, or None until it is loaded.
        browser: the ``TopicsBrowser``, or None until the page is first needed.

    Signals:
        index_ready(object): the index came from the model's thread.
        browser_made(object): the browser was just built and shown on the page.
        notice(str): something to tell the patient (the library cannot open).
    """

    index_ready = Signal(object)
    browser_made = Signal(object)
    notice = Signal(str)

    def __init__(self, state: WindowState, external_links: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.external_links = external_links  # False: never open a web browser
        self.index = None
        self.browser: TopicsBrowser | None = None
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)

    def set_index(self, index) -> None:
        self.index = index
        if self.browser is not None:
            self.browser.set_index(index)
        self.index_ready.emit(index)

    def ensure_browser(self) -> TopicsBrowser | None:
        """The browser, built now if need be; None (with a notice) if the library cannot
        be opened."""
        if self.browser is None:
            state = self.state
            try:
                # Only when the patient opens the library before the worker has it.
                index = self.index or open_library(state.settings)
            except (OSError, ValueError) as exc:
                self.notice.emit(self.tr("The health library could not be opened: {error}")
                                 .format(error=exc))
                return None
            self.index = index
            self.browser = TopicsBrowser(index, state.language, self,
                                         external_links=self.external_links,
                                         level=state.profile.literacy_level)
            self.layout().addWidget(self.browser)
            self.browser_made.emit(self.browser)
        return self.browser

    def set_level(self, level: str) -> None:
        if self.browser is not None:
            self.browser.set_level(level)

    def set_language(self, language: str) -> None:
        if self.browser is not None:
            self.browser.language = language

    def close_browser(self) -> None:
        """Throw the browser away, with its search, history and open article."""
        if self.browser is not None:
            self.browser.setParent(None)
            self.browser.deleteLater()
            self.browser = None
