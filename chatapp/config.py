"""Settings: where data lives, which model and device to use. Env overrides too.

Precedence: command-line option, then environment variable, then default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from model import DEFAULT_SPEC, DEVICES
from model.constants import default_cache_dir
from model.installed import InstalledModels, RegistryError
from model.server import ServerConfig

from .safety import LANGUAGES, default_country
from .server_settings import ServerChoice, from_env, server_config

APP_NAME = "CareChat"
ENV_DATA_DIR = "CARECHAT_DATA_DIR"
ENV_MODEL = "CARECHAT_MODEL"
ENV_DEVICE = "CARECHAT_DEVICE"
ENV_COUNTRY = "CARECHAT_COUNTRY"
ENV_LANG = "CARECHAT_LANG"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    model: str = DEFAULT_SPEC
    device: str = "auto"
    country: str = ""  # ISO code for emergency numbers; "" = say "your local number"
    language: str = "en"  # "en" or "zh"
    # Which of model, device and language were given on the command line or in the
    # environment: those win over what the window saved for this session.
    explicit: frozenset[str] = frozenset()
    # Converted model weights, keyed by the source file's hash: in the user cache
    # folder (or CARECHAT_CACHE_DIR), shared by every data folder, since they hold
    # nothing about a patient and take 20-45 s to make.
    model_cache_dir: Path = field(default_factory=default_cache_dir)
    # A clinic's inference server writes the answers instead of the local model
    # (model.server); None: the model runs on this computer. Never a default.
    server: ServerConfig | None = None
    # While that server cannot be reached at start, the local model answers.
    server_fallback: bool = False

    @property
    def models_dir(self) -> Path:
        """Downloaded and imported model files, with their registry (``carechat models``)."""
        return models_dir(self.data_dir)


def models_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "models"


def chosen_model(data_dir: Path, given: str | None) -> str:
    """The model to load: the one given (an installed model's id becomes its file),
    else the one chosen with `carechat models use` or in Settings, else the built-in."""
    installed = InstalledModels(models_dir(data_dir))
    try:
        return installed.resolve(given) if given else installed.chosen() or DEFAULT_SPEC
    except RegistryError:
        # `carechat models list` says what is wrong with it; answering still works.
        return given or DEFAULT_SPEC


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_language(env: Mapping[str, str]) -> str:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(name, "").lower().startswith("zh"):
            return "zh"
    return "en"


def load_settings(
    data_dir: str | Path | None = None,
    model: str | None = None,
    device: str | None = None,
    env: Mapping[str, str] | None = None,
    country: str | None = None,
    language: str | None = None,
    server: ServerChoice | None = None,
) -> Settings:
    """Raises ``ValueError`` (``ServerSettingsError`` for the server) for a bad value."""
    env = os.environ if env is None else env
    chosen_language = language or env.get(ENV_LANG) or default_language(env)
    if chosen_language not in LANGUAGES:
        raise ValueError(
            f"Unknown language {chosen_language!r}; choose one of {', '.join(LANGUAGES)}."
        )
    chosen_device = device or env.get(ENV_DEVICE) or "auto"
    if chosen_device not in DEVICES:
        raise ValueError(
            f"Unknown device {chosen_device!r}; choose one of {', '.join(DEVICES)}."
        )
    chosen_dir = data_dir or env.get(ENV_DATA_DIR) or default_data_dir()
    given = {"model": model or env.get(ENV_MODEL), "device": device or env.get(ENV_DEVICE),
             "language": language or env.get(ENV_LANG)}
    data_path = Path(chosen_dir).expanduser()
    chosen_server = (server or ServerChoice()).merged(from_env(env))
    if chosen_server.url:
        given["server"] = chosen_server.url
    return Settings(
        data_dir=data_path,
        model=chosen_model(data_path, model or env.get(ENV_MODEL)),
        device=chosen_device,
        country=(country or env.get(ENV_COUNTRY) or default_country(dict(env))).upper(),
        language=chosen_language,
        explicit=frozenset(name for name, value in given.items() if value),
        model_cache_dir=default_cache_dir(env),
        server=server_config(chosen_server, data_path),
        server_fallback=chosen_server.fallback,
    )
