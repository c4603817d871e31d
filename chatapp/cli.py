"""``carechat``: the GUI by default, and headless subcommands for scripts and kiosks.

    carechat [--model PATH] [--device auto|cpu|cuda|mps] [--data-dir DIR] [--kiosk]
    carechat ask [--json] [--max-tokens N] [--level basic|standard|advanced]
                 [--profile NAME [--conversation ID]] TEXT...
    carechat topics [--search TEXT] [--json]
    carechat history [--profile NAME] list|show ID|search QUERY [--profile NAME]
    carechat export --profile NAME --out FILE(.json|.md) [--overwrite]
    carechat erase [--profile NAME] [--damaged-copies] [--yes]
    carechat admin set-pin [--stdin] | remove-pin
    carechat profile set-passcode | remove-passcode NAME [--stdin]
    carechat models list [--json] | download ID [--anyway] | import PATH | use ID | remove ID
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from model import DEVICES
from model.installed import InstalledModels

from . import __version__, admin_pin, xcb_libs
from .admin_pin import PinError
from .cli_data import DATA_COMMANDS, with_store
from .cli_models import add_parser as add_models_parser
from .cli_models import models_command
from .cli_output import (
    EXIT_BROKEN_PIPE,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    fail,
)
from .cli_profile import add_parser as add_profile_parser
from .cli_profile import unlock_to_read
from .config import Settings, load_settings
from .kiosk_config import KioskConfig, KioskConfigError, kiosk_requested, load_kiosk_config
from .safety import LANGUAGES, triage
from .server_settings import ServerChoice, ServerSettingsError, server_config
from .session import open_app_store
from .storage import StorageError, TurnLog
from .terminal import AnswerOnScreen, can_redraw
from .text_input import InputError, clean_input, from_argument, read_stdin
from .vocabulary import AnswerStyle, Level, StopReason


def _add_common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    # Subcommands accept the same options; SUPPRESS keeps their absence from
    # overwriting a value given before the subcommand.
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--model", metavar="PATH", default=default,
        help="'default' (built-in SmolLM2-135M-Instruct), an installed model's id "
        "(carechat models list), a .gguf file or a model folder",
    )
    parser.add_argument(
        "--device", choices=DEVICES, default=default,
        help="where the model runs (default: auto = GPU if present, else CPU)",
    )
    parser.add_argument(
        "--data-dir", metavar="DIR", default=default,
        help="where CareChat keeps its data (default: your user data folder)",
    )
    parser.add_argument(
        "--country", metavar="CODE", default=default,
        help="country for emergency numbers, e.g. US, GB, CA, AU, CN, DE "
        "(default: from the system locale)",
    )
    parser.add_argument(
        "--lang", choices=LANGUAGES, default=default,
        help="language of CareChat's own messages (default: from the system locale)",
    )
    parser.add_argument(
        "--server", metavar="URL", default=default,
        help="answers are written by this OpenAI-compatible server (vLLM, llama.cpp, "
        "Ollama), e.g. http://192.168.1.20:8000; only the composed question is sent",
    )
    parser.add_argument("--server-model", metavar="NAME", default=default,
                        help="the server's model (default: the one it lists first)")
    parser.add_argument("--server-key-file", metavar="FILE", default=default,
                        help="a file holding the server's API key (default: server.key "
                        "in the data folder, when it exists)")
    parser.add_argument("--server-fallback", action="store_true", default=default,
                        help="use the model on this computer while the server cannot "
                        "be reached")


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
    for where in (parser, gui):
        where.add_argument(
            "--kiosk", action="store_true",
            default=argparse.SUPPRESS if where is gui else False,
            help="clinic waiting-room mode: full screen, guest visits kept in memory only, "
            "an administrator PIN to leave (set it first with `carechat admin set-pin`)",
        )
    ask = commands.add_parser("ask", help="answer one question and print it")
    _add_common(ask, suppress=True)
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument(
        "--max-tokens", type=int, default=None, metavar="N",
        help="longest answer, in tokens (default: %(default)s)",
    )
    ask.add_argument(
        "--level", choices=list(Level), default=None,
        help="reading level of the answer: basic (grade 6), standard (grade 8) or advanced "
        "(grade 10) (default: the profile's level, else basic)",
    )
    check = commands.add_parser(
        "triage", help="check a message for an emergency (no chat model needed)")
    _add_common(check, suppress=True)
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.add_argument("text", nargs="+", help="the message; '-' reads it from standard input")

    ask.add_argument("--profile", metavar="NAME",
                     help="save the turn in this profile's history (created if new)")
    ask.add_argument("--conversation", type=int, metavar="ID",
                     help="with --profile: continue this conversation (default: a new one)")
    ask.add_argument("text", nargs="+", help="the question; '-' reads it from standard input")

    topics = commands.add_parser(
        "topics", help="list the health library's articles (no model needed)")
    _add_common(topics, suppress=True)
    topics.add_argument("--search", metavar="TEXT",
                        help="only articles whose title, summary or topic words match")
    topics.add_argument("--json", action="store_true", help="print one JSON list")

    history = commands.add_parser("history", help="list, show or search saved conversations")
    _add_common(history, suppress=True)
    whose = "whose history (default: the current profile)"
    history.add_argument("--profile", metavar="NAME", help=whose)
    actions = history.add_subparsers(dest="action", metavar="ACTION", required=True)
    history_list = actions.add_parser("list", help="conversations, newest first")
    show = actions.add_parser("show", help="every message of one conversation")
    show.add_argument("conversation", type=int, metavar="ID")
    search = actions.add_parser("search", help="full-text search over all messages")
    search.add_argument("query", nargs="+")
    for action in (history_list, show, search):
        # After the action too (`history search --profile Ana …`); SUPPRESS keeps its
        # absence there from undoing a --profile given before the action.
        action.add_argument("--profile", metavar="NAME", default=argparse.SUPPRESS, help=whose)

    export = commands.add_parser("export", help="save a profile's conversations to a file")
    _add_common(export, suppress=True)
    export.add_argument("--profile", metavar="NAME", required=True)
    export.add_argument("--out", metavar="FILE", required=True, type=Path,
                        help="FILE.json for JSON, FILE.md for Markdown a person can read")
    export.add_argument("--overwrite", action="store_true",
                        help="replace FILE if it exists (default: refuse)")

    erase = commands.add_parser(
        "erase", help="forget a profile and all its conversations, and/or delete damaged "
        "copies of the data file")
    _add_common(erase, suppress=True)
    erase.add_argument("--profile", metavar="NAME", help="the profile to forget")
    erase.add_argument(
        "--damaged-copies", action="store_true",
        help="also delete the damaged copies CareChat moved aside (carechat.db.damaged-*): "
        "they cannot be opened, so each is deleted whole, every profile in it")
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    admin = commands.add_parser("admin", help="the kiosk administrator's PIN")
    _add_common(admin, suppress=True)
    admin_actions = admin.add_subparsers(dest="action", metavar="ACTION", required=True)
    set_pin = admin_actions.add_parser(
        "set-pin", help="set or change the PIN that guards leaving kiosk mode and settings")
    set_pin.add_argument("--stdin", action="store_true",
                         help="read the PIN from standard input (for install scripts)")
    admin_actions.add_parser("remove-pin", help="forget the PIN (kiosk mode then cannot start)")
    add_models_parser(commands)
    add_profile_parser(commands, lambda p: _add_common(p, suppress=True))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _run(argv)
    except InputError as exc:  # text that is not UTF-8, wherever a command reads it
        print(f"carechat: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # `carechat history show 3 | head`: the reader has all it wanted. Writes
        # still buffered would fail again at exit; they go nowhere instead.
        _discard_stdout()
        return EXIT_BROKEN_PIPE


def _discard_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file underneath (tests, an embedding program)
        pass


def _run(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(args.data_dir, args.model, args.device,
                                 country=args.country, language=args.lang,
                                 server=ServerChoice(args.server or "", args.server_model or "",
                                                     args.server_key_file or "",
                                                     bool(args.server_fallback)))
    except ValueError as exc:
        print(f"carechat: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "ask":
        return ask(settings, args)
    if args.command == "triage":
        return triage_command(settings, args)
    if args.command == "topics":
        return topics_command(settings, args)
    if args.command == "erase" and args.profile is None and not args.damaged_copies:
        return fail(False, "Say what to erase.", "Use --profile NAME, --damaged-copies, "
                     "or both.", EXIT_USAGE)
    if args.command in DATA_COMMANDS:
        return with_store(settings, args, DATA_COMMANDS[args.command])
    if args.command == "admin":
        return admin_command(settings, args)
    if args.command == "models":
        return models_command(settings, args)
    try:
        kiosk = _kiosk(settings, getattr(args, "kiosk", False))
        if kiosk is not None and settings.server is None and kiosk.server_url:
            # explicit: the window's saved preferences must not replace it.
            settings = replace(settings, server=server_config(kiosk.server, settings.data_dir),
                               server_fallback=kiosk.server_fallback,
                               explicit=settings.explicit | {"server"})
    except (KioskConfigError, PinError, ServerSettingsError) as exc:
        print(f"carechat: {exc}", file=sys.stderr)
        return EXIT_USAGE
    # Before Qt loads: without its X11 libraries Qt aborts the process with a
    # message that names the wrong package.
    problem = xcb_libs.check()
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_FAILED
    from .ui.app import run_gui  # Qt only when a window is wanted

    return run_gui(settings, kiosk)


def _kiosk(settings: Settings, flag: bool) -> KioskConfig | None:
    """The kiosk settings when kiosk mode is asked for, else None."""
    config = load_kiosk_config(settings.data_dir)
    if not kiosk_requested(flag, os.environ, config):
        return None
    if not admin_pin.has_pin(settings.data_dir):
        # A kiosk nobody can leave, or one anybody can, is worse than no kiosk.
        raise PinError("Kiosk mode needs an administrator PIN, and none is set.",
                       "Set one first with `carechat admin set-pin`.")
    return config


def admin_command(settings: Settings, args: argparse.Namespace,
                  read_secret: Callable[[str], str] = getpass.getpass) -> int:
    data_dir = settings.data_dir
    if args.action == "remove-pin":
        removed = admin_pin.remove_pin(data_dir)
        print("The administrator PIN was removed." if removed else "No PIN was set.")
        return EXIT_OK
    try:
        if args.stdin:
            pin = sys.stdin.readline().strip()
        else:
            pin = read_secret("New administrator PIN (4-12 digits): ")
            admin_pin.validate_pin(pin)  # say what is wrong before asking again
            if read_secret("The same PIN again: ") != pin:
                print("carechat: the two PINs differ; nothing was changed.", file=sys.stderr)
                return EXIT_USAGE
        path = admin_pin.set_pin(data_dir, pin)  # creates the data folder if need be
    except admin_pin.PinError as exc:
        print(f"carechat: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"carechat: the PIN could not be saved in {data_dir} "
              f"({exc.strerror or exc}).", file=sys.stderr)
        return EXIT_FAILED
    except (KeyboardInterrupt, EOFError):
        print(file=sys.stderr)
        return EXIT_INTERRUPTED
    print(f"The administrator PIN is set (only a salted hash is kept, in {path}).")
    return EXIT_OK


MEASURED_TOKENS = 16  # fewer make too noisy a speed to show


def ask(settings: Settings, args: argparse.Namespace) -> int:
    import model

    from .engines import open_engine
    from .session import open_library
    from .turn import (
        DEFAULT_MAX_NEW_TOKENS,
        Assistant,
        answer_by_rules,
        clean_question,
    )

    try:
        question = clean_question(_message(args.text))
    except InputError as exc:  # not UTF-8, empty, too long: before anything is saved
        return fail(args.json, exc.message, exc.hint, EXIT_USAGE)
    max_tokens = args.max_tokens or DEFAULT_MAX_NEW_TOKENS
    if max_tokens < 1:
        return fail(args.json, "--max-tokens must be at least 1.", "", EXIT_USAGE)
    # Show progress only to a person at a terminal; scripts get clean output.
    progress = _print_status if sys.stderr.isatty() else None
    stop = threading.Event()
    # Stream only where what streamed can be taken back: a pipe or a file gets the
    # kept answer once, at the end.
    screen = None if args.json or not can_redraw(sys.stdout) else AnswerOnScreen(sys.stdout)
    on_token = None if screen is None else screen.write
    if screen is not None and progress is not None:
        progress = screen.around_status(progress)
    engine = None
    try:
        history, log, profile = _turn_log(settings, args)
        level = args.level or (profile.literacy_level if profile else Level.BASIC)
        answer_style = profile.answer_style if profile else AnswerStyle.SHORT
        # Emergencies and out-of-scope requests need no model: answer them even
        # when it is missing or slow to load.
        result = answer_by_rules(question, settings.language, settings.country, on_token, log)
        if result is None:
            library = open_library(settings)
            _report_problems(library)
            engine = open_engine(settings, progress)
            if engine.info.notice:
                print(engine.info.notice, file=sys.stderr)
            assistant = Assistant(engine, max_new_tokens=max_tokens, library=library,
                                  language=settings.language, country=settings.country)
            result = assistant.answer(question, history, on_token=on_token, stop_event=stop,
                                      log=log, level=level, answer_style=answer_style,
                                      on_status=progress)
    except (model.ModelError, StorageError) as exc:
        return fail(args.json, exc.message, exc.hint, EXIT_FAILED)
    except KeyboardInterrupt:
        stop.set()
        print("\nStopped.", file=sys.stderr)
        return EXIT_INTERRUPTED
    if result.storage_error:
        print(f"carechat: {result.storage_error}", file=sys.stderr)
    if result.fault:
        print(f"carechat: {result.fault}", file=sys.stderr)
    if (engine is not None and engine.info.device != "server"
            and result.generation.tokens >= MEASURED_TOKENS):
        # `carechat models list` shows the speed measured on this computer.
        InstalledModels(settings.models_dir).record_speed(settings.model,
                                                          result.generation.tokens_per_s)
    if args.json:
        payload = result.to_dict()
        if engine is not None:
            payload.update(dtype=engine.info.dtype, load_ms=engine.info.load_ms)
        if result.emergency:
            payload.update(message=result.answer)
        else:  # the emergency fields belong to emergency turns only
            for key in ("category", "emergency_title", "numbers"):
                payload.pop(key)
        # "related": the closest articles, when the library does not cover the question.
        for key in ("sources", "related"):
            payload[key] = [{"id": s["id"], "title": s["title"], "url": s["url"]}
                            for s in getattr(result, key)]
        if log is not None:
            payload.update(conversation_id=log.conversation_id, saved=not result.storage_error)
        print(json.dumps(payload, ensure_ascii=False))
    else:
        if screen is None:
            sys.stdout.write(result.answer)
        elif result.replaces_stream or screen.differs_from(result.answer):
            # A simpler rewrite, or the library's words for an answer not taken from
            # its passages: what streamed is not what was kept, so it goes.
            screen.replace_with(result.answer)
        _print_after_answer(result)
    return EXIT_OK


def _print_after_answer(result) -> None:
    """After the kept answer: its reading level and its sources."""
    from .literacy import badge, score_text

    print()
    if result.stop_reason == StopReason.RULES:
        return  # the reviewed safety message stands on its own
    language = result.readability.get("language")
    if language:
        shown = badge(score_text(result.answer, language))
        if shown:
            print(f"\n({shown})")
    if result.sources:
        print("\nSources from the CareChat library:")
        for source in result.sources:
            print(f"  - {source['title']}" + (f": {source['url']}" if source["url"] else ""))
    else:
        print("\n(No library source: check this with a doctor, nurse or pharmacist.)")


def topics_command(settings: Settings, args: argparse.Namespace) -> int:
    """The library's articles, without the model: id, title and summary."""
    from .session import open_library

    library = open_library(settings)
    _report_problems(library)
    articles = library.articles(settings.language, query=args.search)
    if args.json:
        print(json.dumps([{"id": a.id, "title": a.title, "summary": a.summary,
                           "language": a.language} for a in articles], ensure_ascii=False))
        return EXIT_OK
    if not articles:
        print("No topics match.", file=sys.stderr)
    for article in articles:
        print(f"{article.id}  {article.title}\n    {article.summary}")
    return EXIT_OK


