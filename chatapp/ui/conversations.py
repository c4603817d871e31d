"""The sidebar's work: the profile's past conversations, and the profiles themselves."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from ..storage import StorageError
from ..storage.vault import ProfileLockedError
from .dialogs import Dialogs
from .sidebar import NEW_PROFILE, Sidebar
from .transcript_view import TranscriptView
from .turn_controller import TurnController
from .window_state import WindowState, guarded


class ConversationList(QObject):
    """Lists, searches, opens, starts, renames and deletes conversations; lists, adds
    and switches profiles. Storage failures become notices, never exceptions.

    Attributes:
        sidebar: the ``Sidebar`` it fills (the window connects its signals here).

    Signals:
        notice(str): something to tell the patient (a storage failure).
        changed(): the conversation shown, or the list, changed (buttons follow).
        cleared(): a new, empty conversation is shown.
        profile_switched(): another profile is in use (its look and language follow).
    """

    notice = Signal(str)
    changed = Signal()
    cleared = Signal()
    profile_switched = Signal()

    def __init__(self, state: WindowState, sidebar: Sidebar, transcript: TranscriptView,
                 turns: TurnController, dialogs: Dialogs, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.sidebar = sidebar
        self.transcript = transcript
        self.turns = turns
        self.dialogs = dialogs
        # Asked before another profile is shown: may it be opened (a protected
        # profile's passcode)? The window sets it (ProfileLock.unlock).
        self.can_open: Callable[[int], bool] = lambda _profile_id: True

    # --- conversations -----------------------------------------------------------------
    def refresh(self) -> None:
        """List the profile's conversations again, or the search's hits."""
        state = self.state
        query = self.sidebar.query()
        untitled = self.tr("New conversation")
        try:
            if query:
                hits = state.store.search(state.profile.id, query, mark=("", ""))
                self.sidebar.show_hits(hits, state.conversation_id, untitled)
            else:
                conversations = state.store.conversations(state.profile.id)
                self.sidebar.show_conversations(conversations, state.conversation_id, untitled)
        except ProfileLockedError:
            self.sidebar.show_locked(True, True)  # nothing of it: not even titles
        except StorageError as exc:
            self.notice.emit(str(exc))
        self.changed.emit()

    def new(self) -> None:
        """Show a new, empty conversation (saved with its first question)."""
        self.state.conversation_id = None
        self.turns.forget_teach_back()
        self.sidebar.select(None)
        self.transcript.messages.set_items([])
        self.changed.emit()
        self.cleared.emit()

    def open(self, conversation_id: int, message_id: int = 0) -> None:
        """Show a saved conversation, at ``message_id`` when given (a search hit)."""
        try:
            messages = self.state.store.messages(conversation_id)
        except StorageError as exc:
            self.notice.emit(str(exc))
            return
        if conversation_id != self.state.conversation_id:
            self.turns.forget_teach_back()
        self.state.conversation_id = conversation_id
        self.transcript.show_items(self.turns.items_for(conversation_id, messages), message_id)
        self.sidebar.select(conversation_id)
        self.changed.emit()

    def rename(self) -> None:
        state = self.state
        if state.conversation_id is None:
            return
        current = self._title()
        if current is None:
            return
        title = self.dialogs.ask_text(self.tr("Rename conversation"), self.tr("New name:"),
                                      current)
        if title is None or not title.strip():
            return
        guarded(lambda: state.store.rename_conversation(state.conversation_id, title),
                self.notice.emit)
        self.refresh()

    def delete(self) -> None:
        state = self.state
        if state.conversation_id is None or self.turns.displayed():
            return
        title = self._title()
        if title is None:
            return
        title = title or self.tr("New conversation")
        question = self.tr("Delete the conversation “{title}”? This cannot be undone.")
        if not self.dialogs.confirm(self.tr("Delete conversation"), question.format(title=title)):
            return
        if guarded(lambda: state.store.delete_conversation(state.conversation_id),
                   self.notice.emit):
            self.new()
            self.refresh()

    def _title(self) -> str | None:
        """The shown conversation's title; None, with a notice, when it cannot be read."""
        try:
            return self.state.store.conversation(self.state.conversation_id).title
        except StorageError as exc:
            self.notice.emit(str(exc))
            return None

    # --- profiles ---------------------------------------------------------------------
    def refresh_profiles(self) -> None:
        state = self.state
        try:
            profiles = state.store.profiles()
        except StorageError as exc:
            self.notice.emit(str(exc))
            return
        self.sidebar.set_profiles([(p.id, p.name) for p in profiles], state.profile.id)

    def choose_profile(self, profile_id: int) -> None:
        """The profile box's choice: a profile, or ``NEW_PROFILE`` to add one."""
        if self.turns.turn is not None:
            self.notice.emit(self.tr("Please wait for the answer to finish, or stop it."))
            self.refresh_profiles()
            return
        if profile_id == NEW_PROFILE:
            name = self.dialogs.ask_text(self.tr("Add a profile"), self.tr("Name:"), "")
            if not name or not name.strip():
                self.refresh_profiles()
                return
            try:
                profile = self.state.store.create_profile(name, language=self.state.language)
            except StorageError as exc:
                self.notice.emit(str(exc))
                self.refresh_profiles()
                return
            profile_id = profile.id
        self.switch_profile(profile_id)

    def switch_profile(self, profile_id: int) -> None:
        state = self.state
        if not self.can_open(profile_id):
            self.refresh_profiles()  # the box back to the profile still shown
            return
        try:
            state.profile = state.store.profile(profile_id)
            state.store.set_setting("current_profile", profile_id)
        except StorageError as exc:
            self.notice.emit(str(exc))
            return
        self.refresh_profiles()
        self.new()
        self.refresh()
        self.profile_switched.emit()
