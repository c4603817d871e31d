"""Around the store and the library, for the GUI and the CLI alike: open them, pick the
profile, replay history, find what a turn needs from earlier ones."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Settings, default_data_dir
from .storage import Profile, ReadOnlyError, StorageError, Store, StoreLocation, open_store
from .storage.database import tighten_folder
from .turn import Turn
from .vocabulary import MessageStatus

if TYPE_CHECKING:
    from .knowledge import LibraryIndex

CLINIC_LIBRARY = "library"  # a clinic's own articles: <data dir>/library/<lang>/<id>.md

DEFAULT_PROFILE = "Me"
DEFAULT_PROFILE_NAMES = {"en": DEFAULT_PROFILE, "zh": "我"}  # the first profile, by language
CURRENT_PROFILE_KEY = "current_profile"


@dataclass
class OpenedStore:
    store: Store
    notices: list[str]  # things to tell the patient, in plain words


def open_app_store(settings: Settings, fall_back_to_memory: bool = True,
                   read_only_ok: bool = False) -> OpenedStore:
    """Open the data dir's store; mark answers cut off by a crash as interrupted, and
    finish wiping an erase that had to wait for another CareChat.

    If the file cannot be opened at all (read-only or full disk, say), the app
    still runs on an in-memory store and says that nothing will be saved. With
    ``read_only_ok`` (commands that only read) a file that cannot be written is
    opened to read instead.
    """
    notices: list[str] = []
    if settings.data_dir == default_data_dir():
        # CareChat's own folder, made by an older version with the umask's 0755:
        # private from now on. A folder chosen with --data-dir keeps its permissions.
        tighten_folder(settings.data_dir)
    location = StoreLocation.in_data_dir(settings.data_dir)
    try:
        store = open_store(location)
    except StorageError as exc:
        if read_only_ok and isinstance(exc, ReadOnlyError):
            return OpenedStore(open_store(location, read_only=True), [
                "CareChat's data folder is read-only: your saved conversations can be "
                "read, but nothing can be changed or saved."])
        if not fall_back_to_memory:
            raise
        notices.append(f"{exc.message} {exc.hint} Until then, nothing you type is saved.")
        return OpenedStore(open_store(StoreLocation.guest()), notices)
    if store.moved_aside is not None:
        notices.append(
            "Your saved conversations file was damaged and could not be read. It was "
            f"moved, not deleted, to {store.moved_aside}, and a new one was started."
        )
    if store.lost_changes:
        notices.append(
            "The last changes CareChat saved before it was stopped are missing: they were "
            f"in {store.location.path.name}-wal, which was deleted. The newest messages "
            "may be lost; everything older is still here.")
    try:
        store.mark_interrupted()
        store.finish_erase()
    except StorageError as exc:  # a read-only file can still be read
        notices.append(f"{exc.message} {exc.hint}")
    return OpenedStore(store, notices)


def current_profile(store: Store, language: str = "en") -> Profile:
    """The profile last used, or a first profile (in ``language``) for a new installation."""
    profile = find_current_profile(store, language)
    if profile is None:
        name = DEFAULT_PROFILE_NAMES.get(language, DEFAULT_PROFILE)
        profile = store.profile_or_create(name, language=language)
    if store.setting(CURRENT_PROFILE_KEY) != profile.id:
        store.set_setting(CURRENT_PROFILE_KEY, profile.id)
    return profile


def find_current_profile(store: Store, language: str = "en") -> Profile | None:
    """The profile last used, else the first profile's default name; None for a new
    installation. Creates nothing (for commands that only read)."""
    profile_id = store.setting(CURRENT_PROFILE_KEY)
    if profile_id is not None:
        try:
            return store.profile(profile_id)
        except StorageError:
            pass  # deleted meanwhile: fall back to the default
    return store.find_profile(DEFAULT_PROFILE_NAMES.get(language, DEFAULT_PROFILE))


def history_turns(store: Store, conversation_id: int) -> list[Turn]:
    """What the model should see of a conversation: completed questions and answers."""
    return [
        Turn(m.role, m.content)
        for m in store.messages(conversation_id)
        if m.status == MessageStatus.COMPLETE and m.content
    ]


def clinic_library_dir(data_dir: Path) -> Path:
    return Path(data_dir) / CLINIC_LIBRARY


def open_library(settings: Settings) -> LibraryIndex:
    """The built-in library plus the clinic's articles in the data dir, indexed.

    Never fails on a bad clinic file: it is skipped and listed in ``.problems``.
    """
    from .knowledge import LibraryIndex

    return LibraryIndex.load(extra_dirs=[clinic_library_dir(settings.data_dir)])


def conversation_profile(store: Store, conversation_id: int) -> Profile:
    """The profile a conversation belongs to (its reading level and answer length)."""
    return store.profile(store.conversation(conversation_id).profile_id)


def answer_sources(store: Store, conversation_id: int, answer: str) -> tuple[dict, ...]:
    """The sources saved with the latest answer whose text is ``answer`` (for "simpler"
    and teach-back turns about it); () when there is none."""
    text = answer.strip()
    for message in reversed(store.messages(conversation_id)):
        if message.role == "assistant" and message.content.strip() == text:
            return tuple(s for s in message.sources if isinstance(s, dict))
    return ()
