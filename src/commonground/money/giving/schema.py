"""The 360Giving grant schema (1.4.3) and how a spreadsheet's column titles map onto it: column
titles to JSON paths, cell values to JSON values, and rows unflattened into grants."""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, cached_property, lru_cache
from typing import Any, cast

import jsonschema_rs
from openpyxl.utils import get_column_letter

from commonground.sources.locate import locate

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
    (further items of a list, see sheets.py)."""

    sheet: str
    row: int
    column: str = ""  # e.g. "B (Beneficiary Location:Name)"; "" for the row as a whole


# Where each field of a spreadsheet grant came from: a column of the grant's own row (its index)
# or a cell elsewhere.
Wheres = Mapping[JsonPath, int | Cell]


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
