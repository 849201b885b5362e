"""360Giving grants: JSON packages, flat CSV and XLSX, validated against the 1.4.3 schema.

Spreadsheets are turned into grants the way the standard's own tools do (column titles from the
schema: "Recipient Org:Charity Number" -> recipientOrganization[0].charityNumber; numbered items
of a list: "Beneficiary Location:1:Geographic Code" -> the second beneficiary location; titles
the schema does not know are kept, split on ":" into nested objects; in a workbook, further
items of a list may be on sheets of their own, see giving_sheets). Every grant is then
validated against the official schema with jsonschema_rs. Each problem is reported by grant,
field and, for spreadsheets, sheet, row and column, in words a publisher can act on.

Problems in the fields the ledger uses (identifier, amount, date, currency, the organisations)
reject the grant; other problems are reported as warnings and the grant is loaded. Fields
beyond the standard are kept in the raw record.
"""

from __future__ import annotations

import gc
import itertools
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any, cast

import jsonschema_rs
from openpyxl.utils import get_column_letter

from commonground.imports.engine import ImportContext, Importer, LoadCounts
from commonground.imports.errors import FileRejected, RowRejected
from commonground.imports.readers import Row, read_delimited
from commonground.organisations.identifiers import company_number
from commonground.places.postcodes import normalise_postcode
from commonground.sources.locate import locate

from .parsing import clean, parse_amount_pence, parse_flexible_date
from .records import FlowRecord, PartyRecord, party_key
from .services import flows_link_dataset, flows_upsert

# Fields whose errors make a grant unusable in the ledger.
USED_FIELDS = (
    "id",
    "amountAwarded",
    "awardDate",
    "currency",
    "recipientOrganization",
    "fundingOrganization",
    "recipientIndividual",
)
_SPACE = re.compile(r"\s")
_LA_PREFIXES = ("E06", "E07", "E08", "E09", "W06", "S12", "N09")
_WARD_PREFIXES = ("E05", "W05", "S13", "N08")


@cache
def grant_schema() -> dict[str, Any]:
    """The official 1.4.3 grant schema, from the data-source catalogue."""
    path = locate("giving_schema", "grant")
    return cast(dict[str, Any], json.loads(path.read_text(encoding="utf-8")))


@cache
def package_validator() -> Any:
    grant = grant_schema()
    package = json.loads(locate("giving_schema", "package").read_text(encoding="utf-8"))
    reference = package["properties"]["grants"]["items"]["$ref"]
    registry = jsonschema_rs.Registry([(reference, grant), (grant["$id"], grant)])
    return jsonschema_rs.Draft202012Validator(package, registry=registry, validate_formats=True)


# Titles -> JSON paths -----------------------------------------------------------------
#
# The standard's flattening (flatten-tool, which the 360Giving Data Quality Tool uses): a
# column title is the field titles from the grant down, joined by ":" ("Recipient Org:Charity
# Number"), or the field names joined by "/" ("recipientOrganization/0/charityNumber"). Where a
# field is a list of objects, the title may number the item ("Beneficiary Location:1:Name");
# without a number it is the first item. Numbers only order and group the items: a grant gets
# one item for each number its row fills, in numeric order after the unnumbered one, so columns
# 0 and 2 filled make a list of two. A title whose end the schema does not know is kept inside
# the object its known start names ("Recipient Org:Notes" -> recipientOrganization[0].Notes);
# a title the schema does not know at all is kept at the top, nested on ":".

Slot = int | None  # an item's number in a title; None for the unnumbered item
Step = str | int | None  # a field name or, after a list of objects, an item's slot


@dataclass(frozen=True)
class Column:
    path: tuple[Step, ...]
    kind: str  # string, number, integer, array-of-strings; "" when the schema does not know it

    @cached_property
    def numbered(self) -> bool:
        """Whether the title numbers an item: only then does its place in the list depend on
        the other columns filled in the row (an unnumbered item always comes first)."""
        return any(type(step) is int for step in self.path)

    @cached_property
    def json_path(self) -> tuple[str | int, ...]:
        """The JSON path of an unnumbered column's cell."""
        return tuple(0 if step is None else step for step in self.path)


