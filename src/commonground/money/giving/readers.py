"""Reading a 360Giving file (a JSON package, a flat CSV or an XLSX workbook) into grants with
the report of their validation."""

from __future__ import annotations

import gc
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from commonground.imports.errors import FileRejected
from commonground.imports.readers import Row, read_delimited

from .schema import Cell, JsonPath, Sheet, clash_notes, columns_for, unflatten
from .sheets import join_item_sheets
from .validation import ValidationReport, validate_grants


@dataclass
class GrantsFile:
    file_name: str
    grants: list[dict[str, Any]]
    report: ValidationReport
    rows: list[int]  # the row (spreadsheets) or position (JSON, 1-based) of each grant
    sheet: str = ""
    json: bool = False
    # Lines of a CSV that cannot be read as a row (the wrong number of fields): each is
    # refused on its own, as a spend file's are, and the other grants load.
    unreadable: list[Row] = field(default_factory=list)


def _reject_other_standard(data: Any, file_name: str) -> None:
    if isinstance(data, dict) and ("releases" in data or "records" in data):
        raise FileRejected(
            file_name,
            "this is an Open Contracting (OCDS) file, not 360Giving: import it as contracts",
        )
    if not isinstance(data, dict) or "grants" not in data:
        raise FileRejected(
            file_name,
            "this is not a 360Giving data package: the JSON must be an object with a 'grants' list",
        )
    if not isinstance(data["grants"], list):
        raise FileRejected(file_name, "'grants' must be a list of grants", field="grants")


def read_json(path: Path) -> GrantsFile:
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise FileRejected(
            path.name,
            f"the JSON is not UTF-8: byte 0x{raw[error.start]:02x} cannot be read "
            "(save the file as UTF-8)",
            row=line,
        ) from None
    try:
        # A large package is millions of small objects: the cyclic garbage collector would
        # scan them again and again while they are made, and none of them can be garbage yet.
        gc.disable()
        try:
            data = json.loads(text)
        finally:
            gc.enable()
    except json.JSONDecodeError as error:
        raise FileRejected(
            path.name,
            f"the JSON is malformed at line {error.lineno}, column {error.colno}: {error.msg} "
            "(is the file complete? a missing comma, bracket or quote?)",
            row=error.lineno,
        ) from None
    _reject_other_standard(data, path.name)
    grants = data["grants"]
    report = validate_grants(grants, path.name, package=data)
    # What is not a grant (a string, null) was refused above: read as an empty one from here.
    grants = [grant if isinstance(grant, dict) else {} for grant in grants]
    return GrantsFile(path.name, grants, report, list(range(1, len(grants) + 1)), json=True)


def _grants_from_table(
    headers: list[str],
    table: list[tuple[int, list[Any]]],
    file_name: str,
    sheet: str,
    item_sheets: Sequence[Sheet] = (),
) -> GrantsFile:
    if not any(h and str(h).strip().casefold() in ("identifier", "id") for h in headers):
        raise FileRejected(
            file_name,
            "no 'Identifier' column: this does not look like a 360Giving grants sheet "
            f"(the first row has: {', '.join(str(h) for h in headers if h)[:300]})",
            row=1,
        )
    grants: list[dict[str, Any]] = []
    wheres: list[dict[JsonPath, int | Cell]] = []
    rows: list[int] = []
    clashed: dict[int, int] = {}  # column index -> the first row it could not be read in
    columns = columns_for(headers)
    for number, values in table:
        grant, where, clashes = unflatten(columns, values)
        for index in clashes:
            clashed.setdefault(index, number)
        if not grant:
            continue
        grants.append(grant)
        wheres.append(dict(where))
        rows.append(number)
    notes: list[str] = []
    if item_sheets:
        notes = join_item_sheets(file_name, sheet, grants, wheres, rows, item_sheets)
    clean_headers = [str(h or "") for h in headers]
    report = validate_grants(grants, file_name, wheres, clean_headers, sheet, rows)
    report.notes.extend(clash_notes(clashed, clean_headers))
    report.notes.extend(notes)
    return GrantsFile(file_name, grants, report, rows, sheet=sheet)


def read_csv(path: Path, warnings: list[str] | None = None) -> GrantsFile:
    notes = []
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        notes.append("the file starts with a byte-order mark (BOM); it was read as UTF-8")
    else:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            notes.append(
                "the file is not UTF-8; it was read as Windows-1252 (cp1252). Save it as "
                "UTF-8 so that characters such as £ and accented letters are read as meant"
            )
    table: list[tuple[int, list[Any]]] = []
    unreadable: list[Row] = []
    header: list[str] = []
    rows = read_delimited(
        path, encodings=("utf-8", "cp1252"), on_header=lambda names: header.extend(names)
    )
    for row in rows:
        if row.error:
            unreadable.append(row)
            continue
        table.append((row.number, list(row.raw)))
    if not table:
        if unreadable:
            first = unreadable[0]
            raise FileRejected(path.name, first.error, row=first.number)
        raise FileRejected(path.name, "the file has a header but no grants")
    grants_file = _grants_from_table(header, table, path.name, "")
    grants_file.report.notes.extend(notes)
    grants_file.unreadable = unreadable
    return grants_file


def read_xlsx(path: Path) -> GrantsFile:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise FileRejected(
            path.name,
            f"not a readable Excel workbook (.xlsx): {error}. Save it again from your "
            "spreadsheet program as 'Excel Workbook (.xlsx)'",
        ) from None
    sheets: list[Sheet] = []
    ignored: list[str] = []
    try:
        for worksheet in workbook.worksheets:
            rows = worksheet.iter_rows(values_only=True)
            first = next(rows, None)
            if first is None:
                continue
            headers = [str(h).strip() if h is not None else "" for h in first]
            if not any(h.casefold() in ("identifier", "id") for h in headers):
                if any(headers):
                    ignored.append(worksheet.title)
                continue
            table = [
                (number, list(values))
                for number, values in enumerate(rows, start=2)
                if any(v is not None and str(v).strip() for v in values)
            ]
            sheets.append(Sheet(worksheet.title, headers, table))
    finally:
        workbook.close()
    if not sheets:
        raise FileRejected(
            path.name,
            "no sheet has an 'Identifier' column: this is not a 360Giving grants workbook",
        )
    # The first sheet with an Identifier column holds the grants; any later one holds further
    # items of their lists, one row an item (the standard's multi-sheet form, sheets.py).
    main, *item_sheets = sheets
    grants_file = _grants_from_table(main.headers, main.table, path.name, main.title, item_sheets)
    grants_file.report.notes.extend(
        f"sheet '{title}' was not read: it has no 'Identifier' column, so its rows cannot be "
        "joined to grants"
        for title in ignored
    )
    return grants_file


def read_grants_file(path: Path) -> GrantsFile:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return read_json(path)
    if suffix == ".csv":
        return read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path)
    raise FileRejected(path.name, f"'{suffix}' files are not 360Giving: use .json, .csv or .xlsx")


def validate_file(path: Path) -> ValidationReport:
    """The validator on its own: every problem in a file, or why it cannot be read at all."""
    try:
        return read_grants_file(path).report
    except FileRejected as error:
        return ValidationReport(file_name=path.name, file_error=error.message)


# The importer -------------------------------------------------------------------------
