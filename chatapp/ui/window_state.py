"""What the window's parts share: the store, whose profile, which conversation, which language.

The window's parts (``TurnController`` and the others) read and write one
``WindowState`` instead of reaching into the window; the window's ``store``,
``profile``, ``language``, ``settings``, ``preferences`` and ``conversation_id``
are this object's fields under their own names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..config import Settings
from ..storage import Profile, StorageError, Store
from .settings_dialog import Preferences


@dataclass
class WindowState:
    """One per window, shared by all its parts.

    Attributes:
        store: the UI thread's own store connection (a kiosk swaps in a new one per
            visit).
        profile: whose conversations and settings are shown (``storage.Profile``).
        language: the language everything is shown in ("en", "zh").
        settings: this run's ``Settings``, with the model and device the preferences
            chose.
        preferences: the saved ``Preferences`` (model, device, answer length, theme).
        conversation_id: the conversation shown; None for a new one not yet asked in.
    """

    store: Store
    profile: Profile
    language: str
    settings: Settings
    preferences: Preferences
    conversation_id: int | None = None

    def update_profile(self, **changes) -> None:
        """Save ``changes`` to the profile and use it as saved (raises StorageError)."""
        self.profile = self.store.update_profile(self.profile.id, **changes)


def guarded(action: Callable[[], object], tell: Callable[[str], None]) -> bool:
    """Run a storage action; a StorageError is told (as a notice), never raised into Qt."""
    try:
        action()
    except StorageError as exc:
        tell(str(exc))
        return False
    return True
