"""Open the SQLite file safely: private on disk, damaged files moved aside (a read-only
one never), pragmas set, schema migrated, several processes at once."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import stat
import struct
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from .errors import ReadOnlyError, StorageError, translate
from .locking import BUSY_TIMEOUT_S, retry_while_busy
from .migrations import MIGRATIONS, apply_migrations, schema_version

DB_FILENAME = "carechat.db"
SQLITE_HEADER = b"SQLite format 3\x00"
SIDE_FILES = ("-wal", "-shm", "-journal")
DAMAGED_MARK = ".damaged-"
PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


@dataclass(frozen=True)
class Opened:
    db: Database
    moved_aside: Path | None  # where a damaged file was put, to tell the user
    lost_changes: bool = False  # the -wal file of a killed CareChat was deleted


def connect(path: Path | str | None, memory_name: str | None = None,
            busy_timeout_s: float = BUSY_TIMEOUT_S) -> Database:
    """A connection in autocommit mode: every write goes through ``transaction()``.

    Python's default implicit transactions would leave a transaction open after
    a plain write, and a later transaction would then only make a savepoint
    that never commits.
    """
    if memory_name is not None:
        uri = f"file:{memory_name}?mode=memory&cache=shared"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    else:
        conn = open_connection(str(path), busy_timeout_s)
    db = Database(conn)
    db.execute("PRAGMA foreign_keys = ON")
    # Deleted text is overwritten, not left in free pages ("forget me").
    db.execute("PRAGMA secure_delete = ON")
    return db


def open_connection(target: str, busy_timeout_s: float, uri: bool = False) -> sqlite3.Connection:
    """Every connection to a file goes through here (one seam for tests)."""
    return sqlite3.connect(target, uri=uri, isolation_level=None, timeout=busy_timeout_s)


def open_database(path: Path) -> Opened:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date."""
    make_private_folder(path.parent)
    # Before any connection: the first one rebuilds the -shm file from the -wal.
    lost_changes = lost_wal(path)
    moved = move_aside(path) if check_health(path) == "damaged" else None
    lost_changes = lost_changes and moved is None
    try:
        make_private_file(path)
        try:
            return Opened(_prepared(connect(path)), moved, lost_changes)
        except sqlite3.DatabaseError as exc:
            if moved is not None or not is_damage(exc):
                raise
            moved = move_aside(path)
            make_private_file(path)
            return Opened(_prepared(connect(path)), moved)
    except sqlite3.Error as exc:
        raise translate(exc) from exc
    except OSError as exc:
        raise _folder_error(path, exc) from exc


def open_for_reading(path: Path) -> Database:
    """The database at ``path`` to read only, where it cannot be written (a read-only
    data folder or disk): nothing is created, moved aside, migrated or marked.

    SQLite cannot make the WAL index file beside a database in a read-only folder,
    so the file is read as immutable: exact when no -wal file holds changes not yet
    copied into it, as after every clean close.
    """
    wal = path.with_name(path.name + "-wal")
    try:
        if not path.is_file():
            raise StorageError(f"There is no CareChat data file at {path}.",
                               "Check the data folder (--data-dir).")
        if wal.exists() and wal.stat().st_size:
            raise ReadOnlyError(
                f"The newest changes to CareChat's data are in {wal.name}, which can only "
                "be read where the data folder can be written.",
                "Ask whoever manages this computer to make the folder writable, or copy "
                "the folder somewhere you can write and use --data-dir.")
        db = Database(open_connection(f"{path.resolve().as_uri()}?immutable=1",
                                      BUSY_TIMEOUT_S, uri=True))
        if schema_version(db) != len(MIGRATIONS):
            db.close()
            raise ReadOnlyError(
                "CareChat's data file was saved by another version of CareChat and must "
                "be updated, which cannot be done in a read-only folder.",
                "Open it once where the folder can be written.")
        return db
    except sqlite3.Error as exc:
        raise translate(exc) from exc
    except OSError as exc:
        raise _folder_error(path, exc) from exc


def _prepared(db: Database) -> Database:
    # Only this pragma fails at once instead of waiting for a lock: two CareChats
    # creating one new file race here.
    retry_while_busy(lambda: db.execute("PRAGMA journal_mode = WAL"))
    # In WAL mode, NORMAL survives a crash or a killed process; FULL also
    # survives a power cut, for a few milliseconds per saved message.
    db.execute("PRAGMA synchronous = FULL")
    apply_migrations(db)
    return db


def is_damage(exc: sqlite3.Error) -> bool:
    """Damage only: a locked, read-only or unreachable file is no reason to move it aside."""
    name = _error_name(exc)
    if name:
        return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))
    return "malformed" in str(exc) or "not a database" in str(exc)


def _error_name(exc: sqlite3.Error) -> str:
    return getattr(exc, "sqlite_errorname", "") or ""


