from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pypdf  # test extra: reads the PDF's text back
import pytest
from PySide6.QtGui import QFontDatabase

from chatapp.storage import Message
from chatapp.ui.handout import (
    HandoutError,
    HandoutItem,
    HandoutSource,
    disclaimer,
    handout_document,
    items_from_messages,
    print_handout,
    render_pdf,
    write_pdf,
)

VISIT = [
    {
        "question": "What helps a sore throat?",
        "answer": "Drink **warm** fluids and rest.\n\n- Honey can soothe it\n- Suck on ice chips",
        "sources": [{"title": "Sore throat", "url": "https://www.nhs.uk/conditions/sore-throat/"}],
    },
    HandoutItem(
        "When should I see a doctor?",
        "See a doctor if it lasts more than a week.",
        (HandoutSource("Tonsillitis", "https://medlineplus.gov/tonsillitis.html"),
         HandoutSource("Strep throat", "")),
    ),
    {"question": "Is ginger tea good?", "answer": "It may feel nice.", "sources": []},
]


def pdf_text(data: bytes) -> str:
    """The PDF's words, with spacing evened out (pypdf gives tabs and line breaks)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join("\n".join(page.extract_text() for page in reader.pages).split())


def test_the_handout_pdf_has_the_visit_the_sources_and_the_disclaimer(qapp):
    data = render_pdf(VISIT, level="basic", when=dt.date(2026, 3, 5))
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for phrase in (
        "Your CareChat handout",
        "5 March 2026",
        "Basic reading level (about school grade 6)",
        "Question 1: What helps a sore throat?",
        "Drink warm fluids and rest.",  # "fl", not the ligature "ﬂ": copy and search work
        "Honey can soothe it",  # a Markdown list item, drawn as a list
        "Sore throat — https://www.nhs.uk/conditions/sore-throat/",
        "Question 2: When should I see a doctor?",
        "Tonsillitis — https://medlineplus.gov/tonsillitis.html",
        "Strep throat",
        "Question 3: Is ginger tea good?",
        "No library source: check this with a clinician.",
        " ".join(disclaimer().split()),
    ):
        assert phrase in text, phrase
    assert "**" not in text  # Markdown is drawn, not printed as marks
    assert text.index("Question 1") < text.index("Question 2") < text.index("Question 3")


def test_a_broken_answer_cannot_swallow_the_sources_or_the_disclaimer(qapp):
    records = [{"question": "Q", "answer": "Start\n\n```\nan unclosed code fence",
                "sources": [{"title": "Kept source", "url": "https://example.org/a"}]}]
    text = pdf_text(render_pdf(records))
    assert "Kept source — https://example.org/a" in text
    assert "It is not a doctor" in text
    assert text.index("an unclosed code fence") < text.index("Kept source")


def test_raw_html_in_an_answer_is_printed_as_text(qapp):
    records = [{"question": "<b>Q</b>", "answer": "<script>x</script> & <i>y</i>"}]
    text = pdf_text(render_pdf(records))
    assert "<b>Q</b>" in text and "<i>y</i>" in text


def test_no_level_no_note_and_a_handout_without_answers_says_so(qapp):
    text = pdf_text(render_pdf([], title="Visit summary"))
    assert "Visit summary" in text and "No answers yet." in text
    assert "reading level" not in text
    assert "It is not a doctor" in text


def test_long_visits_run_over_several_pages(qapp):
    records = [{"question": f"Question about topic {n}?", "answer": "A sentence. " * 60}
               for n in range(12)]
    data = render_pdf(records)
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) > 2
    assert "Question 12: Question about topic 11?" in pdf_text(data)


def test_chinese_comes_out_through_font_fallback(qapp):
    if not QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese):
        pytest.skip("no font with Chinese characters is installed")
    records = [{"question": "喉咙痛怎么办？", "answer": "多喝**温水**，好好休息。",
                "sources": [{"title": "喉咙痛", "url": "https://example.org/zh"}]}]
    text = pdf_text(render_pdf(records, level="standard", language="zh"))
    assert "喉咙痛怎么办？" in text
    assert "多喝" in text and "好好休息。" in text
    assert "喉咙痛 — https://example.org/zh" in text


def test_write_pdf_saves_the_whole_file_and_nothing_else(qapp, tmp_path):
    path = write_pdf(VISIT, tmp_path / "handout.pdf", level="standard")
    assert path == tmp_path / "handout.pdf"
    assert [p.name for p in tmp_path.iterdir()] == ["handout.pdf"]
    assert "Standard reading level (about school grade 8)" in pdf_text(path.read_bytes())


def test_write_pdf_to_a_missing_folder_is_a_clear_error(qapp, tmp_path):
    with pytest.raises(HandoutError) as caught:
        write_pdf(VISIT, tmp_path / "no-such-folder" / "handout.pdf")
    assert "could not be saved" in str(caught.value) and "another folder" in str(caught.value)


def test_an_unknown_printer_is_a_clear_error(qapp):
    with pytest.raises(HandoutError) as caught:
        print_handout(VISIT, "No Such Printer 9000")
    assert "No Such Printer 9000" in str(caught.value)


def test_the_document_is_built_from_plain_records(qapp):
    doc = handout_document([{"question": "Q?", "answer": "A.", "sources": None}],
                           title="T", when=dt.date(2026, 1, 2))
    text = doc.toPlainText()
    assert text.startswith("T\n") and "Question 1: Q?" in text and "A." in text


def test_a_stored_conversation_becomes_handout_items():
    def message(n, role, content, status="complete", sources=()):
        return Message(n, 1, role, content, status, None, "", sources)

    messages = [
        message(1, "user", "First question"),
        message(2, "assistant", "First answer", sources=(
            {"id": "a", "title": "Article A", "language": "en", "url": "https://a.example",
             "urls": ["https://a.example", "https://b.example"]},)),
        message(3, "user", "Second question"),
        message(4, "assistant", "Half an ans", status="cancelled"),
        message(5, "user", "Third question"),
        message(6, "assistant", "Third answer"),
        message(7, "assistant", "A simpler third answer"),
    ]
    assert items_from_messages(messages) == [
        HandoutItem("First question", "First answer",
                    (HandoutSource("Article A", "https://a.example"),)),
        HandoutItem("Third question", "Third answer"),
        HandoutItem("Third question", "A simpler third answer"),
    ]


def test_disclaimer_falls_back_to_english(qapp):
    assert disclaimer("zh") == disclaimer("en")
    assert "not a doctor" in disclaimer()


def test_handout_writes_nothing_when_rendered_in_memory(qapp, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    render_pdf(VISIT)
    assert list(Path(tmp_path).iterdir()) == []
