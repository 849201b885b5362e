"""Organisations and identifiers keep one index a looked-up column (ADR 0056): PostgreSQL's
pattern-matching twins, which no query used and every write kept up to date, are gone, while
the exact-match indexes the selectors use stay."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "commonground.organisations.migrations.0012_unused_pattern_indexes_dropped"
)


def single_column_indexes(table: str) -> dict[str, int]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    counts: dict[str, int] = {}
    for constraint in constraints.values():
        columns = constraint["columns"] or []
        if len(columns) == 1 and (constraint["index"] or constraint["unique"]):
            if constraint["primary_key"]:
                continue
            counts[columns[0]] = counts.get(columns[0], 0) + 1
    return counts


@pytest.mark.parametrize("table", sorted(migration.UNUSED))
def test_each_looked_up_column_has_exactly_one_index(table: str) -> None:
    counts = single_column_indexes(table)
    assert {column: counts.get(column, 0) for column in migration.UNUSED[table]} == {
        column: 1 for column in migration.UNUSED[table]
    }