def check_health(path: Path) -> str:
    """"missing", "healthy", "damaged", or "unknown" (cannot be checked: read-only,
    locked, unreadable; opening it will say why). Only "damaged" is moved aside."""
    try:
        if not path.exists() or path.stat().st_size == 0:
            return "missing"
        with path.open("rb") as fh:
            if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return "damaged"
    except OSError:
        return "unknown"
    try:
        probe = open_connection(f"{path.resolve().as_uri()}?mode=ro", BUSY_TIMEOUT_S, uri=True)
        try:
            result = probe.execute("PRAGMA quick_check").fetchone()
        finally:
            probe.close()
    except sqlite3.DatabaseError as exc:
        # In a read-only folder this read-only check fails too (SQLite cannot make
        # the WAL index file there): that says nothing about the file itself.
        return "damaged" if is_damage(exc) else "unknown"
    return "healthy" if result is not None and result[0] == "ok" else "damaged"


def lost_wal(path: Path) -> bool:
    """True when a killed CareChat's last changes were in a -wal file that is now gone.

    After a clean close SQLite deletes both side files. After a kill both stay,
    and the -shm file's header (https://www.sqlite.org/walformat.html) says how
    many WAL frames hold changes not yet copied into the main file. A -shm that
    counts such frames beside no -wal at all means those changes were deleted.
    Deleting both side files leaves no trace; that loss cannot be told.
    """
    shm = path.with_name(path.name + "-shm")
    if path.with_name(path.name + "-wal").exists():
        return False
    try:
        with shm.open("rb") as fh:
            head = fh.read(136)
    except OSError:
        return False
    if len(head) < 136 or head[:48] != head[48:96]:
        return False  # no header, or one being written: nothing to conclude
    version, _, _, is_init = struct.unpack_from("=IIIB", head, 0)
    (max_frame,) = struct.unpack_from("=I", head, 16)
    (backfilled,) = struct.unpack_from("=I", head, 96)
    return version == 3007000 and is_init == 1 and max_frame > backfilled


def make_private_folder(folder: Path) -> None:
    """Create the data folder readable by its owner only (a folder that exists keeps
    its permissions: it may be one the user chose and shares on purpose)."""
    if folder.is_dir():
        return
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.mkdir(mode=PRIVATE_FOLDER)  # the umask can only take bits away
    except FileExistsError:
        if not folder.is_dir():
            raise _folder_error(folder / DB_FILENAME, NotADirectoryError(
                errno.ENOTDIR, "Not a directory")) from None
    except OSError as exc:
        raise _folder_error(folder / DB_FILENAME, exc) from exc


def tighten_folder(folder: Path) -> None:
    """Take away others' access to an existing folder (CareChat's own default one)."""
    make_private(folder)


def make_private_file(path: Path) -> None:
    """Create the database file 0600 before SQLite does (it would use the umask,
    usually 0644), and tighten one made by an older CareChat. SQLite creates the
    -wal and -shm files with the database file's permissions."""
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE))
    for file in (path, *(path.with_name(path.name + s) for s in SIDE_FILES)):
        make_private(file)


def make_private(path: Path) -> None:
    """Take away the group's and others' access; never add any (a file the user made
    read-only stays read-only)."""
    if os.name != "posix":
        return  # Windows: the per-user folder's access list already keeps others out
    with contextlib.suppress(OSError):  # absent, not ours, or on a read-only disk
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            path.chmod(mode & ~0o077)


def _folder_error(path: Path, exc: OSError) -> StorageError:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ReadOnlyError(
            f"CareChat's data folder {path.parent} is read-only, so your conversations "
            "cannot be saved.",
            "Ask whoever manages this computer to make the folder writable, or start "
            "CareChat with --data-dir pointing at a folder you can write to.",
        )
    return StorageError(
        f"CareChat cannot create its data folder {path.parent} ({exc.strerror or exc}).",
        "Choose a folder you can write to with --data-dir.",
    )


def move_aside(path: Path) -> Path:
    """Rename a damaged database (and its side files) out of the way; never delete it."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}{DAMAGED_MARK}{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}{DAMAGED_MARK}{stamp}-{n}")
    try:
        path.rename(target)
        make_private(target)
        for suffix in SIDE_FILES:
            side = path.with_name(path.name + suffix)
            if side.exists():
                moved = target.with_name(target.name + suffix)
                side.rename(moved)
                make_private(moved)
    except OSError as exc:
        raise StorageError(
            f"CareChat's data file {path} is damaged and could not be moved aside "
            f"({exc.strerror or exc}).",
            "Move or rename that file yourself, then start CareChat again.",
        ) from exc
    return target


def damaged_copies(data_dir: Path) -> list[Path]:
    """Files moved aside as damaged (with their side files), oldest first."""
    return sorted(Path(data_dir).glob(f"{DB_FILENAME}{DAMAGED_MARK}*"))


def delete_files(files: list[Path]) -> None:
    """Delete files for good: overwritten with zeros first, then removed.

    The zeros reach the file's blocks on most disks; an SSD or a copy-on-write
    file system may still keep older copies of them that no program can reach.
    """
    for file in files:
        try:
            size = file.stat().st_size
            with file.open("r+b") as fh:
                for start in range(0, size, 1 << 20):
                    fh.write(bytes(min(1 << 20, size - start)))
                fh.flush()
                os.fsync(fh.fileno())
        except OSError:
            pass  # still removed below; an unreadable file cannot be overwritten
        try:
            file.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise StorageError(f"CareChat could not delete {file} ({exc.strerror or exc}).",
                               "Delete that file yourself.") from exc
