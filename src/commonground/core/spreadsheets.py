"""The one writer for every CSV and XLSX export, so no cell runs as a formula.

A spreadsheet program treats a cell starting with `=`, `+`, `-` or `@` as a formula, and a tab
or carriage return at the start can hide one; a formula in an export can fetch a web address or
run a command when a convener opens the file. OWASP's CSV Injection page and Symfony's fix for
CVE-2021-41270 agree on the remedy used here: write such a cell with a leading `'`, which
spreadsheets show as text and do not evaluate. A plain number (`-12.50`) is left as it is, so
refunds and credit notes stay numbers: a spreadsheet reads it as a number, never as a formula.

Every export view builds its file through `csv_response`, `csv_streaming_response`,
`csv_batches_response` or `xlsx_response`;
`tests/web/test_exports_are_guarded.py` walks the URL patterns and fails on any response with a
spreadsheet content type that lets a formula through.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse

from commonground.core.xml_text import xml_safe

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPREADSHEET_CONTENT_TYPES = ("text/csv", XLSX_CONTENT_TYPE)

# Characters that make a spreadsheet evaluate (or hide) a formula at the start of a cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")

Cell = str | int | float | Decimal | date | datetime | bool | None


def neutralise(value: Cell) -> Cell:
    """The value as a cell no spreadsheet will run: text that could be a formula gets a `'`."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


_FIRST = frozenset(FORMULA_STARTS)


def neutralised(row: Iterable[Cell]) -> list[Cell]:
    """neutralise() of every cell, written out so that an export of many rows stays fast."""
    return [
        "'" + value
        if isinstance(value, str) and value[:1] in _FIRST and not _PLAIN_NUMBER.fullmatch(value)
        else value
        for value in row
    ]


def is_neutral(value: str) -> bool:
    """True when a cell read back from an export cannot run as a formula (for tests and checks)."""
    return not value.startswith(FORMULA_STARTS) or bool(_PLAIN_NUMBER.fullmatch(value))


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def csv_stream(header: Sequence[str], rows: Iterable[Iterable[Cell]]) -> Iterator[str]:
    """The header and rows as CSV lines, one at a time, every cell neutralised."""
    writer = csv.writer(_Echo())
    yield writer.writerow(neutralised(header))
    for row in rows:
        yield writer.writerow(neutralised(row))


def csv_batch_stream(
    header: Sequence[str], batches: Iterable[Iterable[Iterable[Cell]]]
) -> Iterator[str]:
    """The header, then each batch of rows as one piece of CSV, every cell neutralised: a long
    export goes out in a few large writes rather than one write a row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def taken() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(neutralised(header))
    yield taken()
    for batch in batches:
        writer.writerows(neutralised(row) for row in batch)
        yield taken()


def csv_text(header: Sequence[str], rows: Iterable[Iterable[Cell]]) -> str:
    return "".join(csv_stream(header, rows))


def _attachment(response: HttpResponse | StreamingHttpResponse, filename: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Iterable[Cell]]
) -> HttpResponse:
    """A CSV download built whole (small exports)."""
    response = HttpResponse(csv_text(header, rows), content_type=CSV_CONTENT_TYPE)
    _attachment(response, filename)
    return response


def csv_streaming_response(
    filename: str, header: Sequence[str], rows: Iterable[Iterable[Cell]]
) -> StreamingHttpResponse:
    """A CSV download sent as its rows are read, for exports of any length."""
    response = StreamingHttpResponse(csv_stream(header, rows), content_type=CSV_CONTENT_TYPE)
    _attachment(response, filename)
    return response


def csv_batches_response(
    filename: str, header: Sequence[str], batches: Iterable[Iterable[Iterable[Cell]]]
) -> StreamingHttpResponse:
    """A CSV download sent a batch of rows at a time, as the batches are read."""
    response = StreamingHttpResponse(
        csv_batch_stream(header, batches), content_type=CSV_CONTENT_TYPE
    )
    _attachment(response, filename)
    return response


def _worksheet_row(row: Iterable[Cell]) -> list[Cell]:
    return [xml_safe(value) if isinstance(value, str) else value for value in neutralised(row)]


def xlsx_bytes(header: Sequence[str], rows: Iterable[Iterable[Cell]], title: str) -> bytes:
    """One worksheet of the header and rows. openpyxl stores any text starting with `=` as a
    formula, so the guard matters here as much as in CSV."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append(_worksheet_row(header))
    for row in rows:
        sheet.append(_worksheet_row(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Iterable[Any]], title: str
) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(header, rows, title), content_type=XLSX_CONTENT_TYPE)
    _attachment(response, filename)
    return response
