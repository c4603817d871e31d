"""``carechat models``: list the catalog and the installed models; download, import,
use and remove one. The only command that goes online, and only ``download``."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Callable

from model import ModelError
from model.catalog import Catalog, CatalogEntry, load_catalog, total_memory_mb
from model.download import PRIVACY_LINE, DownloadCancelledError, download
from model.installed import InstalledModel, InstalledModels

from .cli_output import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, declined, fail
from .config import Settings
from .resources import resource_path

BUILT_IN = "default"


def add_parser(commands) -> None:
    models = commands.add_parser(
        "models", help="the model catalog; download, import, use or remove a model")
    actions = models.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="installed models and the catalog")
    listing.add_argument("--json", action="store_true", help="print one JSON object")
    get = actions.add_parser(
        "download", help="download a catalog model from the Hugging Face Hub (online)")
    get.add_argument("id", metavar="ID", help="a catalog id, see 'carechat models list'")
    get.add_argument("--anyway", action="store_true",
                     help="download even where this computer seems to have too little memory")
    imported = actions.add_parser(
        "import", help="add a .gguf model file from this computer (e.g. a USB stick)")
    imported.add_argument("path", metavar="PATH")
    use = actions.add_parser("use", help="answer with this model from now on")
    use.add_argument("id", metavar="ID", help=f"an installed model's id, or '{BUILT_IN}'")
    remove = actions.add_parser("remove", help="delete an installed model's file")
    remove.add_argument("id", metavar="ID")
    remove.add_argument("--yes", action="store_true", help="do not ask for confirmation")


def models_command(settings: Settings, args: argparse.Namespace) -> int:
    installed = InstalledModels(settings.models_dir)
    try:
        catalog = load_catalog(resource_path("models", "catalog.toml"))
        action: Callable[[Catalog, InstalledModels, argparse.Namespace], int] = ACTIONS[
            args.action]
        args.language = settings.language  # for the recommendation in `list`
        return action(catalog, installed, args)
    except ModelError as exc:
        return fail(getattr(args, "json", False), exc.message, exc.hint, EXIT_FAILED)


def list_models(catalog: Catalog, installed: InstalledModels, args: argparse.Namespace) -> int:
    memory = total_memory_mb()
    chosen = installed.in_use_id()
    have = installed.all()
    # On a CPU (a graphics card is not looked for here: that would load torch).
    best = catalog.recommend(memory, args.language) if memory else None
    if args.json:
        print(json.dumps({
            "in_use": chosen or BUILT_IN,
            "memory_mb": memory,
            "recommended": best.id if best else None,
            "installed": [{**m.to_dict(), "path": str(installed.path_of(m))} for m in have],
            "catalog": [_catalog_row(e, memory, have) for e in catalog.entries],
        }, ensure_ascii=False, indent=2))
        return EXIT_OK
    print("Installed:")
    mark = "*" if not chosen else " "
    print(f" {mark} {BUILT_IN:<30} SmolLM2-135M-Instruct (built in)")
    for item in have:
        mark = "*" if item.id == chosen else " "
        speed = (f"{item.tokens_per_s:g} tokens/s here" if item.tokens_per_s
                 else "speed not measured yet")
        langs = ", ".join(item.languages) or "languages not known"
        print(f" {mark} {item.id:<30} {item.size / 1e6:,.0f} MB, {item.architecture}, "
              f"{langs}, {speed}")
    if chosen and not any(m.id == chosen for m in have):
        print(f" * {chosen}")
    print(f"\nCatalog (this computer has {memory / 1000:.0f} GB of memory):"
          if memory else "\nCatalog:")
    for entry in catalog.entries:
        row = _catalog_row(entry, memory, have)
        fits = "" if row["fits"] is not False else "  (needs more memory than this computer has)"
        done = "  [installed]" if row["installed"] else ""
        print(f"   {entry.id:<30} {entry.size_mb:,} MB download, needs {entry.memory_mb / 1000:.1f}"
              f" GB memory, {', '.join(entry.languages)}, {entry.licence}{done}{fits}")
        print(f"   {'':<30} {entry.suits}")
    if best is not None:
        print(f"\nRecommended for this computer: {best.id} ({best.note})")
    print("\n* = in use. Download with 'carechat models download ID'; "
          "use with 'carechat models use ID'.")
    return EXIT_OK


def _catalog_row(entry: CatalogEntry, memory: int | None, have: list[InstalledModel]) -> dict:
    return {"id": entry.id, "name": entry.name, "size_mb": entry.size_mb,
            "memory_mb": entry.memory_mb, "languages": list(entry.languages),
            "licence": entry.licence, "suits": entry.suits, "note": entry.note,
            "fits": None if memory is None else entry.memory_mb <= memory,
            "installed": any(m.id == entry.id for m in have)}


def download_model(catalog: Catalog, installed: InstalledModels,
                   args: argparse.Namespace) -> int:
    entry = catalog.get(args.id)
    memory = total_memory_mb()
    if memory is not None and entry.memory_mb > memory and not args.anyway:
        return fail(False, f"{entry.name} needs about {entry.memory_mb / 1000:.1f} GB of "
                    f"memory and this computer has {memory / 1000:.1f} GB.",
                    "Choose a smaller model from 'carechat models list', or add --anyway.",
                    EXIT_FAILED)
    print(f"Downloading {entry.name} ({entry.size_mb:,} MB) from {entry.repo}.",
          file=sys.stderr)
    print(PRIVACY_LINE, file=sys.stderr)
    cancel = threading.Event()
    try:
        got = download(entry, installed.folder, progress=_progress_printer(), cancel=cancel)
    except KeyboardInterrupt:
        cancel.set()
        print("\nStopped. What was downloaded is kept: run the same command to go on.",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    except DownloadCancelledError as exc:
        return fail(False, exc.message, exc.hint, EXIT_INTERRUPTED)
    finally:
        if sys.stderr.isatty():
            print(file=sys.stderr)
    item = installed.add_downloaded(entry.id, got.path, got.sha256, got.facts, entry.languages)
    print(f"Installed {item.id} (SHA-256 {got.sha256[:12]}… checked). "
          f"Answer with it: carechat models use {item.id}", file=sys.stderr)
    return EXIT_OK


def import_model(catalog: Catalog, installed: InstalledModels, args: argparse.Namespace) -> int:
    print("Checking and copying the file…", file=sys.stderr)

    def known(sha256: str) -> tuple[str, tuple[str, ...]] | None:
        entry = next((e for e in catalog.entries if e.sha256 == sha256), None)
        return None if entry is None else (entry.id, entry.languages)

    try:
        item = installed.import_file(args.path, progress=_progress_printer(), known=known)
    finally:
        if sys.stderr.isatty():
            print(file=sys.stderr)
    print(f"Imported {item.id}: a {item.architecture} model, {item.size / 1e6:,.0f} MB. "
          f"Answer with it: carechat models use {item.id}", file=sys.stderr)
    return EXIT_OK


def use_model(catalog: Catalog, installed: InstalledModels, args: argparse.Namespace) -> int:
    spec = "" if args.id == BUILT_IN else args.id
    installed.use(spec)
    name = args.id if spec else "the built-in model"
    print(f"CareChat answers with {name} from now on (the window after its next start, "
          "or at once from Settings).", file=sys.stderr)
    return EXIT_OK


def remove_model(catalog: Catalog, installed: InstalledModels, args: argparse.Namespace) -> int:
    item = installed.get(args.id)
    stop = declined(args.yes, "Removing a model",
                    f"Delete {item.id} ({item.size / 1e6:,.0f} MB)?", "Nothing was removed.")
    if stop is not None:
        return stop
    installed.remove(item.id)
    print(f"Removed {item.id}.", file=sys.stderr)
    return EXIT_OK


def _progress_printer() -> Callable[[int, int], None]:
    """Progress on one terminal line; nothing for a script (it gets the last line only)."""
    if not sys.stderr.isatty():
        return lambda done, total: None
    last = [-1]

    def show(done: int, total: int) -> None:
        percent = int(done * 100 / total) if total else 0
        if percent != last[0]:
            last[0] = percent
            print(f"\r  {percent:3d} %  {done / 1e6:,.0f} of {total / 1e6:,.0f} MB",
                  end="", file=sys.stderr, flush=True)

    return show


ACTIONS = {"list": list_models, "download": download_model, "import": import_model,
           "use": use_model, "remove": remove_model}
