"""Reading the rows that match a list of values, the way each database does it best.

PostgreSQL plans a list of hundreds of placeholders (`IN (%s, %s, ...)`) at a cost greater than
running it: it takes the whole list as one array instead (`= ANY(%s)`). SQLite takes IN lists,
in chunks below its limit on parameters.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection

SQLITE_CHUNK = 900


def select_in(sql: str, values: list[Any], before: list[Any] | None = None) -> list[Any]:
    """The rows of `sql`, each `{IN}` in which tests a column against `values` (after the
    parameters `before`)."""
    if not values:
        return []
    times = sql.count("{IN}")
    if connection.vendor == "postgresql":
        array: Any = values
        test = "= ANY(%s)"
        if all(isinstance(value, str) for value in values):
            # A text array written out here costs a third of the driver's list adapter.
            array, test = text_array(values), "= ANY(%s::text[])"
        return _select(sql.replace("{IN}", test), [*(before or []), *[array] * times])
    rows: list[Any] = []
    for chunk in chunks(values, SQLITE_CHUNK):
        marks = "IN (" + ", ".join(["%s"] * len(chunk)) + ")"
        rows += _select(sql.replace("{IN}", marks), [*(before or []), *chunk * times])
    return rows


def text_array(values: Iterable[str]) -> str:
    """PostgreSQL's literal of a text array holding exactly these strings."""
    quoted = ('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return "{" + ",".join(quoted) + "}"


def chunks(values: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _select(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
