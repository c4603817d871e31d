"""Export a profile's conversations as JSON (for machines) or Markdown (for people)."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

from ..resources import read_text
from ..text_input import printable
from ..vocabulary import MessageStatus
from .store import Store, now

EXPORT_FORMAT = 1
SPEAKERS = {"user": "You", "assistant": "CareChat"}
STATUS_NOTES = {
    MessageStatus.CANCELLED: "(stopped before the end)",
    MessageStatus.INTERRUPTED: "(cut off: CareChat closed while writing this answer)",
    MessageStatus.ERROR: "(this answer failed)",
    MessageStatus.STREAMING: "(still being written)",
}


def disclaimer() -> str:
    return " ".join(read_text("text", "disclaimer.md").split())


def export_profile(store: Store, profile_id: int) -> dict:
    profile = store.profile(profile_id)
    conversations = []
    for conversation in store.conversations(profile_id):
        messages = [asdict(m) for m in store.messages(conversation.id)]
        conversations.append({**asdict(conversation), "messages": messages})
    return {
        "carechat_export": EXPORT_FORMAT,
        "exported": now(),
        "disclaimer": disclaimer(),
        "profile": asdict(profile),
        "conversations": conversations,
    }


def to_markdown(export: dict) -> str:
    """The export as Markdown a person reads; saved text has its control characters
    shown as symbols (``printable``), so a stored escape sequence stays inert."""
    profile = export["profile"]
    lines = [
        f"# CareChat conversations: {printable(profile['name'])}",
        "",
        f"Exported {export['exported'][:16].replace('T', ' ')} UTC.",
        "",
        f"> {export['disclaimer']}",
        "",
    ]
    for conversation in export["conversations"]:
        lines += [f"## {printable(conversation['title']) or 'New conversation'}", "",
                  f"Started {conversation['created'][:16].replace('T', ' ')} UTC.", ""]
        for message in conversation["messages"]:
            note = STATUS_NOTES.get(message["status"], "")
            content = printable(message["content"])
            lines.append(f"**{SPEAKERS[message['role']]}:** {content} {note}".rstrip())
            if message["sources"]:
                lines.append("Sources: " + "; ".join(map(_source, message["sources"])))
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _source(source) -> str:
    """A library source as "Title (url)"; older rows stored plain strings."""
    if not isinstance(source, dict):
        return printable(str(source))
    title = printable(str(source.get("title") or source.get("id") or "?"))
    return f"{title} ({printable(source['url'])})" if source.get("url") else title


def write_export(store: Store, profile_id: int, out: Path, overwrite: bool = False) -> Path:
    """Write JSON, or Markdown when ``out`` ends in .md; never half a file.

    The file is readable by its owner only (0600), like the database it comes
    from. An existing file is replaced only with ``overwrite``, else
    FileExistsError: it may be another export, or anything else.
    """
    export = export_profile(store, profile_id)
    text = to_markdown(export) if out.suffix.lower() in {".md", ".markdown"} else (
        json.dumps(export, ensure_ascii=False, indent=2) + "\n"
    )
    out = out.expanduser()
    if not overwrite:
        # Claims the name, or fails if it is taken: no other file can be replaced
        # between a check and the rename below.
        os.close(os.open(out, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        # mkstemp makes the file 0600 from the start: never readable by others.
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, out)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except BaseException:
        if not overwrite:
            out.unlink(missing_ok=True)  # the empty file claimed above
        raise
    return out