class _Items(dict[Slot, dict[str, Any]]):
    """A list of objects being filled from a row: slot -> item, made a list at the end."""

    def ordered(self) -> list[Slot]:
        if len(self) == 1:
            return list(self)
        return sorted(self, key=lambda slot: -1 if slot is None else slot)


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return cast(dict[str, Any], grant_schema()["$defs"][ref.split("/")[-1]])
    return node


def _kind(node: dict[str, Any]) -> str:
    types = node.get("type")
    types = [types] if isinstance(types, str) else list(types or [])
    if "array" in types:
        return "array"
    if "object" in types:
        return "object"
    for kind in ("integer", "number"):
        if kind in types:
            return kind
    return "string"


@cache
def _fields(node_id: int) -> dict[str, tuple[str, dict[str, Any]]]:
    """Lower-cased title or name -> (name, schema) of one object's fields; titles win."""
    node = _nodes()[node_id]
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    properties = node.get("properties", {})
    for name, child in properties.items():
        child = _resolve(child)
        found.setdefault(str(child.get("title") or name).casefold(), (name, child))
    for name, child in properties.items():
        found.setdefault(name.casefold(), (name, _resolve(child)))
    return found


@cache
def _nodes() -> dict[int, dict[str, Any]]:
    """The schema's objects by id(), so that _fields can be cached by a hashable key."""
    nodes: dict[int, dict[str, Any]] = {}

    def walk(node: dict[str, Any]) -> None:
        nodes[id(node)] = node
        for child in node.get("properties", {}).values():
            child = _resolve(child)
            if _kind(child) == "array":
                child = _resolve(child.get("items", {}))
            if _kind(child) == "object" and id(child) not in nodes:
                walk(child)

    walk(grant_schema())
    return nodes


def _walk(parts: list[str]) -> Column | None:
    """The column for a title split into parts, or None if the schema does not know its start
    (or it stops at an object, or goes on past a value)."""
    node = grant_schema()
    path: list[Step] = []
    position = 0
    while position < len(parts):
        field = _fields(id(node)).get(parts[position].casefold())
        if field is None:
            if not path:
                return None
            return Column((*path, *parts[position:]), "")
        name, child = field
        path.append(name)
        position += 1
        kind = _kind(child)
        if kind == "array":
            items = _resolve(child.get("items", {}))
            if _kind(items) != "object":
                return Column(tuple(path), "array-of-strings") if position == len(parts) else None
            slot: Slot = None
            if position < len(parts) and parts[position].isdigit():
                slot = int(parts[position])
                position += 1
            path.append(slot)
            node = items
        elif kind == "object":
            node = child
        else:
            return Column(tuple(path), kind) if position == len(parts) else None
    return None


@lru_cache(maxsize=4096)
def column_for(header: str) -> Column:
    """Where the cells of the column with this title (or path) go in a grant."""
    title = " ".join(header.split())
    parts = [part.strip() for part in title.split(":")]
    column = _walk(parts)
    if column is None and ":" not in title and "/" in title:
        # The path form; "School / Building" and the like stay titles unless the schema
        # knows their first part.
        column = _walk([part.strip() for part in title.split("/")])
    return column or Column(tuple(parts), "")


def _cell_value(value: Any, kind: str) -> Any:
    if isinstance(value, datetime):
        if kind in ("string", ""):
            return value.strftime("%Y-%m-%dT%H:%M:%S+00:00")
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if kind == "":
        return value  # beyond the standard: kept as the spreadsheet gives it
    if kind in ("number", "integer"):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        text = str(value).strip()
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            return text  # left as written: the schema check reports it
        return int(number) if number.is_integer() and "." not in text else number
    if kind == "array-of-strings":
        return [part.strip() for part in str(value).split(";") if part.strip()]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def _put(
    grant: dict[str, Any], path: tuple[Step, ...], value: Any, made: list[tuple[Any, Step]]
) -> bool:
    """Put a cell's value at its path, noting each list begun (parent, key) in `made`; False if
    another column already put something of another shape there ("Website", "Website:Notes")."""
    node: Any = grant
    for step, following in itertools.pairwise(path):
        container = dict if isinstance(following, str) else _Items
        child = node.get(step)
        if child is None:
            child = node[step] = container()
            if container is _Items:
                made.append((node, step))
        elif type(child) is not container:
            return False
        node = child
    if isinstance(node.get(path[-1]), dict):
        return False
    node[path[-1]] = value
    return True


