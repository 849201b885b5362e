"""Printable documents as PDF: the one way the app makes a PDF (decision records, reports).

Built from structured content rather than by rendering HTML, so it needs no browser or system
libraries: `PdfDocument("Title").heading(...).paragraph(...).table(...).output()` gives bytes.
DejaVu Sans is used where the machine has it (for any character); otherwise the PDF core font,
with characters outside Latin-1 replaced by their nearest plain equivalent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_PLAIN = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
     "\u2026": "...", "\u2022": "*", "\u2264": "<=", "\u2265": ">=", "\u2192": "->"}
)  # fmt: skip


class PdfDocument:
    def __init__(self, title: str, *, subtitle: str = "", footer: str = "Common Ground") -> None:
        self.pdf = FPDF(format="A4")
        self.pdf.set_margins(18, 18, 18)
        self.pdf.set_auto_page_break(auto=True, margin=18)
        self.pdf.set_title(title)
        self.pdf.set_creator("Common Ground")
        self._unicode = (FONT_DIR / "DejaVuSans.ttf").exists()
        if self._unicode:
            self.pdf.add_font("body", "", str(FONT_DIR / "DejaVuSans.ttf"))
            self.pdf.add_font("body", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
            self.font = "body"
        else:
            self.font = "helvetica"
        footer_text = self._text(footer)
        font = self.font

        def _footer(pdf: FPDF = self.pdf) -> None:
            pdf.set_y(-12)
            pdf.set_font(font, "", 8)
            pdf.cell(0, 6, f"{footer_text} - page {pdf.page_no()}", align="C")

        self.pdf.footer = _footer  # type: ignore[method-assign]
        self.pdf.add_page()
        self.heading(title, level=1)
        if subtitle:
            self.paragraph(subtitle, size=10)
        self.paragraph(f"Produced {datetime.now():%d %B %Y at %H:%M}.", size=9)

    def _text(self, text: str) -> str:
        text = str(text)
        if self._unicode:
            return text
        return text.translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")

    def _line(self, text: str, height: float, align: str = "J") -> None:
        self.pdf.multi_cell(
            0, height, self._text(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def heading(self, text: str, level: int = 2) -> PdfDocument:
        size = {1: 20, 2: 15, 3: 12}.get(level, 12)
        self.pdf.ln(2 if level > 1 else 0)
        self.pdf.set_font(self.font, "B", size)
        # Left-aligned: justified, a heading's short last-but-one line is stretched across.
        self._line(text, size * 0.55, align="L")
        self.pdf.ln(1)
        return self

    def paragraph(self, text: str, *, size: int = 11, bold: bool = False) -> PdfDocument:
        self.pdf.set_font(self.font, "B" if bold else "", size)
        self._line(text, size * 0.5)
        self.pdf.ln(1.5)
        return self

    def bullets(self, items: Iterable[str], *, marker: str = "-") -> PdfDocument:
        self.pdf.set_font(self.font, "", 11)
        for item in items:
            self._line(f"{marker} {item}", 5.5)
        self.pdf.ln(1.5)
        return self

    def checklist(self, items: Iterable[str]) -> PdfDocument:
        """Tick boxes to fill in by hand."""
        return self.bullets(items, marker="[  ]")

    def key_values(self, rows: Iterable[tuple[str, str]]) -> PdfDocument:
        return self.table(("", ""), rows, header=False, widths=(0.35, 0.65))

    def table(
        self,
        columns: Sequence[str],
        rows: Iterable[Sequence[object]],
        *,
        header: bool = True,
        widths: Sequence[float] | None = None,
    ) -> PdfDocument:
        self.pdf.set_font(self.font, "", 9)
        fractions = widths or [1 / len(columns)] * len(columns)
        width = self.pdf.epw
        with self.pdf.table(
            col_widths=tuple(f * width for f in fractions),
            first_row_as_headings=header,
            line_height=4.8,
            text_align="LEFT",
        ) as table:
            if header:
                heading = table.row()
                for column in columns:
                    heading.cell(self._text(column))
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(self._text("" if value is None else str(value)))
        self.pdf.ln(3)
        return self

    def output(self) -> bytes:
        return bytes(self.pdf.output())
