"""Rows inserted in bulk the way each database takes them fastest.

PostgreSQL takes them by COPY: the driver streams the rows instead of parsing a statement's
placeholders in Python (ADR 0046). SQLite takes one executemany of a prepared INSERT, inside
the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert `rows` (values in the order of `columns`) into `table`; names as SQL wants them."""
    listed = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({listed}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({listed}) VALUES ({marks})", list(rows))
