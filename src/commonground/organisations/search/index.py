"""The full-text index of organisations, in the database: SQLite FTS5 or PostgreSQL tsvector.

Both are kept up to date by organisation_refresh (no triggers: the service is the one place that
writes organisations). The index tables are created by migration 0002 (ADR 0005).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

FTS_TABLE = "organisations_search"


def refresh_search_index(org_ids: Iterable[int]) -> None:
    ids = list(org_ids)
    if not ids:
        return
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join(["%s"] * len(chunk))
            if connection.vendor == "sqlite":
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", chunk)
                cursor.execute(
                    f"INSERT INTO {FTS_TABLE} (rowid, name, other_names, activities) "
                    "SELECT id, search_name, search_other, activities "
                    f"FROM organisations_organisation WHERE id IN ({marks})",
                    chunk,
                )
            else:
                cursor.execute(
                    "UPDATE organisations_organisation SET search_vector = "
                    "setweight(to_tsvector('simple', search_name), 'A') || "
                    "setweight(to_tsvector('simple', search_other), 'B') || "
                    "setweight(to_tsvector('simple', left(activities, 20000)), 'C') "
                    f"WHERE id IN ({marks})",
                    chunk,
                )


def remove_from_search_index(org_ids: Iterable[int]) -> None:
    ids = list(org_ids)
    if not ids or connection.vendor != "sqlite":
        return  # on PostgreSQL the vector lives on the row and goes with it
    with connection.cursor() as cursor:
        marks = ",".join(["%s"] * len(ids))
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", ids)
