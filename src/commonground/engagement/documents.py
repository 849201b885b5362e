"""Reading what was said from files: spreadsheets of responses and documents split into passages.

Spreadsheet rows go through the shared import readers (`commonground.imports.readers`) and are
all checked before anything is loaded: a bad row rejects the file with every problem named by
file, row and field.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from commonground.accounts.perspectives import Perspective
from commonground.core.archives import UPLOAD_LIMITS, ArchiveRejected, check_archive
from commonground.imports.errors import FileRejected
from commonground.imports.readers import Row, check_header, is_blank, make_row, read_delimited

REQUIRED_COLUMNS = ("text", "perspective")
MAX_STATEMENT_CHARS = 5000
MAX_ROWS = 20_000
MAX_PASSAGES = 2000
PASSAGE_CHARS = 600
# Other ways people write a perspective in a spreadsheet.
PERSPECTIVE_WORDS = {
    **{p.value: p.value for p in Perspective},
    **{p.label.lower(): p.value for p in Perspective},
    "resident": "community",
    "residents": "community",
    "community": "community",
    "commissioners": "commissioner",
    "providers": "provider",
    "funders": "funder",
}


class StatementImportRejected(Exception):
    """Nothing was loaded; `problems` lists every reason, each naming file, row and field."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems[:5]))


@dataclass(frozen=True)
class ImportedResponse:
    row: int
    text: str
    perspective: str
    participant: str


def perspective_from(value: str) -> str | None:
    return PERSPECTIVE_WORDS.get(value.strip().lower())


def _check_unpacked_size(source: Path | IO[bytes], file_name: str) -> None:
    """Before openpyxl or python-docx unpack a workbook or document (both are zip archives)."""
    try:
        check_archive(source, file_name, UPLOAD_LIMITS)
    except ArchiveRejected as error:
        raise FileRejected(file_name, error.reason) from error


def _xlsx_rows(path: Path, file_name: str) -> Iterator[Row]:
    import openpyxl

    _check_unpacked_size(path, file_name)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged workbook
        raise FileRejected(file_name, f"not a readable Excel workbook ({error})") from error
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        try:
            header_cells = next(rows)
        except StopIteration:
            raise FileRejected(file_name, "the first sheet is empty") from None
        header = [str(c).strip() if c is not None else "" for c in header_cells]
        while header and not header[-1]:
            header.pop()
        check_header(header, file_name, REQUIRED_COLUMNS, None)
        for number, cells in enumerate(rows, start=2):
            values = ["" if c is None else str(c) for c in cells][: len(header)]
            values += [""] * (len(header) - len(values))
            if is_blank(values):
                continue
            yield make_row(file_name, number, header, values, len(header))
    finally:
        workbook.close()


def read_responses(path: Path, kind: str, file_name: str) -> list[ImportedResponse]:
    """Every response in the file, or StatementImportRejected naming each bad row (FileRejected
    for a file that cannot be read at all)."""
    if kind == "xlsx":
        rows: Iterator[Row] = _xlsx_rows(path, file_name)
    else:
        rows = read_delimited(
            path, encodings=("utf-8", "cp1252"), required_columns=REQUIRED_COLUMNS
        )
    responses: list[ImportedResponse] = []
    problems: list[str] = []
    for row in rows:
        where = f"{file_name}, row {row.number}"
        if len(responses) + len(problems) >= MAX_ROWS:
            raise FileRejected(file_name, f"the file has more than {MAX_ROWS} responses")
        if row.error:
            problems.append(f"{where}: {row.error}")
            continue
        text = " ".join(row.data.get("text", "").split())
        raw_perspective = row.data.get("perspective", "")
        perspective = perspective_from(raw_perspective)
        if not text:
            problems.append(f"{where}, field 'text': the response is empty")
        elif len(text) > MAX_STATEMENT_CHARS:
            problems.append(
                f"{where}, field 'text': the response is longer than {MAX_STATEMENT_CHARS} "
                f"characters ({len(text)})"
            )
        if perspective is None:
            problems.append(
                f"{where}, field 'perspective': '{raw_perspective.strip()[:40]}' is not one of "
                "commissioner, provider, funder, community"
            )
        if text and perspective and len(text) <= MAX_STATEMENT_CHARS:
            participant = " ".join(row.data.get("participant", "").split())[:120]
            responses.append(ImportedResponse(row.number, text, perspective, participant))
    if problems:
        raise StatementImportRejected(problems)
    if not responses:
        raise FileRejected(file_name, "the file has no responses under its header")
    return responses


def _docx_paragraphs(handle: IO[bytes]) -> list[str]:
    import docx

    document = docx.Document(handle)
    return [p.text for p in document.paragraphs]


def _pdf_paragraphs(handle: IO[bytes]) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(handle)
    text = "\n\n".join(page.extract_text() or "" for page in reader.pages)
    return re.split(r"\n\s*\n", text)


def _text_paragraphs(handle: IO[bytes]) -> list[str]:
    raw = handle.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return re.split(r"\n\s*\n", text)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def passages(paragraphs: list[str]) -> list[str]:
    """Paragraphs as passages: whitespace tidied, fragments under 15 characters (page numbers,
    stray headings) dropped, and long paragraphs cut between sentences."""
    out: list[str] = []
    for paragraph in paragraphs:
        text = " ".join(paragraph.split())
        if len(text) < 15:
            continue
        if len(text) <= PASSAGE_CHARS:
            out.append(text)
            continue
        current = ""
        for sentence in _SENTENCE_END.split(text):
            if current and len(current) + len(sentence) + 1 > PASSAGE_CHARS:
                out.append(current)
                current = sentence
            else:
                current = f"{current} {sentence}".strip()
        if current:
            out.append(current[:MAX_STATEMENT_CHARS])
    return out[:MAX_PASSAGES]


def document_passages(data: bytes, kind: str, file_name: str) -> list[str]:
    """The passages of an uploaded .txt, .docx or .pdf (already checked by check_upload)."""
    readers = {"docx": _docx_paragraphs, "pdf": _pdf_paragraphs, "txt": _text_paragraphs}
    if kind == "docx":
        _check_unpacked_size(io.BytesIO(data), file_name)
    try:
        paragraphs = readers[kind](io.BytesIO(data))
    except Exception as error:  # the libraries raise many types for a damaged file
        raise FileRejected(file_name, f"the document cannot be read ({error})") from error
    found = passages(paragraphs)
    if not found:
        raise FileRejected(file_name, "no text could be read from the document")
    return found