def _final_path(grant: dict[str, Any], path: tuple[Step, ...]) -> tuple[str | int, ...]:
    """A numbered column's path as a JSON path into the finished grant (slot -> position)."""
    final: list[str | int] = []
    node: Any = grant
    for step in path:
        if isinstance(node, _Items):
            final.append(node.ordered().index(cast(Slot, step)))
        else:
            final.append(cast(str, step))
        node = node[step]
    return tuple(final)


def columns_for(headers: list[Any]) -> list[Column | None]:
    """The column of each header of a sheet (None for a blank header), for unflatten."""
    return [column_for(str(h)) if h is not None and str(h).strip() else None for h in headers]


def unflatten(
    columns: list[Column | None], values: list[Any]
) -> tuple[dict[str, Any], dict[tuple[str | int, ...], int], list[int]]:
    """One spreadsheet row -> a grant, where each field came from (JSON path -> column index),
    and the columns whose cells could not be placed."""
    grant: dict[str, Any] = {}
    where: dict[tuple[str | int, ...], int] = {}
    numbered: list[tuple[tuple[Step, ...], int]] = []
    made: list[tuple[Any, Step]] = []
    clashes: list[int] = []
    for index, (column, value) in enumerate(zip(columns, values, strict=False)):
        if column is None:
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if not _put(grant, column.path, _cell_value(value, column.kind), made):
            clashes.append(index)
        elif column.numbered:
            numbered.append((column.path, index))
        else:
            where[column.json_path] = index
    for path, index in numbered:
        where[_final_path(grant, path)] = index
    # Each list in place of its slots; an item's own lists are made lists in the same objects.
    for parent, key in made:
        items = parent[key]
        parent[key] = [items[slot] for slot in items.ordered()]
    return grant, where, clashes


# Validation ---------------------------------------------------------------------------

JsonPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Cell:
    """Where a value came from when it is not on the grant's own row: a row of another sheet
    (further items of a list, see giving_sheets)."""

    sheet: str
    row: int
    column: str = ""  # e.g. "B (Beneficiary Location:Name)"; "" for the row as a whole


# Where each field of a spreadsheet grant came from: a column of the grant's own row (its index)
# or a cell elsewhere.
Wheres = Mapping[JsonPath, int | Cell]


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
        grant_id = grant.get("id") if isinstance(grant.get("id"), str) else ""
        if not inner and type(error.kind).__name__ == "OneOfNotValid":
            continue  # the recipient/individual alternative: reported through its fields
        problem = GrantProblem(
            grant_index=index,
            grant_id=grant_id or "",
            field="/".join(str(p) for p in inner),
            message=_friendly(error),
            blocking=bool(inner) and str(inner[0]) in USED_FIELDS,
        )
        if where is not None and headers is not None:
            row = rows[index] if rows else index + 2
            _locate(problem, where[index], inner, headers, sheet, row)
        report.problems.append(problem)
    for index, grant in enumerate(grants):
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


@dataclass
class GrantsFile:
    file_name: str
    grants: list[dict[str, Any]]
    report: ValidationReport
    rows: list[int]  # the row (spreadsheets) or position (JSON, 1-based) of each grant
    sheet: str = ""
    json: bool = False


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
    return GrantsFile(path.name, grants, report, list(range(1, len(grants) + 1)), json=True)


@dataclass
class Sheet:
    """One sheet (or a CSV file) as read: its title, its first row and its other rows, each
    with its row number."""

    title: str
    headers: list[str]
    table: list[tuple[int, list[Any]]]


def clash_notes(clashed: dict[int, int], headers: list[str], sheet: str = "") -> list[str]:
    """The notes for columns not read because another column's title puts a different kind of
    value in the same place (column index -> the first row it could not be read in)."""
    where = f"sheet '{sheet}', " if sheet else ""
    return [
        f"{where}column {get_column_letter(index + 1)} ({headers[index]}) was not read "
        f"(first in row {number}): another column's title puts a different kind of value "
        "in the same place in the grant. Rename one of the two columns"
        for index, number in sorted(clashed.items())
    ]


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
        # Imported here: giving_sheets builds on this module's titles and unflattening.
        from .giving_sheets import join_item_sheets

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
    headers: list[str] = []
    for row in read_delimited(path, encodings=("utf-8", "cp1252")):
        if not headers:
            headers = list(row.data) if row.data else headers
        if row.error:
            raise FileRejected(path.name, row.error, row=row.number)
        table.append((row.number, list(row.raw)))
    if not headers:
        raise FileRejected(path.name, "the file has a header but no grants")
    grants_file = _grants_from_table(headers, table, path.name, "")
    grants_file.report.notes.extend(notes)
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
    # items of their lists, one row an item (the standard's multi-sheet form, giving_sheets).
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


