"""Locking and unlocking passcode-protected profiles in the window.

A protected profile opens only with its passcode (``UnlockDialog``, with the
growing wait after wrong tries). It locks again after ``minutes`` without a key
press, click or touch, when the window is minimised or hidden, and when the
system says the application is hidden or suspended (where it tells Qt; a
screen lock is not reported on every platform). Locking forgets the profile's
key in this process, makes the model drop the conversation it read, clears a
clipboard CareChat filled, and tells the window (``locked``) to show nothing of
the profile: no messages, no titles, no search hits.

An answer being written when the lock comes is stopped first; the profile locks
once that answer has been saved.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QVBoxLayout, QWidget

from ..storage import StorageError, protection
from ..storage.vault import WrongPasscodeError
from ..try_gate import TryGate
from .a11y import MIN_TARGET_PX
from .clipboard import clear_ours
from .dialogs import Dialogs
from .i18n import Retranslates
from .passcode_dialog import PasscodeDialog, UnlockDialog
from .turn_controller import TurnController
from .window_state import WindowState

LOCK_MINUTES = 10  # Preferences.lock_minutes' default
_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel,
             QEvent.Type.TouchBegin}


class LockedPanel(Retranslates, QWidget):
    """What a locked profile shows instead of its conversations, with Unlock."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.text = QLabel(self, objectName="heading")
        self.text.setWordWrap(True)
        self.unlock_button = QPushButton(self, objectName="primary")
        self.unlock_button.setMinimumHeight(MIN_TARGET_PX)
        layout.addWidget(self.text)
        layout.addWidget(self.unlock_button, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.hide()
        self.retranslate()

    def retranslate(self) -> None:
        self.text.setText(self.tr(
            "This profile is locked: its conversations are encrypted on this computer. "
            "Unlock it with its passcode, or choose another profile on the left."))
        self.unlock_button.setText(self.tr("Unlock…"))


class ProfileLock(QObject):
    """Opens, locks and manages the passcodes of protected profiles.

    Signals:
        notice(str): something wrong to tell the patient.
        done(str): what was done (a passcode set, changed or removed).
        locked(): the current profile was locked: show nothing of it.
        unlocked(): the current profile was opened: show it again.
        protection_changed(): its passcode was set or removed.
    """

    notice = Signal(str)
    done = Signal(str)
    locked = Signal()
    unlocked = Signal()
    protection_changed = Signal()

    def __init__(self, state: WindowState, turns: TurnController, dialogs: Dialogs,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.turns = turns
        self.dialogs = dialogs
        self._gates: dict[int, TryGate] = {}
        self._lock_after_turn = False
        self.copied = ""  # what "Copy answer" last put on the clipboard
        self.idle = QTimer(self, singleShot=True)
        self.idle.timeout.connect(self.lock_when_idle)
        self.set_minutes(LOCK_MINUTES)
        # The window's own events (minimised, hidden) always; every widget's input
        # only while a protected profile is open (_watch): a filter on the whole
        # application sees every event, repaints of a streaming answer included.
        if isinstance(parent, QObject):
            parent.installEventFilter(self)
        QGuiApplication.instance().applicationStateChanged.connect(self._on_app_state)
        turns.busy_changed.connect(self._on_busy)

    # --- state ------------------------------------------------------------------------
    def set_minutes(self, minutes: int) -> None:
        """Lock after this many minutes without use."""
        self.idle.setInterval(max(1, int(minutes)) * 60_000)
        self._watch()

    def is_locked(self, profile_id: int | None = None) -> bool:
        """Whether the profile (the current one by default) is protected and locked."""
        profile_id = self.state.profile.id if profile_id is None else profile_id
        try:
            return not self.state.store.is_unlocked(profile_id)
        except StorageError:
            return False

    def is_protected(self, profile_id: int | None = None) -> bool:
        profile_id = self.state.profile.id if profile_id is None else profile_id
        try:
            return self.state.store.is_protected(profile_id)
        except StorageError:
            return False

    def gate(self, profile_id: int) -> TryGate:
        """The profile's gate: one count of wrong tries for as long as the window runs."""
        if profile_id not in self._gates:
            self._gates[profile_id] = TryGate(lambda passcode: self._try(profile_id, passcode))
        return self._gates[profile_id]

    def _try(self, profile_id: int, passcode: str) -> bool:
        try:
            protection.unlock(self.state.store, profile_id, passcode)
        except WrongPasscodeError:
            return False
        return True

    # --- unlocking ----------------------------------------------------------------------
    def unlock(self, profile_id: int | None = None) -> bool:
        """Ask for the passcode of a locked profile; True when it is open (or was)."""
        profile_id = self.state.profile.id if profile_id is None else profile_id
        if not self.is_locked(profile_id):
            return True
        try:
            name = self.state.store.profile(profile_id).name
        except StorageError as exc:
            self.notice.emit(str(exc))
            return False
        dialog = UnlockDialog(name, self.gate(profile_id), self.parent())
        if not self.dialogs.run_dialog(dialog) or self.is_locked(profile_id):
            return False
        if profile_id == self.state.profile.id:
            self._watch()
            self.unlocked.emit()
        return True

    # --- locking ------------------------------------------------------------------------
    def lock(self) -> None:
        """Lock the current profile now, if it is protected and open."""
        if not self.is_protected() or self.is_locked():
            return
        if self.turns.turn is not None:
            self._lock_after_turn = True  # saved first, then locked (_on_busy)
            self.turns.stop()
            return
        self._lock_after_turn = False
        protection.lock(self.state.store, self.state.profile.id)
        self._watch()  # nothing to watch for until it is opened again
        self.turns.controller.forget_prompt()
        self._clear_clipboard()
        self.locked.emit()

    def lock_when_idle(self) -> None:
        if self.turns.turn is not None:  # still answering: that is not idle
            self.idle.start()
            return
        self.lock()

    def _on_busy(self, busy: bool) -> None:
        if not busy and self._lock_after_turn:
            self.lock()

    def _on_app_state(self, app_state: Qt.ApplicationState) -> None:
        if app_state in (Qt.ApplicationState.ApplicationHidden,
                         Qt.ApplicationState.ApplicationSuspended):
            self.lock()

    def _watch(self) -> None:
        """Run the idle wait while the current profile is protected and open."""
        if self.is_protected() and not self.is_locked():
            self.idle.start()
            QApplication.instance().installEventFilter(self)
        else:
            self.idle.stop()
            QApplication.instance().removeEventFilter(self)

    def profile_changed(self) -> None:
        """Another profile is in use: watch it, or not."""
        self._watch()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in _ACTIVITY and self.idle.isActive():
            self.idle.start()  # starts the wait again
        if watched is self.parent() and (
                event.type() == QEvent.Type.Hide
                or (event.type() == QEvent.Type.WindowStateChange
                    and watched.isMinimized())):
            self.lock()  # the window minimised or hidden: a protected profile locks
        return False

    def _clear_clipboard(self) -> None:
        copied = self.copied  # a copied answer, where ownership is not reported
        clear_ours(lambda mode: bool(copied)
                   and QGuiApplication.clipboard().text(mode) == copied)
        self.copied = ""

    # --- the passcode itself -----------------------------------------------------------
    def manage(self) -> None:
        """Set, change or remove the current profile's passcode (a dialog)."""
        state = self.state
        protected = self.is_protected()
        if protected and not self.unlock():
            return
        dialog = PasscodeDialog(state.profile.name, protected, self.parent())
        if not self.dialogs.run_dialog(dialog):
            return
        try:
            if dialog.action == "set":
                protection.protect(state.store, state.profile.id, dialog.new.text())
                self.done.emit(self.tr("This profile's conversations are now encrypted. "
                                         "CareChat will ask for the passcode to open them."))
            elif dialog.action == "change":
                protection.change_passcode(state.store, state.profile.id,
                                           dialog.current.text(), dialog.new.text())
                self.done.emit(self.tr("The passcode was changed."))
            elif dialog.action == "remove":
                protection.unprotect(state.store, state.profile.id, dialog.current.text())
                self.done.emit(self.tr("The passcode was removed: this profile's "
                                         "conversations are no longer encrypted."))
        except WrongPasscodeError:
            self.notice.emit(self.tr("The current passcode was not right; nothing was "
                                     "changed."))
        except StorageError as exc:
            self.notice.emit(str(exc))
        self._watch()
        self.protection_changed.emit()
