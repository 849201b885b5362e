"""PostgreSQL COPY for the staged load's inserts (ADR 0046).

A multi-row INSERT of thousands of organisations spends most of its time in the driver, which
parses the statement's placeholders in Python; COPY streams the rows instead. The new
organisations' ids are taken from their sequence first, so the rows that refer to them
(identifiers, source records, names) are written in the same way. An organisation's search
vector is made as it is inserted, from a temporary table of the copied rows, by the expression
`search.index.refresh_search_index` uses (POSTGRES_SEARCH_VECTOR_SQL), instead of by writing
every new row a second time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.utils import timezone

from commonground.core.bulk_insert import insert_rows

from .search.index import POSTGRES_SEARCH_VECTOR_SQL

ORGANISATIONS = "organisations_organisation"


def supported() -> bool:
    return connection.vendor == "postgresql"


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    insert_rows(table, columns, rows)  # by COPY: this module runs on PostgreSQL only


def insert_organisations(columns: Sequence[str], rows: list[tuple[Any, ...]]) -> list[int]:
    """Insert organisation rows (values for `columns`) with their search vectors; returns
    their new ids, in order."""
    if not rows:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [ORGANISATIONS, len(rows)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        # Empty: each batch empties it after use, inside the same transaction (ON COMMIT DROP),
        # so a batch rolled back leaves it as it was.
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS staged_organisations "
            f"(LIKE {ORGANISATIONS}) ON COMMIT DROP"
        )
    names = ["id", *columns, "updated_at"]
    now = timezone.now()
    copy_rows(
        "staged_organisations",
        names,
        ((pk, *row, now) for pk, row in zip(ids, rows, strict=True)),
    )
    listed = ", ".join(names)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ORGANISATIONS} ({listed}, search_vector) "
            f"SELECT {', '.join(f'o.{n}' for n in names)}, {POSTGRES_SEARCH_VECTOR_SQL} "
            "FROM staged_organisations o ORDER BY o.id"
        )
        cursor.execute("TRUNCATE staged_organisations")
    return ids
