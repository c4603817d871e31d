"""Read resources/literacy/*.toml and check each field, naming file and field on error.

Clinicians edit these files; a typo must fail loudly with where it is, not as a
KeyError deep inside a turn.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, NoReturn

from ..resources import resource_path

LANGUAGES = ("en", "zh")


class LiteracyDataError(ValueError):
    """A resources/literacy file is missing, not TOML, or has a wrong field."""


def data_path(name: str) -> Path:
    return resource_path("literacy", name)


def load(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise LiteracyDataError(f"{_shown(path)}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise LiteracyDataError(f"{_shown(path)}: not valid TOML ({exc})") from None


def language(value: str) -> str:
    if value not in LANGUAGES:
        raise ValueError(f"Unknown language {value!r}. Use one of: {', '.join(LANGUAGES)}.")
    return value


class Fields:
    """One table of a TOML file, with typed getters whose errors say file and field."""

    def __init__(self, data: Any, path: Path, where: str = "") -> None:
        self.path = path
        self.where = where
        if not isinstance(data, dict):
            self.fail("", "must be a table")
        self.data: dict[str, Any] = data

    def fail(self, key: str, problem: str) -> NoReturn:
        field = ".".join(p for p in (self.where, key) if p) or "(top level)"
        raise LiteracyDataError(f"{_shown(self.path)}: field '{field}' {problem}")

    def _get(self, key: str, kind: type | tuple[type, ...], label: str) -> Any:
        if key not in self.data:
            self.fail(key, "is missing")
        value = self.data[key]
        # bool is an int in Python; a true/false where a number belongs is a typo.
        if isinstance(value, bool) and kind is not bool:
            self.fail(key, f"must be {label}, not {value!r}")
        if not isinstance(value, kind):
            self.fail(key, f"must be {label}, not {value!r}")
        return value

    def text(self, key: str, *, allow_empty: bool = False) -> str:
        value = self._get(key, str, "text")
        if not allow_empty and not value.strip():
            self.fail(key, "must not be empty")
        return value.strip()

    def number(self, key: str, *, low: float | None = None, high: float | None = None) -> float:
        value = float(self._get(key, (int, float), "a number"))
        if (low is not None and value < low) or (high is not None and value > high):
            self.fail(key, f"must be between {low} and {high}, not {value:g}")
        return value

    def integer(self, key: str) -> int:
        return self._get(key, int, "a whole number")

    def texts(self, key: str) -> tuple[str, ...]:
        values = self._get(key, list, "a list of texts")
        if not values:
            self.fail(key, "must not be empty")
        for i, item in enumerate(values):
            if not isinstance(item, str) or not item.strip():
                self.fail(f"{key}[{i}]", "must be non-empty text")
        return tuple(v.strip() for v in values)

    def table(self, key: str) -> Fields:
        return Fields(self._get(key, dict, "a table"), self.path, self._sub(key))

    def tables(self, key: str) -> tuple[Fields, ...]:
        values = self._get(key, list, "a list of tables")
        if not values:
            self.fail(key, "must not be empty")
        return tuple(Fields(v, self.path, f"{self._sub(key)}[{i}]") for i, v in enumerate(values))

    def _sub(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key


def _shown(path: Path) -> str:
    # "resources/literacy/x.toml" reads better than a long absolute path.
    parts = path.parts
    return "/".join(parts[-3:]) if len(parts) >= 3 else str(path)