def _org_identifiers(org: dict[str, Any]) -> tuple[str, ...]:
    found: list[str] = []
    org_id = clean(org.get("id"))
    if org_id and not org_id.upper().startswith("360G-"):
        found.append(org_id)
    charity = clean(org.get("charityNumber"))
    if charity:
        digits = re.sub(r"\D", "", charity)
        if charity.upper().startswith("SC"):
            found.append(f"GB-SC-{charity.upper()}")
        elif digits:
            found.append(f"GB-CHC-{int(digits)}")
    company = clean(org.get("companyNumber"))
    if company:
        found.append(f"GB-COH-{company_number(company)}")
    return tuple(dict.fromkeys(found))


def beneficiary_places(grant: dict[str, Any]) -> tuple[str, str, list[str]]:
    """(district code, ward code, every distinct code) from all the grant's beneficiary
    locations, in the order published.

    A flow has one place and one ward, so the first location that is a local-authority
    district gives the district and the first that is a ward gives the ward: a grant for
    several districts or wards is counted in full in the first the publisher lists. The other
    codes stay in the raw record, and in the flow's attributes (beneficiary_codes), so nothing
    is lost. Other codes (LSOA, constituency, region) place nothing: the ledger falls back to
    the ward's district and then to the recipient's postcode."""
    place_gss, ward_gss = "", ""
    codes: list[str] = []
    for location in grant.get("beneficiaryLocation") or []:
        code = clean(location.get("geoCode")).upper() if isinstance(location, dict) else ""
        if not code or code in codes:
            continue
        codes.append(code)
        if code.startswith(_LA_PREFIXES) and not place_gss:
            place_gss = code
        elif code.startswith(_WARD_PREFIXES) and not ward_gss:
            ward_gss = code
    return place_gss, ward_gss, codes


def _several(grants: list[dict[str, Any]], name: str) -> int:
    return sum(1 for g in grants if isinstance(g.get(name), list) and len(g[name]) > 1)


def _first(grant: dict[str, Any], name: str) -> dict[str, Any]:
    values = grant.get(name)
    if isinstance(values, list) and values and isinstance(values[0], dict):
        return values[0]
    return {}


