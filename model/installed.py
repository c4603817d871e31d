"""The models installed on this computer, and which one CareChat uses.

They live in one folder (``<data dir>/models``) with a small JSON registry
beside them: what each file is, where it came from, its SHA-256 and the speed
measured here. The choice of model ("in use") is kept there too, so the window,
``carechat ask`` and ``carechat models use`` agree on it. The registry is
rewritten whole and renamed into place, so a crash never leaves half of it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from .errors import ModelError, ModelNotFoundError
from .gguf_check import GgufFacts, check_gguf

REGISTRY = "models.json"
Progress = Callable[[int, int], None]


class RegistryError(ModelError):
    """The registry cannot be read or written."""


@dataclass(frozen=True)
class InstalledModel:
    id: str
    name: str
    file: str  # a file name in the models folder
    sha256: str
    size: int
    architecture: str
    source: str  # "catalog" or "import"
    added: str
    languages: tuple[str, ...] = ()  # () where nobody said (an imported file)
    tokens_per_s: float | None = None  # measured here, the latest answer

    def to_dict(self) -> dict:
        return {**asdict(self), "languages": list(self.languages)}


@dataclass
class _State:
    models: list[InstalledModel] = field(default_factory=list)
    in_use: str = ""  # an installed id, a path, or "" for the built-in model
    advised: str = ""  # the catalog model the window suggested once ("" = none yet)


class InstalledModels:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.registry = self.folder / REGISTRY

    # --- reading -----------------------------------------------------------------------
    def all(self) -> list[InstalledModel]:
        return list(self._read().models)

    def get(self, model_id: str) -> InstalledModel:
        for item in self._read().models:
            if item.id == model_id:
                return item
        raise ModelNotFoundError(f"No installed model is called {model_id!r}.",
                                 "See 'carechat models list' for the installed ones.")

    def path_of(self, item: InstalledModel) -> Path:
        return self.folder / item.file

    def chosen(self) -> str:
        """The model spec in use: an installed file's path, another path, or ""."""
        state = self._read()
        for item in state.models:
            if item.id == state.in_use:
                return str(self.path_of(item))
        return state.in_use

    def resolve(self, spec: str) -> str:
        """``spec`` with an installed model's id replaced by its file's path."""
        for item in self._read().models:
            if item.id == spec:
                return str(self.path_of(item))
        return spec

    def in_use_id(self) -> str:
        return self._read().in_use

    def advised(self) -> str:
        """The catalog model the window suggested at a first start, "" before it did."""
        return self._read().advised

    def mark_advised(self, model_id: str) -> None:
        with self._changing() as state:
            state.advised = model_id

    # --- changing ----------------------------------------------------------------------
    def use(self, spec: str) -> None:
        """Use an installed model (by id), any model path, or "" for the built-in one."""
        with self._changing() as state:
            known = any(m.id == spec for m in state.models)
            if spec and not known and not Path(spec).expanduser().exists():
                raise ModelNotFoundError(f"No installed model is called {spec!r}.",
                                         "See 'carechat models list'.")
            for item in state.models:  # a path of an installed file is stored by id
                if spec and Path(spec).resolve() == self.path_of(item).resolve():
                    spec = item.id
            state.in_use = spec

    def add(self, item: InstalledModel) -> InstalledModel:
        with self._changing() as state:
            state.models = [m for m in state.models if m.id != item.id] + [item]
        return item

    def remove(self, model_id: str) -> InstalledModel:
        item = self.get(model_id)
        with self._changing() as state:
            state.models = [m for m in state.models if m.id != model_id]
            if state.in_use == model_id:
                state.in_use = ""
        self.path_of(item).unlink(missing_ok=True)
        return item

    def record_speed(self, spec: str, tokens_per_s: float) -> None:
        """Remember the speed of the latest answer of the installed model at ``spec``."""
        with contextlib.suppress(RegistryError, OSError), self._changing() as state:
            state.models = [replace(m, tokens_per_s=round(tokens_per_s, 1))
                            if str(self.path_of(m)) == spec or m.id == spec else m
                            for m in state.models]

    def import_file(self, source: Path, progress: Progress | None = None,
                    known: Callable[[str], tuple[str, tuple[str, ...]] | None] = lambda d: None,
                    ) -> InstalledModel:
        """Check ``source`` and copy it in; the registry names it only once copied whole.

        ``known(sha256)`` gives the id and languages of a file the catalog knows.
        """
        source = Path(source).expanduser()
        facts = check_gguf(source)  # refuse before copying half a gigabyte
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self.folder / f".import-{uuid.uuid4().hex[:8]}.part"
        try:
            digest = _copy_hashing(source, partial, progress)
            existing = next((m for m in self.all() if m.sha256 == digest), None)
            if existing is not None:
                return existing
            check_gguf(partial)  # the copy, not only the original, is whole
            wanted, languages = known(digest) or (_slug(source.stem), ())
            model_id = self._free_id(wanted)
            name = f"{model_id}.gguf"
            os.replace(partial, self.folder / name)
        finally:
            partial.unlink(missing_ok=True)
        return self.add(_record(model_id, facts, name, digest, "import", languages))

    def add_downloaded(self, model_id: str, path: Path, sha256: str, facts: GgufFacts,
                       languages: tuple[str, ...]) -> InstalledModel:
        return self.add(_record(model_id, facts, Path(path).name, sha256, "catalog",
                                languages))

    # --- the file ----------------------------------------------------------------------
    def _free_id(self, wanted: str) -> str:
        taken = {m.id for m in self.all()}
        model_id, n = wanted, 2
        while model_id in taken or (self.folder / f"{model_id}.gguf").exists():
            model_id, n = f"{wanted}-{n}", n + 1
        return model_id

    def _read(self) -> _State:
        try:
            data = json.loads(self.registry.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return _State()
        except (OSError, ValueError) as exc:
            raise RegistryError(f"The list of installed models ({self.registry}) cannot be "
                                f"read ({exc}).",
                                "Remove that file: the model files stay, and can be "
                                "imported again.") from exc
        try:
            models = [InstalledModel(**{**m, "languages": tuple(m.get("languages", ()))})
                      for m in data.get("models", [])]
            return _State(models, str(data.get("in_use", "")), str(data.get("advised", "")))
        except (TypeError, AttributeError) as exc:
            raise RegistryError(f"The list of installed models ({self.registry}) is damaged.",
                                "Remove that file and import the models again.") from exc

    @contextlib.contextmanager
    def _changing(self) -> Iterator[_State]:
        from filelock import FileLock

        self.folder.mkdir(parents=True, exist_ok=True)
        with FileLock(self.folder / f".{REGISTRY}.lock", timeout=30):
            state = self._read()
            yield state
            payload = {"models": [m.to_dict() for m in state.models], "in_use": state.in_use,
                       "advised": state.advised}
            tmp = self.folder / f".{REGISTRY}.{os.getpid()}.tmp"
            try:
                tmp.write_text(json.dumps(payload, indent=2, ensure_ascii=False),
                               encoding="utf-8")
                os.replace(tmp, self.registry)
            except OSError as exc:
                tmp.unlink(missing_ok=True)
                raise RegistryError(f"The list of installed models cannot be saved in "
                                    f"{self.folder} ({exc.strerror or exc}).",
                                    "Check that CareChat may write there.") from exc


def _record(model_id: str, facts: GgufFacts, file: str, digest: str, source: str,
            languages: tuple[str, ...]) -> InstalledModel:
    return InstalledModel(id=model_id, name=facts.name, file=file, sha256=digest,
                          size=facts.size, architecture=facts.architecture, source=source,
                          added=time.strftime("%Y-%m-%d"), languages=tuple(languages))


def _slug(stem: str) -> str:
    slug = re.sub(r"[^a-z0-9.]+", "-", stem.lower()).strip("-.")
    return slug or "model"


def _copy_hashing(source: Path, target: Path, progress: Progress | None,
                  chunk: int = 4 << 20) -> str:
    total = source.stat().st_size
    digest = hashlib.sha256()
    done = 0
    try:
        with source.open("rb") as src, target.open("wb") as dst:
            while block := src.read(chunk):
                digest.update(block)
                dst.write(block)
                done += len(block)
                if progress is not None:
                    progress(done, total)
    except OSError as exc:
        raise ModelError(f"The model file could not be copied to {target.parent} "
                         f"({exc.strerror or exc}).",
                         "Free some disk space, or check that CareChat may write there.") from exc
    shutil.copystat(source, target)
    return digest.hexdigest()
