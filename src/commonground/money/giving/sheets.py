"""360Giving spreadsheets in the standard's multi-sheet form: further items of a grant's lists
on sheets of their own, one row an item, joined to the grant by its Identifier.

flatten-tool (the standard's converter) can write a list this way rather than in numbered
columns: a sheet such as 'Beneficiary Location' with the grant's Identifier and the item's
columns titled as on the grants sheet ('Beneficiary Location:Name', or in the path form
'beneficiaryLocation/0/name'). A row's items are added to the grant's lists after the items on
the grants sheet and those of earlier rows and sheets, in that order. An item whose identifier
the list already holds is that item, as flatten-tool merges them: a 'Recipient Org Location'
sheet names the recipient by 'Recipient Org:Identifier' and adds to its locations.

Whatever cannot be joined rejects the whole file, so that nothing is lost or half-loaded: a row
whose Identifier names no grant (or several), a column that is not an item of a list (a grant's
own fields belong on the grants sheet), an item that disagrees with the item it names.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from openpyxl.utils import get_column_letter

from commonground.imports.errors import FileRejected

from .schema import Cell, Column, JsonPath, Sheet, clash_notes, columns_for, unflatten

# How many of a file's joining problems are listed before "and N more".
_SHOWN = 20


class _Disagrees(Exception):
    """An item named again (by its identifier) gives a field another value."""

    def __init__(self, path: JsonPath, had: Any, given: Any) -> None:
        self.path, self.had, self.given = path, had, given
        super().__init__(path)


def is_list_item(column: Column) -> bool:
    """Whether a column's cells go in an item of one of the grant's lists of objects (the only
    columns, besides the Identifier, that a further sheet may have)."""
    path = column.path
    return len(path) >= 3 and (path[1] is None or type(path[1]) is int)


def join_item_sheets(
    file_name: str,
    grants_sheet: str,
    grants: list[dict[str, Any]],
    wheres: list[dict[JsonPath, int | Cell]],
    rows: list[int],
    sheets: Sequence[Sheet],
) -> list[str]:
    """Add the items on `sheets` to `grants` (and where each came from to `wheres`); the notes
    to give the publisher. Raises FileRejected, listing every row or column that cannot be
    joined, before anything is loaded."""
    by_id = _grants_by_id(grants)
    problems: list[str] = []
    notes: list[str] = []
    for sheet in sheets:
        headers = [str(h or "") for h in sheet.headers]

        def label(index: int, headers: list[str] = headers) -> str:
            return f"{get_column_letter(index + 1)} ({headers[index]})"

        columns = columns_for(sheet.headers)
        stray = _stray_columns_problem(sheet.title, columns, label, grants_sheet)
        if stray:
            problems.append(stray)
            continue
        clashed: dict[int, int] = {}
        for number, values in sheet.table:
            items, where, clashes = unflatten(columns, values)
            for index in clashes:
                clashed.setdefault(index, number)
            at = f"sheet '{sheet.title}', row {number}"
            grant_id = items.pop("id", None)
            found, problem = _grant_for_row(at, grant_id, where, label, by_id, rows, grants_sheet)
            if problem:
                problems.append(problem)
                continue
            cells = {
                path: Cell(sheet.title, number, label(index))
                for path, index in where.items()
                if path != ("id",)
            }
            index = found
            try:
                added = _add_items(grants[index], items, Cell(sheet.title, number), cells)
            except _Disagrees as error:
                cell = _longest(cells, error.path)
                column = f", column {cell.column}" if cell is not None else ""
                problems.append(
                    f"{at}{column}: {json.dumps(error.given, default=str)} differs from "
                    f"{json.dumps(error.had, default=str)}, which the grant already has for "
                    f"{'/'.join(map(str, error.path))}. An item with the same identifier is "
                    "the same item: give each of its fields once, or give the items "
                    "identifiers of their own"
                )
                continue
            for path, cell in added.items():
                wheres[index].setdefault(path, cell)
        notes.extend(clash_notes(clashed, headers, sheet.title))
    if problems:
        more = f" (and {len(problems) - _SHOWN} more)" if len(problems) > _SHOWN else ""
        raise FileRejected(
            file_name,
            f"{len(problems)} problem{'s' if len(problems) > 1 else ''} joining the further "
            f"sheets to the grants on sheet '{grants_sheet}', so nothing was loaded: "
            + "; ".join(problems[:_SHOWN])
            + more,
        )
    return notes


def _grants_by_id(grants: list[dict[str, Any]]) -> dict[str, list[int]]:
    """The index of every grant with each Identifier."""
    by_id: dict[str, list[int]] = {}
    for index, grant in enumerate(grants):
        grant_id = grant.get("id")
        if isinstance(grant_id, str) and grant_id.strip():
            by_id.setdefault(grant_id.strip(), []).append(index)
    return by_id


def _stray_columns_problem(
    title: str,
    columns: Sequence[Column | None],
    label: Callable[[int], str],
    grants_sheet: str,
) -> str:
    """The problem with a further sheet's columns that are not items of a list, or ""."""
    stray = [
        index
        for index, column in enumerate(columns)
        if column is not None and column.path != ("id",) and not is_list_item(column)
    ]
    if not stray:
        return ""
    shown = ", ".join(label(index) for index in stray[:5])
    more = f" and {len(stray) - 5} more" if len(stray) > 5 else ""
    return (
        f"sheet '{title}', column{'s' if len(stray) > 1 else ''} {shown}{more}: "
        f"not part of an item of a list. A sheet after the grants sheet "
        f"('{grants_sheet}') may hold only further items of a grant's lists, such as "
        "'Beneficiary Location:Name', one row an item with the grant's Identifier. "
        f"Put the grant's own fields on sheet '{grants_sheet}'"
    )


