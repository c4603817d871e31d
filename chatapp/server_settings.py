"""Which clinic server answers, if any: from the command line, the environment,
kiosk.toml or the window's Settings; and its API key, kept in a file of its own.

The key is never stored in the database, never in kiosk.toml (which IT people
copy around) and never in logs or exports: it lives in ``<data dir>/server.key``
(or a file the clinic names), readable by this user only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from model.server import ServerConfig, api_base

from .private_files import write_private

KEY_FILE = "server.key"
ENV_SERVER = "CARECHAT_SERVER"
ENV_SERVER_MODEL = "CARECHAT_SERVER_MODEL"
ENV_SERVER_KEY_FILE = "CARECHAT_SERVER_KEY_FILE"
MAX_KEY_CHARS = 4096


class ServerSettingsError(ValueError):
    """The server settings cannot be used; the message says which and why."""


@dataclass(frozen=True)
class ServerChoice:
    """The server as configured, before its key is read."""

    url: str = ""  # "" = no server: the model runs on this computer
    model: str = ""
    key_file: str = ""  # "" = <data dir>/server.key when it exists
    fallback: bool = False  # the local model answers while the server is unreachable

    def merged(self, other: ServerChoice) -> ServerChoice:
        """This choice, with ``other``'s values where this one gives none."""
        return ServerChoice(self.url or other.url, self.model or other.model,
                            self.key_file or other.key_file, self.fallback or other.fallback)


def from_env(env: Mapping[str, str]) -> ServerChoice:
    return ServerChoice(env.get(ENV_SERVER, ""), env.get(ENV_SERVER_MODEL, ""),
                        env.get(ENV_SERVER_KEY_FILE, ""))


def key_path(data_dir: Path, choice: ServerChoice) -> Path:
    return Path(choice.key_file).expanduser() if choice.key_file else Path(data_dir) / KEY_FILE


def read_key(path: Path, required: bool = False) -> str:
    """The API key in ``path`` ("" when there is none and none is ``required``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if required:
            raise ServerSettingsError(f"The server key file {path} does not exist.") from None
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ServerSettingsError(f"The server key file {path} cannot be read "
                                  f"({getattr(exc, 'strerror', None) or exc}).") from None
    try:
        return check_key(text)
    except ServerSettingsError:
        raise ServerSettingsError(f"The server key file {path} must hold the key alone, "
                                  "on one line.") from None


def check_key(key: str) -> str:
    """``key`` stripped; raises ``ServerSettingsError`` unless it is one word."""
    key = key.strip()
    if any(c.isspace() for c in key) or len(key) > MAX_KEY_CHARS:
        raise ServerSettingsError("An API key is one word, without spaces.")
    return key


def save_key(data_dir: Path, key: str) -> Path | None:
    """Keep ``key`` in ``<data dir>/server.key``, readable by this user only
    (written whole); an empty key removes the file."""
    path = Path(data_dir) / KEY_FILE
    key = check_key(key)
    if not key:
        path.unlink(missing_ok=True)
        return None
    write_private(path, key + "\n")
    return path


def server_config(choice: ServerChoice, data_dir: Path) -> ServerConfig | None:
    """The ``ServerConfig`` of ``choice`` with its key, or None without a URL."""
    if not choice.url.strip():
        return None
    try:
        api_base(choice.url)
    except ValueError as exc:
        raise ServerSettingsError(str(exc)) from None
    key = read_key(key_path(data_dir, choice), required=bool(choice.key_file))
    return ServerConfig(url=choice.url.strip(), model=choice.model.strip(), api_key=key)
