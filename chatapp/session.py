"""Around the store, for the GUI and the CLI alike: open it, pick the profile, replay history."""

from __future__ import annotations

from dataclasses import dataclass

from .assistant import Turn
from .config import Settings
from .storage import Profile, StorageError, Store, StoreLocation, open_store

DEFAULT_PROFILE = "Me"
DEFAULT_PROFILE_NAMES = {"en": DEFAULT_PROFILE, "zh": "我"}  # the first profile, by language
CURRENT_PROFILE_KEY = "current_profile"


@dataclass
class OpenedStore:
    store: Store
    notices: list[str]  # things to tell the patient, in plain words


def open_app_store(settings: Settings, fall_back_to_memory: bool = True) -> OpenedStore:
    """Open the data dir's store; mark answers cut off by a crash as interrupted.

    If the file cannot be opened at all (read-only or full disk, say), the app
    still runs on an in-memory store and says that nothing will be saved.
    """
    notices: list[str] = []
    try:
        store = open_store(StoreLocation.in_data_dir(settings.data_dir))
    except StorageError as exc:
        if not fall_back_to_memory:
            raise
        notices.append(f"{exc.message} {exc.hint} Until then, nothing you type is saved.")
        return OpenedStore(open_store(StoreLocation.guest()), notices)
    if store.moved_aside is not None:
        notices.append(
            "Your saved conversations file was damaged and could not be read. It was "
            f"moved, not deleted, to {store.moved_aside}, and a new one was started."
        )
    store.mark_interrupted()
    return OpenedStore(store, notices)


def current_profile(store: Store, language: str = "en") -> Profile:
    """The profile last used, or a first profile (in ``language``) for a new installation."""
    profile_id = store.setting(CURRENT_PROFILE_KEY)
    if profile_id is not None:
        try:
            return store.profile(profile_id)
        except StorageError:
            pass  # deleted meanwhile: fall through to the default
    name = DEFAULT_PROFILE_NAMES.get(language, DEFAULT_PROFILE)
    try:
        profile = store.profile_named(name)
    except StorageError:
        profile = store.create_profile(name, language=language)
    store.set_setting(CURRENT_PROFILE_KEY, profile.id)
    return profile


def history_turns(store: Store, conversation_id: int) -> list[Turn]:
    """What the model should see of a conversation: completed questions and answers."""
    return [
        Turn(m.role, m.content)
        for m in store.messages(conversation_id)
        if m.status == "complete" and m.content
    ]
