"""A visit's answers as a printed handout: a PDF (Qt's own PDF writer) or a printer.

The input is plain records (question, answer, sources), never widgets, so the
kiosk's "Print / save my handout" and the normal window's export of the current
conversation share this code. The handout has a title, the date, the reading
level the answers were written for, each question with its answer (Markdown
drawn as formatted text) and its sources (title and web address, printed in
full so they can be typed from paper), and the disclaimer from
``resources/text/disclaimer.md``.

Text in Chinese comes out through Qt's font fallback: any installed font with
Chinese characters is embedded for them (with a text layer, so it can be searched
and read aloud).
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QCoreApplication, QDate, QIODevice, QLocale, QMarginsF
from PySide6.QtGui import (
    QFont,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from ..errors import HintedError
from ..literacy import parse_level
from ..resources import read_text, resource_path
from ..storage import Message
from ..vocabulary import MessageStatus
from .screener_dialog import level_name

# Called by this name so lupdate finds the texts (it reads translate("Handout", "...")).
translate = QCoreApplication.translate
HANDOUT_POINTS = 12.0  # body text; headings are larger
MARGIN_MM = 18.0
MARKDOWN = (
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub
    | QTextDocument.MarkdownFeature.MarkdownNoHTML  # a model's raw HTML is printed as text
)
WEB_SCHEMES = ("http://", "https://")
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL)


class HandoutError(HintedError):
    """A handout that could not be made: what went wrong and what to do instead."""


@dataclass(frozen=True)
class HandoutSource:
    title: str
    url: str = ""


@dataclass(frozen=True)
class HandoutItem:
    """One question and its answer (Markdown), with the library sources it came from."""

    question: str
    answer: str
    sources: tuple[HandoutSource, ...] = ()

    @classmethod
    def of(cls, record: HandoutItem | Mapping) -> HandoutItem:
        """A record as given: a HandoutItem, or a mapping with question, answer, sources
        (each a mapping with title and url, or a HandoutSource)."""
        if isinstance(record, HandoutItem):
            return record
        sources = tuple(
            s if isinstance(s, HandoutSource)
            else HandoutSource(str(s.get("title", "")), str(s.get("url", "") or ""))
            for s in record.get("sources", ()) or ()
        )
        return cls(str(record.get("question", "")), str(record.get("answer", "")), sources)


def items_from_messages(messages: Iterable[Message]) -> list[HandoutItem]:
    """The finished answers of a stored conversation, each with the question before it.

    Answers that were stopped, cut off or failed are left out: half an answer on
    paper could mislead.
    """
    items: list[HandoutItem] = []
    question = ""
    for message in messages:
        if message.role == "user":
            question = message.content
        elif message.role == "assistant" and message.status == MessageStatus.COMPLETE and \
                message.content.strip():
            sources = tuple(HandoutSource(str(s.get("title", "")), str(s.get("url", "") or ""))
                            for s in message.sources)
            items.append(HandoutItem(question, message.content, sources))
    return items


def disclaimer(language: str = "en") -> str:
    """The disclaimer in ``language`` when the resources have it, else in English."""
    if language != "en" and resource_path("text", f"disclaimer.{language}.md").is_file():
        return read_text("text", f"disclaimer.{language}.md")
    return read_text("text", "disclaimer.md")


def default_title() -> str:
    return translate("Handout", "Your CareChat handout")


STYLE = """
h1 { font-size: 22pt; margin-bottom: 6px; }
h2 { font-size: 15pt; margin-top: 22px; margin-bottom: 6px; }
p { margin-top: 4px; margin-bottom: 4px; }
ul { margin-top: 2px; margin-bottom: 2px; }
p.label { font-weight: bold; margin-top: 10px; }
p.note { font-style: italic; }
"""


def handout_document(
    records: Sequence[HandoutItem | Mapping],
    level: str | None = None,
    when: dt.date | None = None,
    title: str = "",
    language: str = "en",
    points: float = HANDOUT_POINTS,
) -> QTextDocument:
    """The handout as a document, ready to print; ``level`` adds the reading-level note."""
    items = [HandoutItem.of(r) for r in records]
    title = title or default_title()
    when = when or dt.date.today()
    date_text = QLocale().toString(QDate(when.year, when.month, when.day),
                                   QLocale.FormatType.LongFormat)
    parts = [f"<h1>{_esc(title)}</h1>",
             "<p>" + _esc(translate("Handout", "Date: {date}").format(date=date_text)) + "</p>"]
    if level:
        parsed = parse_level(level)
        note = translate("Handout", "These answers were written for the {level} reading "
                                    "level (about school grade {grade}).").format(
            level=level_name(parsed), grade=parsed.grade)
        parts.append(f'<p class="note">{_esc(note)}</p>')
    if not items:
        parts.append("<p>" + _esc(translate("Handout", "No answers yet.")) + "</p>")
    for number, item in enumerate(items, start=1):
        question = translate("Handout", "Question {number}: {question}").format(
            number=number, question=" ".join(item.question.split()))
        parts += [
            f"<h2>{_esc(question)}</h2>",
            '<p class="label">' + _esc(translate("Handout", "Answer")) + "</p>",
            _markdown_html(item.answer),
            _sources_html(item.sources),
        ]
    parts += [
        "<h2>" + _esc(translate("Handout", "Important")) + "</h2>",
        '<table width="100%" border="1" cellspacing="0" cellpadding="10"><tr><td>'
        + _esc(" ".join(disclaimer(language).split())) + "</td></tr></table>",
    ]

    doc = QTextDocument()
    font = QFont(doc.defaultFont())
    font.setPointSizeF(points)
    # No "fl" or "fi" ligatures: the PDF's text must read back as the letters typed
    # (search, copy, screen readers).
    for feature in ("liga", "clig"):
        font.setFeature(QFont.Tag(feature), 0)
    doc.setDefaultFont(font)
    doc.setDefaultStyleSheet(STYLE)
    doc.setHtml("".join(parts))
    doc.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, title)
    return doc


def _markdown_html(markdown: str) -> str:
    # Each answer is turned into HTML in a document of its own, so a stray Markdown
    # mark in one (an unclosed code fence) cannot swallow the sources or the
    # disclaimer after it.
    doc = QTextDocument()
    doc.setMarkdown(markdown, MARKDOWN)
    text = doc.toHtml()
    body = _BODY.search(text)
    return body.group(1) if body else _esc(markdown)


def _sources_html(sources: Sequence[HandoutSource]) -> str:
    if not sources:
        none = translate("Handout", "No library source: check this with a clinician.")
        return f'<p class="note">{_esc(none)}</p>'
    rows = []
    for source in sources:
        url = source.url.strip()
        link = (f'<a href="{html.escape(url, quote=True)}">{_esc(url)}</a>'
                if url.lower().startswith(WEB_SCHEMES) else _esc(url))
        rows.append(f"<li>{_esc(source.title)}{' — ' + link if url else ''}</li>")
    label = _esc(translate("Handout", "Sources"))
    return f'<p class="label">{label}</p><ul>{"".join(rows)}</ul>'


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def page_size() -> QPageSize:
    """Letter where the locale measures in inches (the US), A4 elsewhere."""
    us = QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    return QPageSize(QPageSize.PageSizeId.Letter if us else QPageSize.PageSizeId.A4)


def _set_up(device: QPagedPaintDevice) -> None:
    device.setPageSize(page_size())
    device.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                          QPageLayout.Unit.Millimeter)


def render_pdf(records: Sequence[HandoutItem | Mapping], **options: Any) -> bytes:
    """The handout as PDF bytes, made in memory (options as for ``handout_document``)."""
    doc = handout_document(records, **options)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    _set_up(writer)
    writer.setTitle(doc.metaInformation(QTextDocument.MetaInformation.DocumentTitle))
    writer.setCreator("CareChat")
    doc.print_(writer)  # ends the painting, which writes the whole file
    del writer
    data = bytes(buffer.data().data())
    buffer.close()
    if not data.startswith(b"%PDF"):
        raise HandoutError(translate("Handout", "The handout could not be made."),
                           translate("Handout", "Please try again."))
    return data


def write_pdf(records: Sequence[HandoutItem | Mapping], path: Path | str, **options: Any) -> Path:
    """Save the handout as a PDF at ``path``, all at once (never half a file)."""
    data = render_pdf(records, **options)
    path = Path(path)
    try:
        fd, temp = tempfile.mkstemp(prefix=".handout-", suffix=".pdf", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        problem = translate("Handout", "The handout could not be saved to {path} ({reason}).")
        raise HandoutError(
            problem.format(path=path, reason=exc.strerror or exc),
            translate("Handout", "Choose another folder, or check the disk has space."),
        ) from None
    return path


def printer_names() -> list[str]:
    return list(QPrinterInfo.availablePrinterNames())


def print_handout(records: Sequence[HandoutItem | Mapping], printer_name: str,
                  **options: Any) -> None:
    """Send the handout to the printer called ``printer_name`` ("" for the default one)."""
    info = (QPrinterInfo.printerInfo(printer_name) if printer_name
            else QPrinterInfo.defaultPrinter())
    if info.isNull():
        problem = (translate("Handout", "There is no printer called {name} on this computer.")
                   if printer_name else translate("Handout", "This computer has no printer."))
        raise HandoutError(problem.format(name=printer_name),
                           translate("Handout", "Save the handout as a PDF instead."))
    doc = handout_document(records, **options)
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    _set_up(printer)
    printer.setDocName(doc.metaInformation(QTextDocument.MetaInformation.DocumentTitle))
    doc.print_(printer)
    if printer.printerState() == QPrinter.PrinterState.Error:
        problem = translate("Handout", "The printer {name} reported an error.")
        raise HandoutError(problem.format(name=info.printerName()),
                           translate("Handout", "Check the printer, or save the handout as a PDF."))
