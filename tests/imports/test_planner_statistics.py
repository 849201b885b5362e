"""After a large import, PostgreSQL plans the next query with statistics that know the new rows
(ADR 0044): the import analyses the tables it wrote."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from commonground.core import planner_statistics
from commonground.imports.engine import ImportContext, Importer, LoadCounts, run_import
from commonground.imports.models import ImportStatus
from commonground.imports.readers import Row, read_delimited
from commonground.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db


class Wards(Importer[tuple[str, str]]):
    """Loads wards (code, name) into the places table."""

    dataset = "test_wards"

    def rows(self, path: Path, context: ImportContext) -> Iterator[Row]:
        return read_delimited(path, required_columns=("code", "name"))

    def parse(self, row: Row) -> tuple[str, str]:
        return row.data["code"], row.data["name"]

    def record_key(self, record: tuple[str, str]) -> str:
        return record[0]

    def load(self, records: list[tuple[str, str]], context: ImportContext) -> LoadCounts:
        Place.objects.bulk_create(
            Place(gss_code=code, name=name, kind=PlaceKind.WARD) for code, name in records
        )
        return LoadCounts(loaded=len(records))


def _wards_file(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "wards.csv"
    lines = "".join(f"E{n:08d},Ward {n}\n" for n in range(count))
    path.write_text("code,name\n" + lines, encoding="utf-8")
    return path


def _planned_rows() -> float:
    """The number of rows the planner believes the places table holds (-1: never analysed)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'places_place'")
        return float(cursor.fetchone()[0])


def _sqlite_statistics_of_places() -> list[str]:
    """SQLite's gathered statistics for the places table's indexes ([] before any ANALYZE)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return []
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'places_place'")
        return [row[0] for row in cursor.fetchall()]


def test_after_a_large_import_the_planner_knows_how_many_rows_the_table_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The planner is told the new rows after the import: PostgreSQL analyses the tables it
    wrote, SQLite (which cannot say which tables those were) samples the whole database."""
    monkeypatch.setattr(planner_statistics, "MIN_ROWS_CHANGED", 50)
    if connection.vendor != "postgresql":
        run = run_import(Wards(), _wards_file(tmp_path, 120))
        assert run.status == ImportStatus.SUCCEEDED
        statistics = _sqlite_statistics_of_places()
        assert statistics, "no statistics gathered for the places table"
        # Each index's first figure is the rows it holds: the 120 wards at least.
        assert max(int(stat.split()[0]) for stat in statistics) >= 120
        return
    Place.objects.create(gss_code="E99999999", name="Before", kind=PlaceKind.WARD)
    planner_statistics.analyse(["public.places_place"])
    before = _planned_rows()

    run = run_import(Wards(), _wards_file(tmp_path, 120))

    assert run.status == ImportStatus.SUCCEEDED
    assert _planned_rows() == Place.objects.count() == before + 120


def test_a_small_import_leaves_the_planner_statistics_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Below MIN_ROWS_CHANGED records nothing is analysed: a few rows do not change the plans."""
    monkeypatch.setattr(planner_statistics, "MIN_ROWS_CHANGED", 50)
    if connection.vendor == "sqlite":  # PostgreSQL counts each table's rows itself
        assert planner_statistics.tables_written(records_changed=49) == []
        assert planner_statistics.tables_written(records_changed=50) == [
            planner_statistics.WHOLE_DATABASE
        ]
    before = _sqlite_statistics_of_places() if connection.vendor == "sqlite" else []
    run = run_import(Wards(), _wards_file(tmp_path, 30))
    assert run.status == ImportStatus.SUCCEEDED
    if connection.vendor == "sqlite":
        assert _sqlite_statistics_of_places() == before


def _all_visible_pages() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relallvisible FROM pg_class WHERE relname = 'places_place'")
        return int(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_an_import_run_outside_a_transaction_leaves_its_tables_readable_from_indexes_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run as a command (no transaction open), the import vacuums the tables it wrote, so
    PostgreSQL marks their pages all-visible and can answer from a covering index alone (ADR
    0049). SQLite has no such map: the same import succeeds, and is analysed by sampling."""
    monkeypatch.setattr(planner_statistics, "MIN_ROWS_CHANGED", 50)
    assert not connection.in_atomic_block

    run = run_import(Wards(), _wards_file(tmp_path, 400))

    assert run.status == ImportStatus.SUCCEEDED
    if connection.vendor == "postgresql":
        assert _all_visible_pages() > 0
    else:
        assert Place.objects.filter(kind=PlaceKind.WARD).count() >= 400
        assert _sqlite_statistics_of_places()
