"""The profile's reading level: chosen by hand, or by the short reading questions."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction

from ..storage import StorageError
from .dialogs import Dialogs
from .look import Look
from .screener_dialog import LevelDialog, ScreenerDialog
from .window_state import WindowState, guarded

SCREENER_KEY = "screener_done"  # per profile: asked once, at first start


class ReadingLevel(QObject):
    """The level answers and the library are written at, kept with the profile.

    The sidebar's level menu leads here: the level dialog, or the reading
    questions (the screener, offered once per profile at first start), which
    also set the text size and language.

    Signals:
        level_changed(str): the profile's level is now this (the sidebar and the
            health library follow).
        notice(str): something to tell the patient (a storage failure).
    """

    level_changed = Signal(str)
    notice = Signal(str)

    def __init__(self, state: WindowState, look: Look, dialogs: Dialogs,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)  # the window: the dialogs' parent too
        self.state = state
        self.look = look
        self.dialogs = dialogs

    def on_menu(self, action: QAction) -> None:
        """The sidebar's level menu."""
        if action.data() == "screener":
            self.open_screener()
        else:
            self.choose_level()

    def choose_level(self) -> None:
        dialog = LevelDialog(self.state.profile.literacy_level, self.parent())
        if self.dialogs.run_dialog(dialog):
            self.set_level(str(dialog.level()))

    def set_level(self, level: str) -> None:
        if guarded(lambda: self.state.update_profile(literacy_level=level), self.notice.emit):
            self.level_changed.emit(level)

    def needs_screener(self) -> bool:
        try:
            return not self.state.store.setting(
                f"{SCREENER_KEY}:{self.state.profile.id}", False)
        except StorageError:
            return False

    def open_screener(self) -> None:
        """The short reading questions (optional; skipping them gives basic)."""
        dialog = ScreenerDialog(self.state.language, parent=self.parent())
        self.dialogs.run_dialog(dialog)
        # Done, Skip or closed: closing counts as skipping, which gives basic.
        self.apply_screener(dialog.result())

    def apply_screener(self, result) -> None:
        state = self.state
        prefs = result.preferences
        guarded(lambda: state.store.set_setting(f"{SCREENER_KEY}:{state.profile.id}", True),
                self.notice.emit)
        self.set_level(str(result.level))
        # How much answers say: the prompt's writing rules read it from the profile.
        guarded(lambda: state.update_profile(answer_style=prefs.answer_style), self.notice.emit)
        self.look.set_text_scale(prefs.font_scale)
        if prefs.language != state.language:
            self.look.apply_preferences(replace(state.preferences, language=prefs.language))
