"""Printable records come out as real PDFs carrying the text they were given."""

from __future__ import annotations

import io

from pypdf import PdfReader

from commonground.core.pdf import PdfDocument


def test_a_decision_record_pdf_holds_its_headings_tables_and_pound_signs() -> None:
    data = (
        PdfDocument("Decision record", subtitle="Social prescribing — Trafford")
        .heading("Routes available")
        .bullets(["Grant", "Innovation partnership"])
        .checklist(["Publish a transparency notice"])
        .table(["Route", "Status"], [["grant", "available"], ["open_procedure", "not available"]])
        .key_values([("Estimated value", "£1,250,000")])
        .output()
    )

    assert data.startswith(b"%PDF-")
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    for expected in (
        "Decision record",
        "Routes available",
        "Innovation partnership",
        "open_procedure",
        "£1,250,000",
        "Social prescribing — Trafford",
    ):
        assert expected in text


def test_long_content_flows_onto_more_pages_with_page_numbers() -> None:
    document = PdfDocument("Alignment report")
    for number in range(200):
        document.paragraph(f"Statement {number}: we want long-term partnership in Stretford.")

    reader = PdfReader(io.BytesIO(document.output()))

    assert len(reader.pages) > 3
    assert "page 2" in reader.pages[1].extract_text()
