"""The import rules of docs/ARCHITECTURE.md and the house style, checked rather than remembered."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
QT_ALLOWED = {REPO / "chatapp" / "worker.py", *(REPO / "chatapp" / "ui").rglob("*.py")}
HEAVY_ML = ("torch", "transformers", "accelerate", "gguf", "safetensors")


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def source_files(*folders: str) -> list[Path]:
    return [p for folder in folders for p in (REPO / folder).rglob("*.py")]


def test_qt_only_in_ui_and_worker() -> None:
    offenders = [
        str(p.relative_to(REPO))
        for p in source_files("chatapp", "model")
        if p not in QT_ALLOWED and imported_roots(p) & {"PySide6", "PyQt5", "PyQt6", "shiboken6"}
    ]
    assert offenders == []


def test_machine_learning_libraries_only_in_model() -> None:
    offenders = [
        str(p.relative_to(REPO))
        for p in source_files("chatapp")
        if imported_roots(p) & set(HEAVY_ML)
    ]
    assert offenders == []


def test_model_knows_nothing_of_the_app() -> None:
    offenders = [
        str(p.relative_to(REPO)) for p in source_files("model") if "chatapp" in imported_roots(p)
    ]
    assert offenders == []


def test_no_hub_downloads_in_code() -> None:
    for path in source_files("chatapp", "model"):
        text = path.read_text(encoding="utf-8")
        assert "HuggingFaceTB/" not in text and "hf_hub_download" not in text, path


def test_importing_model_switches_the_hub_off() -> None:
    code = (
        "import os, model; "
        "assert os.environ['HF_HUB_OFFLINE'] == '1'; "
        "assert os.environ['TRANSFORMERS_OFFLINE'] == '1'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, timeout=60,
                   env={"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "0"})


def test_ruff_is_clean() -> None:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff is None:
        pytest.skip("ruff is not installed in this environment")
    result = subprocess.run(
        [ruff, "check", "chatapp", "model", "tests", "benchmarks"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
