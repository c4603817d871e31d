from __future__ import annotations

from pathlib import Path

import pytest

from chatapp.storage import Store, StoreLocation, open_store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "carechat.db"


@pytest.fixture
def store(db_path: Path) -> Store:
    s = open_store(StoreLocation(path=db_path))
    yield s
    s.close()


@pytest.fixture
def profile(store: Store):
    return store.create_profile("Ana")