class GrantsImporter(Importer[FlowRecord]):
    """A 360Giving file (JSON, CSV or XLSX); the dataset code names the publisher's data."""

    batch_size = 1000

    def __init__(self, dataset: str = "trafford_grants") -> None:
        self.dataset = dataset  # type: ignore[misc]
        self.touched: set[str] = set()
        self._file: GrantsFile | None = None
        self._problems: dict[int, list[GrantProblem]] = {}

    def rows(self, path: Path, context: ImportContext) -> Iterator[Row]:
        grants_file = read_grants_file(path)
        if grants_file.report.file_error:
            raise FileRejected(path.name, grants_file.report.file_error)
        self._file = grants_file
        context.warnings.extend(f"{path.name}: {note}" for note in grants_file.report.notes)
        self._problems = {}
        for problem in grants_file.report.problems:
            if problem.grant_index < 0:
                context.warnings.append(f"{path.name}: {problem.message}")
                continue
            if not problem.blocking:
                context.warnings.append(f"{path.name}, {problem}")
            self._problems.setdefault(problem.grant_index, []).append(problem)
        # The ledger has one payer and one recipient a flow: say when the file gives more.
        for field_name, role in (
            ("fundingOrganization", "funder"),
            ("recipientOrganization", "recipient"),
        ):
            several = _several(grants_file.grants, field_name)
            if several:
                context.warnings.append(
                    f"{path.name}: {several} grants name more than one {role}; the ledger "
                    f"records the first {role} of each (the others are kept in the grant's "
                    "source record)"
                )
        name = f"{path.name}:{grants_file.sheet}" if grants_file.sheet else path.name
        for index, grant in enumerate(grants_file.grants):
            data = {"index": index, "grant": grant}
            raw = [json.dumps(grant, default=str)[:4000]]
            yield Row(name, grants_file.rows[index], cast(dict[str, str], data), raw)

    def parse(self, row: Row) -> FlowRecord:
        data = cast(dict[str, Any], row.data)
        index: int = data["index"]
        grant: dict[str, Any] = data["grant"]
        blocking = [p for p in self._problems.get(index, []) if p.blocking]
        if blocking:
            raise RowRejected(
                "; ".join(str(p) for p in blocking)[:2000], blocking[0].field or "grant"
            )
        grant_id = clean(grant.get("id"))
        if not grant_id:
            raise RowRejected("the grant has no identifier", "id")
        currency = clean(grant.get("currency")) or "GBP"
        if currency != "GBP":
            raise RowRejected(
                f"grant {grant_id}: the amount is in {currency}; the ledger adds up pounds only",
                "currency",
            )
        amount = parse_amount_pence(grant.get("amountAwarded"), "amountAwarded")
        assert amount is not None
        awarded = parse_flexible_date(grant.get("awardDate"), "awardDate")
        assert awarded is not None
        funder = _first(grant, "fundingOrganization")
        funder_name = clean(funder.get("name"))
        if not funder_name:
            raise RowRejected(f"grant {grant_id}: the funder has no name", "fundingOrganization")
        funder_ids = _org_identifiers(funder)
        recipient = _first(grant, "recipientOrganization")
        if recipient:
            recipient_name = clean(recipient.get("name"))
            if not recipient_name:
                raise RowRejected(
                    f"grant {grant_id}: the recipient organisation has no name",
                    "recipientOrganization/0/name",
                )
            recipient_party = PartyRecord(
                name=recipient_name,
                key=party_key(self.dataset, recipient_name, clean(recipient.get("id"))),
                identifiers=_org_identifiers(recipient),
                postcode=normalise_postcode(clean(recipient.get("postalCode"))),
            )
        elif isinstance(grant.get("recipientIndividual"), dict):
            recipient_party = PartyRecord(
                name="Individual (name withheld)",
                key=f"{self.dataset}:individual",
                redacted=True,
            )
        else:
            raise RowRejected(
                f"grant {grant_id}: there is no recipient organisation or individual",
                "recipientOrganization",
            )
        place_gss, ward_gss, codes = beneficiary_places(grant)
        if not place_gss and any(i.upper().startswith("GB-LAE-") for i in funder_ids):
            place_gss = next(i for i in funder_ids if i.upper().startswith("GB-LAE-"))
        programme = _first(grant, "grantProgramme")
        file = self._file
        return FlowRecord(
            dataset=self.dataset,
            record_key=grant_id,
            channel="grant",
            payer=PartyRecord(
                name=funder_name,
                key=party_key(self.dataset, funder_name, clean(funder.get("id"))),
                identifiers=funder_ids,
            ),
            recipient=recipient_party,
            amount_pence=amount,
            date=awarded,
            purpose=clean(grant.get("title")) or clean(grant.get("description"))[:500],
            category=clean(programme.get("title")) or clean(programme.get("code")),
            place_gss=place_gss,
            ward_gss=ward_gss,
            attributes={
                "programme_code": clean(programme.get("code")),
                "from_open_call": clean(grant.get("fromOpenCall")),
                "description": clean(grant.get("description"))[:2000],
                # Only when there is a choice, so that single-place grants keep their checksum.
                **({"beneficiary_codes": codes} if len(codes) > 1 else {}),
            },
            raw=grant,
            file_name=row.file_name,
            row_number=None if file is not None and file.json else row.number,
            json_path=f"/grants/{index}",
        )

    def record_key(self, record: FlowRecord) -> str:
        return record.record_key

    def load(self, records: list[FlowRecord], context: ImportContext) -> LoadCounts:
        return flows_upsert(records, context.run, self.touched)

    def finish(self, context: ImportContext) -> None:
        flows_link_dataset(self.dataset, self.touched)
        self.touched = set()
