"""Conversations and health-literacy profiles in one SQLite file (sqlite-utils), Qt-free.

Each thread opens its own ``Store`` on a shared ``StoreLocation``. A guest
location lives in memory only and leaves nothing on disk.
"""

from .database import DB_FILENAME
from .errors import NotFoundError, ReadOnlyError, StorageError
from .export import export_profile, to_markdown, write_export
from .migrations import MIGRATIONS, schema_version
from .records import Conversation, Message, Profile, SearchHit
from .store import Store, StoreLocation, open_store, title_from
from .turn_log import TurnLog

__all__ = [
    "DB_FILENAME",
    "MIGRATIONS",
    "Conversation",
    "Message",
    "NotFoundError",
    "ReadOnlyError",
    "Profile",
    "SearchHit",
    "StorageError",
    "Store",
    "StoreLocation",
    "TurnLog",
    "export_profile",
    "open_store",
    "schema_version",
    "title_from",
    "to_markdown",
    "write_export",
]