def _report_problems(library) -> None:
    """Clinic articles that failed validation were skipped: say which and why."""
    for problem in library.problems:
        print(f"carechat: skipped a library file: {problem}", file=sys.stderr)


def _message(words: Sequence[str]) -> str:
    """The message of ``ask`` or ``triage``: its words, or standard input for "-".

    Raises ``InputError`` for bytes that are not UTF-8, either way.
    """
    if list(words) == ["-"]:
        return read_stdin()
    return " ".join(from_argument(word) for word in words)


def triage_command(settings: Settings, args: argparse.Namespace) -> int:
    try:
        # The same limit as a question: a message of megabytes took a minute.
        text = clean_input(_message(args.text), empty="Please give a message to check.")
    except InputError as exc:
        return fail(args.json, exc.message, exc.hint, EXIT_USAGE)
    result = triage(text, settings.language, settings.country)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    elif result.emergency:
        print(f"EMERGENCY ({result.title})\n{result.message}")
        for number in result.numbers:
            print(f"  {number.number}  {number.label}")
    elif result.borderline:
        print(f"No emergency found, but the message is close to one.\n{result.guidance}")
    else:
        print("No emergency found in this message.")
    return EXIT_OK


def _turn_log(settings: Settings, args: argparse.Namespace):
    """With --profile: the history to continue, a log that saves the turn, the profile."""
    if args.profile is None:
        if args.conversation is not None:
            raise StorageError("--conversation needs --profile.")
        return [], None, None
    from .session import history_turns

    opened = open_app_store(settings, fall_back_to_memory=False)
    for notice in opened.notices:
        print(notice, file=sys.stderr)
    store = opened.store
    profile = store.profile_or_create(args.profile)
    unlock_to_read(store, profile)  # a protected profile's turn is saved sealed
    if args.conversation is None:
        conversation_id = store.create_conversation(profile.id).id
        return [], TurnLog(store, conversation_id), profile
    conversation = store.conversation(args.conversation)
    if conversation.profile_id != profile.id:
        raise StorageError(f"Conversation {conversation.id} belongs to another profile.")
    return history_turns(store, conversation.id), TurnLog(store, conversation.id), profile


def _print_status(message: str) -> None:
    print(message, file=sys.stderr)
