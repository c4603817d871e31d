"""The kiosk's settings: ``<data dir>/kiosk.toml``, written by the clinic's IT person.

Every key is optional; a missing file means the defaults. A bad value stops the
kiosk with a message that names the file, the key and what is allowed, rather
than starting a waiting-room machine with settings nobody chose.

    enabled = true              # start in kiosk mode without --kiosk
    idle_seconds = 120          # no touch for this long: "Are you still there?"
    countdown_seconds = 15      # then this long before the visit is wiped
    language = "en"             # the welcome screen's language: "en" or "zh"
    printer = ""                # handouts go to this printer; "" = the default one
    handouts = true             # false hides "Print my handout"
    topics = ["high-blood-pressure", "type-2-diabetes"]   # welcome-screen tiles
    server_url = "http://192.168.1.20:8000"   # the clinic's server writes the answers
    server_model = ""           # its model; "" = the one it lists first
    server_key_file = ""        # its API key's file; "" = server.key in the data folder
    server_fallback = false     # true: this computer's model answers while it is down
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from model.server import api_base

from .safety import LANGUAGES
from .server_settings import ServerChoice

KIOSK_FILE = "kiosk.toml"
ENV_KIOSK = "CARECHAT_KIOSK"
MIN_IDLE_S, MAX_IDLE_S = 15, 3600
MIN_COUNTDOWN_S, MAX_COUNTDOWN_S = 5, 120
MAX_TOPICS = 12
# The topics primary care is asked about most, as tiles a visitor can tap at once.
DEFAULT_TOPICS = (
    "high-blood-pressure", "type-2-diabetes", "cold-and-flu", "asthma-and-inhalers",
    "healthy-eating", "physical-activity", "depression", "pain-relievers",
)


class KioskConfigError(ValueError):
    """kiosk.toml cannot be used; the message says where and how to fix it."""


@dataclass(frozen=True)
class KioskConfig:
    enabled: bool = False
    idle_seconds: int = 120
    countdown_seconds: int = 15
    language: str = "en"
    printer: str = ""
    handouts: bool = True
    topics: tuple[str, ...] = DEFAULT_TOPICS
    server_url: str = ""
    server_model: str = ""
    server_key_file: str = ""
    server_fallback: bool = False

    @property
    def server(self) -> ServerChoice:
        return ServerChoice(self.server_url, self.server_model, self.server_key_file,
                            self.server_fallback)


def kiosk_path(data_dir: Path) -> Path:
    return Path(data_dir) / KIOSK_FILE


def load_kiosk_config(data_dir: Path) -> KioskConfig:
    """The kiosk settings in ``data_dir``, or the defaults when there is no file."""
    path = kiosk_path(data_dir)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return KioskConfig()
    except tomllib.TOMLDecodeError as exc:
        raise KioskConfigError(f"{path} is not valid TOML: {exc}.") from None
    except OSError as exc:
        raise KioskConfigError(f"{path} cannot be read: {exc.strerror or exc}.") from None
    return parse_kiosk_config(data, str(path))


def parse_kiosk_config(data: dict, where: str = KIOSK_FILE) -> KioskConfig:
    known = {f.name for f in fields(KioskConfig)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise KioskConfigError(
            f"{where}: unknown setting {', '.join(unknown)}; "
            f"the settings are {', '.join(sorted(known))}.")
    values = dict(data)
    for name in ("enabled", "handouts", "server_fallback"):
        if name in values and not isinstance(values[name], bool):
            raise KioskConfigError(f"{where}: {name} must be true or false.")
    for name, low, high in (("idle_seconds", MIN_IDLE_S, MAX_IDLE_S),
                            ("countdown_seconds", MIN_COUNTDOWN_S, MAX_COUNTDOWN_S)):
        value = values.get(name, getattr(KioskConfig, name))
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise KioskConfigError(
                f"{where}: {name} must be a whole number from {low} to {high}.")
    if values.get("language", "en") not in LANGUAGES:
        raise KioskConfigError(f"{where}: language must be one of {', '.join(LANGUAGES)}.")
    if not isinstance(values.get("printer", ""), str):
        raise KioskConfigError(f"{where}: printer must be a printer's name in quotes.")
    for name in ("server_url", "server_model", "server_key_file"):
        if not isinstance(values.get(name, ""), str):
            raise KioskConfigError(f"{where}: {name} must be text in quotes.")
    if values.get("server_url"):
        try:
            api_base(values["server_url"])
        except ValueError as exc:
            raise KioskConfigError(f"{where}: server_url: {exc}.") from None
    if "topics" in values:
        topics = values["topics"]
        if (not isinstance(topics, list) or not all(isinstance(t, str) for t in topics)
                or len(topics) > MAX_TOPICS):
            raise KioskConfigError(
                f"{where}: topics must be a list of at most {MAX_TOPICS} article ids "
                "in quotes (carechat topics lists them).")
        values["topics"] = tuple(topics)
    return KioskConfig(**values)


def kiosk_requested(flag: bool, env: Mapping[str, str], config: KioskConfig) -> bool:
    """``--kiosk``, ``CARECHAT_KIOSK=1`` or ``enabled = true`` in kiosk.toml."""
    return flag or env.get(ENV_KIOSK, "").strip().lower() in ("1", "true", "yes") \
        or config.enabled