def _grant_for_row(
    at: str,
    grant_id: Any,
    where: dict[JsonPath, int],
    label: Callable[[int], str],
    by_id: dict[str, list[int]],
    rows: list[int],
    grants_sheet: str,
) -> tuple[int, str]:
    """(the index of the one grant a further row's Identifier names, ""), or (-1, why not)."""
    key = grant_id.strip() if isinstance(grant_id, str) else ""
    if not key:
        return -1, (
            f"{at}: there is no Identifier, so the row cannot be joined to a grant. "
            "Give the Identifier of the grant the row's items belong to"
        )
    at_id = f"{at}, column {label(where[('id',)])}"
    found = by_id.get(key, [])
    if not found:
        return -1, (
            f"{at_id}: {json.dumps(grant_id)} is not the Identifier of any grant on "
            f"sheet '{grants_sheet}', so the row's items belong to no grant. Check "
            "the Identifier, or add the grant"
        )
    if len(found) > 1:
        shown_rows = " and ".join(str(rows[index]) for index in found[:5])
        return -1, (
            f"{at_id}: {json.dumps(grant_id)} is the Identifier of {len(found)} grants "
            f"on sheet '{grants_sheet}' (rows {shown_rows}), so it cannot say which "
            "grant the row's items belong to. Give each grant its own Identifier"
        )
    return found[0], ""


def _add_items(
    grant: dict[str, Any], items: dict[str, Any], row: Cell, cells: dict[JsonPath, Cell]
) -> dict[JsonPath, Cell]:
    """Add one row's items (lists of objects, keyed as in a grant) to the grant's lists; where
    each added value came from, by its path in the grant: its cell, and for an added item the
    row as a whole (a field missing from it has no cell of its own)."""
    moved: dict[JsonPath, JsonPath] = {}  # path in the row's items -> path in the grant
    appended: list[JsonPath] = []
    for key, value in items.items():
        target = grant.setdefault(key, [])
        if not isinstance(target, list) or not isinstance(value, list):
            raise _Disagrees((key,), target, value)
        _merge_list(target, value, (key,), (key,), moved, appended)
    added: dict[JsonPath, Cell] = {path: row for path in appended}
    for path, cell in cells.items():
        added[_moved(path, moved)] = cell
    return added


def _same_item(target: list[Any], item: Any) -> int | None:
    item_id = item.get("id") if isinstance(item, dict) else None
    if not isinstance(item_id, str) or not item_id.strip():
        return None
    for position, existing in enumerate(target):
        if isinstance(existing, dict) and existing.get("id") == item_id:
            return position
    return None


def _merge_list(
    target: list[Any],
    items: list[Any],
    target_path: JsonPath,
    items_path: JsonPath,
    moved: dict[JsonPath, JsonPath],
    appended: list[JsonPath],
) -> None:
    for position, item in enumerate(items):
        same = _same_item(target, item)
        if same is None:
            target.append(item)
            moved[(*items_path, position)] = (*target_path, len(target) - 1)
            appended.append((*target_path, len(target) - 1))
        else:
            at, item_at = (*target_path, same), (*items_path, position)
            moved[item_at] = at
            _merge_object(target[same], item, at, item_at, moved, appended)


def _merge_object(
    target: dict[str, Any],
    item: dict[str, Any],
    target_path: JsonPath,
    item_path: JsonPath,
    moved: dict[JsonPath, JsonPath],
    appended: list[JsonPath],
) -> None:
    for key, value in item.items():
        if key not in target:
            target[key] = value
            continue
        had = target[key]
        if _objects(had) and _objects(value):
            # The item's own list (a recipient's locations): added to as the grant's are.
            _merge_list(had, value, (*target_path, key), (*item_path, key), moved, appended)
        elif isinstance(had, dict) and isinstance(value, dict):
            _merge_object(had, value, (*target_path, key), (*item_path, key), moved, appended)
        elif had != value:
            raise _Disagrees((*item_path, key), had, value)


def _objects(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def _moved(path: JsonPath, moved: dict[JsonPath, JsonPath]) -> JsonPath:
    for length in range(len(path), 0, -1):
        if path[:length] in moved:
            return (*moved[path[:length]], *path[length:])
    return path


def _longest(cells: dict[JsonPath, Cell], path: JsonPath) -> Cell | None:
    """The cell of a path or of the closest field within it (an object's first cell)."""
    for length in range(len(path), 0, -1):
        if path[:length] in cells:
            return cells[path[:length]]
    return next((cell for known, cell in cells.items() if known[: len(path)] == path), None)
