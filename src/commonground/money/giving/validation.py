"""Grants validated against the 360Giving schema, each problem reported by grant, field and, for
spreadsheets, sheet, row and column, in words a publisher can act on. Problems in the fields
the ledger uses reject the grant; others are warnings."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from commonground.imports.errors import RowRejected

from ..parsing import parse_flexible_date
from .schema import USED_FIELDS, Cell, Wheres, package_validator

_SPACE = re.compile(r"\s")


@dataclass
class GrantProblem:
    grant_index: int  # 0-based position in the file
    grant_id: str
    field: str  # JSON path within the grant, e.g. recipientOrganization/0/id
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""  # e.g. "F (Award Date)"
    blocking: bool = True  # the grant cannot be used in the ledger

    def location(self) -> str:
        if self.grant_index < 0:
            return "the file"
        parts = [f"grant {' '.join(self.grant_id.split()) or '(no identifier)'}"]
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        if self.field:
            parts.append(f"field {self.field}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"


@dataclass
class ValidationReport:
    file_name: str
    grants: int = 0
    problems: list[GrantProblem] = field(default_factory=list)
    file_error: str = ""
    notes: list[str] = field(default_factory=list)  # e.g. the encoding it was read in

    @property
    def valid(self) -> bool:
        return not self.file_error and not self.problems


def _friendly(error: Any) -> str:
    kind = type(error.kind).__name__
    instance = error.instance
    shown = json.dumps(instance)[:80] if not isinstance(instance, (dict, list)) else ""
    if kind == "Required":
        missing = getattr(error.kind, "property", None) or error.message.split('"')[1]
        return f"the required field '{missing}' is missing"
    if kind == "Type":
        return f"{shown} is the wrong type: {error.message.split(' is not of type ')[-1]} expected"
    if kind == "OneOfNotValid" and isinstance(instance, str):
        return f"{shown} is not a date: write it as YYYY-MM-DD (for example 2024-03-31)"
    if kind == "Format":
        fmt = error.message.rsplit('"', 2)[-2] if error.message.count('"') >= 2 else "format"
        if fmt == "date-time":
            return f"{shown} is not a date and time: write it as 2024-03-31T00:00:00Z"
        if fmt == "uri":
            return f"{shown} is not a web address: write it in full, starting https://"
        return f"{shown} is not in the {fmt} format"
    if kind == "Enum":
        return f"{shown} is not one of the values the standard allows (see its codelist)"
    if kind == "UniqueItems":
        return "the file holds two identical grants; publish each grant once"
    if kind == "MinItems":
        return "there are no grants in the file"
    if kind == "Pattern":
        return f"{shown} is not in the expected form"
    return error.message[:300]


def validate_grants(
    grants: list[dict[str, Any]],
    file_name: str,
    where: Sequence[Wheres] | None = None,
    headers: list[str] | None = None,
    sheet: str = "",
    rows: list[int] | None = None,
    package: dict[str, Any] | None = None,
) -> ValidationReport:
    report = ValidationReport(file_name=file_name, grants=len(grants))
    document = package if package is not None else {"grants": grants}
    not_grants: set[int] = set()  # items of the list that are not grants, reported once
    for error in package_validator().iter_errors(document):
        path = list(error.instance_path)
        if len(path) < 2 or path[0] != "grants" or not isinstance(path[1], int):
            if path == ["grants"] and type(error.kind).__name__ == "UniqueItems":
                report.problems.append(GrantProblem(-1, "", "grants", _friendly(error)))
                continue
            report.file_error = f"{'/'.join(map(str, path)) or 'the package'}: {_friendly(error)}"
            continue
        index = path[1]
        inner = tuple(path[2:])
        grant = grants[index] if index < len(grants) else {}
        if not isinstance(grant, dict):  # a string or null in the list: no grant to read
            if index not in not_grants:
                not_grants.add(index)
                shown = json.dumps(grant, default=str)[:80]
                report.problems.append(
                    GrantProblem(index, "", "grant", f"{shown} is not a grant (a JSON object)")
                )
            continue
        grant_id = grant.get("id") if isinstance(grant.get("id"), str) else ""
        if not inner and type(error.kind).__name__ == "OneOfNotValid":
            continue  # the recipient/individual alternative: reported through its fields
        problem = GrantProblem(
            grant_index=index,
            grant_id=grant_id or "",
            field="/".join(str(p) for p in inner),
            message=_friendly(error),
            blocking=blocks(inner, error.instance),
        )
        if inner and inner[0] == "awardDate" and not problem.blocking:
            read = parse_flexible_date(error.instance, "awardDate")
            problem.message += f"; it was read day-first, as {read:%Y-%m-%d}"
        if where is not None and headers is not None:
            row = rows[index] if rows else index + 2
            _locate(problem, where[index], inner, headers, sheet, row)
        report.problems.append(problem)
    for index, grant in enumerate(grants):
        if not isinstance(grant, dict):
            continue
        for id_path, value in _identifier_values(grant):
            if isinstance(value, str) and _SPACE.search(value):
                own_id = grant.get("id")
                problem = GrantProblem(
                    grant_index=index,
                    grant_id=own_id if isinstance(own_id, str) else "",
                    field="/".join(str(p) for p in id_path),
                    message=f"{json.dumps(value)} has spaces or line breaks in it: an "
                    "identifier must be one unbroken string (check for pasted line breaks)",
                    blocking=str(id_path[0]) in USED_FIELDS,
                )
                if where is not None and headers is not None:
                    row = rows[index] if rows else index + 2
                    _locate(problem, where[index], id_path, headers, sheet, row)
                report.problems.append(problem)
    return report


# The fields of a funder or recipient organisation the ledger reads; problems elsewhere in
# them (a web address without https://, a malformed phone number) are warnings.
USED_ORGANISATION_FIELDS = frozenset({"id", "name", "charityNumber", "companyNumber"})


def blocks(path: tuple[Any, ...], value: Any) -> bool:
    """Whether a schema problem at this path of a grant stops the ledger using the grant: only
    in a field the ledger reads, and not a date it can read as UK publishers write them."""
    if not path or str(path[0]) not in USED_FIELDS:
        return False
    if path[0] == "awardDate":
        try:
            return parse_flexible_date(value, "awardDate") is None
        except RowRejected:
            return True
    if path[0] in ("recipientOrganization", "fundingOrganization") and len(path) >= 3:
        return str(path[2]) in USED_ORGANISATION_FIELDS
    return True


def _identifier_values(grant: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    yield ("id",), grant.get("id")
    for side in ("recipientOrganization", "fundingOrganization"):
        orgs = grant.get(side)
        if isinstance(orgs, list):
            for position, org in enumerate(orgs):
                if isinstance(org, dict):
                    yield (side, position, "id"), org.get("id")


def _column_for(where: Wheres, path: tuple[Any, ...]) -> int | Cell | None:
    for length in range(len(path), 0, -1):
        if path[:length] in where:
            return where[path[:length]]
    return None


def _locate(
    problem: GrantProblem,
    where: Wheres,
    path: tuple[Any, ...],
    headers: list[str],
    sheet: str,
    row: int,
) -> None:
    """Name the sheet, row and column a problem's field was written in."""
    found = _column_for(where, path)
    if isinstance(found, Cell):
        problem.sheet, problem.row, problem.column = found.sheet, found.row, found.column
        return
    problem.sheet, problem.row = sheet, row
    if found is not None:
        problem.column = f"{get_column_letter(found + 1)} ({headers[found]})"


# Reading the three formats -------------------------------------------------------------
