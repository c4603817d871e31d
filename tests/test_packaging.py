"""A non-editable install must carry resources/ and the entry points."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_wheel_ships_resources_and_entry_points(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path),
         str(REPO)],
        check=True, timeout=300,
    )
    wheel = next(tmp_path.glob("carechat-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        entry_text = archive.read(entry_points).decode()
        metadata = archive.read(next(n for n in names if n.endswith("METADATA"))).decode()
    for source in (REPO / "resources").rglob("*"):
        if source.is_file():
            assert f"chatapp/resources/{source.relative_to(REPO / 'resources')}" in names
    assert "chatapp/cli.py" in names and "model/engine.py" in names
    assert not any(n.startswith("tests/") for n in names)
    assert "carechat = chatapp.cli:main" in entry_text
    assert "License-Expression: Apache-2.0" in metadata
