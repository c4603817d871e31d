"""``carechat``: the GUI by default, and headless subcommands for scripts and kiosks.

    carechat [--model PATH] [--device auto|cpu|cuda|mps] [--data-dir DIR]
    carechat ask [--json] [--max-tokens N] TEXT...
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Sequence

from model import DEVICES

from . import __version__
from .config import Settings, load_settings

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def _add_common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    # Subcommands accept the same options; SUPPRESS keeps their absence from
    # overwriting a value given before the subcommand.
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--model", metavar="PATH", default=default,
        help="'default' (built-in SmolLM2-135M-Instruct), a .gguf file or a model folder",
    )
    parser.add_argument(
        "--device", choices=DEVICES, default=default,
        help="where the model runs (default: auto = GPU if present, else CPU)",
    )
    parser.add_argument(
        "--data-dir", metavar="DIR", default=default,
        help="where CareChat keeps its data (default: your user data folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="carechat",
        description="CareChat: plain-language health information from a model on your "
        "own computer. Nothing leaves this machine.",
    )
    parser.add_argument("--version", action="version", version=f"CareChat {__version__}")
    _add_common(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    gui = commands.add_parser("gui", help="open the chat window (the default)")
    _add_common(gui, suppress=True)
    ask = commands.add_parser("ask", help="answer one question and print it")
    _add_common(ask, suppress=True)
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument(
        "--max-tokens", type=int, default=None, metavar="N",
        help="longest answer, in tokens (default: %(default)s)",
    )
    ask.add_argument("text", nargs="+", help="the question; '-' reads it from standard input")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(args.data_dir, args.model, args.device)
    except ValueError as exc:
        print(f"carechat: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "ask":
        return ask(settings, args)
    from .ui.app import run_gui  # Qt only when a window is wanted

    return run_gui(settings)


def ask(settings: Settings, args: argparse.Namespace) -> int:
    import model

    from .assistant import DEFAULT_MAX_NEW_TOKENS, Assistant, QuestionError, clean_question

    text = sys.stdin.read() if args.text == ["-"] else " ".join(args.text)
    try:
        clean_question(text)
    except QuestionError as exc:
        return _fail(args.json, str(exc), "", EXIT_USAGE)
    max_tokens = args.max_tokens or DEFAULT_MAX_NEW_TOKENS
    if max_tokens < 1:
        return _fail(args.json, "--max-tokens must be at least 1.", "", EXIT_USAGE)
    # Show progress only to a person at a terminal; scripts get clean output.
    progress = _print_status if sys.stderr.isatty() else None
    stop = threading.Event()
    try:
        engine = model.load(settings.model, settings.device, settings.model_cache_dir, progress)
        if engine.info.notice:
            print(engine.info.notice, file=sys.stderr)
        assistant = Assistant(engine, max_new_tokens=max_tokens)
        on_token = None if args.json else _print_piece
        result = assistant.answer(text, on_token=on_token, stop_event=stop)
    except model.ModelError as exc:
        return _fail(args.json, exc.message, exc.hint, EXIT_FAILED)
    except KeyboardInterrupt:
        stop.set()
        print("\nStopped.", file=sys.stderr)
        return EXIT_INTERRUPTED
    if args.json:
        payload = result.to_dict()
        payload.update(dtype=engine.info.dtype, load_ms=engine.info.load_ms)
        print(json.dumps(payload, ensure_ascii=False))
    else:
        print()
    return EXIT_OK


def _print_piece(piece: str) -> None:
    sys.stdout.write(piece)
    sys.stdout.flush()


def _print_status(message: str) -> None:
    print(message, file=sys.stderr)


def _fail(as_json: bool, message: str, hint: str, code: int) -> int:
    if as_json:
        print(json.dumps({"error": message, "hint": hint}, ensure_ascii=False))
    print(f"carechat: {message} {hint}".rstrip(), file=sys.stderr)
    return code
