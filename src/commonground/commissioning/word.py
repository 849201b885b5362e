"""The decision record as a Word document (.docx), so a committee can edit it into a paper.
Same sections as the PDF (record.py)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx import Document

from commonground.core.xml_text import xml_safe

from .record import DISCLAIMER, record_sections, record_title


def _text(value: Any) -> str:
    # Answers are typed text and may carry what a Word file cannot hold (core.xml_text).
    return xml_safe(str(value))


def decision_record_docx(
    *,
    answers: dict[str, Any],
    result: dict[str, Any],
    name: str = "",
    author: str = "",
    links: Sequence[tuple[str, str]] = (),
) -> bytes:
    doc = Document()
    title, council = record_title(answers, name)
    doc.add_heading(_text(title), level=0)
    doc.add_paragraph(_text(council))
    for section in record_sections(answers, result, author, links):
        doc.add_heading(_text(section.heading), level=1)
        for block in section.blocks:
            if block[0] == "p":
                doc.add_paragraph(_text(block[1]))
            elif block[0] == "bullets":
                for item in block[1]:
                    doc.add_paragraph(_text(item), style="List Bullet")
            else:
                _table(doc, block[1], block[2])
    doc.add_paragraph(DISCLAIMER)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _table(doc: Any, headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    if not rows:
        return
    table = doc.add_table(rows=0, cols=len(headers))
    table.style = "Table Grid"
    if any(headers):
        cells = table.add_row().cells
        for cell, text in zip(cells, headers, strict=True):
            cell.text = _text(text)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = _text(text)
