"""Bulk loading helpers: indexes deferred over a load come back as they were, whether the load
succeeds or fails, and a file's size gives about how many lines it holds."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction

from commonground.imports.bulk import DeferredIndexes
from commonground.imports.models import ImportRun, RejectedRow
from commonground.imports.readers import estimate_rows

pytestmark = pytest.mark.django_db


def _indexes() -> dict[str, Any]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, RejectedRow._meta.db_table)
    return {name: facts["columns"] for name, facts in constraints.items() if facts["index"]}


def _load(count: int) -> None:
    run = ImportRun.objects.create(dataset="d", importer="i", source="s")
    RejectedRow.objects.bulk_create(
        RejectedRow(run=run, file_name="f", row_number=n, reason="r") for n in range(count)
    )


def _cache_size() -> int | None:
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return int(cursor.fetchone()[0])


def test_deferred_indexes_are_built_again_as_they_were_after_the_load() -> None:
    before, cache_size = _indexes(), _cache_size()
    assert before  # the run's foreign key is indexed
    deferred = DeferredIndexes(RejectedRow)
    with transaction.atomic():
        deferred.drop()
        if DeferredIndexes.supported():  # SQLite: the load runs without them
            assert not _indexes()
        _load(100)
        deferred.restore()
    deferred.release()

    assert _indexes() == before
    assert _cache_size() == cache_size
    assert RejectedRow.objects.filter(run__dataset="d").count() == 100


def test_a_failed_load_leaves_the_rows_the_indexes_and_the_connection_as_they_were() -> None:
    before, cache_size = _indexes(), _cache_size()
    deferred = DeferredIndexes(RejectedRow)
    with pytest.raises(RuntimeError), transaction.atomic():
        deferred.drop()
        _load(100)
        raise RuntimeError("the file was cut short")
    deferred.release()

    assert _indexes() == before
    assert _cache_size() == cache_size
    assert not RejectedRow.objects.exists()


def test_indexes_on_the_columns_a_load_looks_up_by_are_kept() -> None:
    before = _indexes()
    kept = DeferredIndexes(RejectedRow, keep_columns=("run_id",))
    dropped = DeferredIndexes(RejectedRow)
    with transaction.atomic():
        kept.drop()
        assert _indexes() == before
        dropped.drop()
        assert _indexes() == ({} if DeferredIndexes.supported() else before)
        transaction.set_rollback(True)
    dropped.release()
    kept.release()


def test_the_lines_of_a_file_or_a_zip_member_are_estimated_from_its_size(
    shared_data: Path, tmp_path: Path
) -> None:
    path = shared_data / "spend/trafford-supplier-spend-2026-27.zip"
    with zipfile.ZipFile(path) as archive:
        text = archive.read(archive.namelist()[0])
    lines = text.count(b"\n")
    (tmp_path / "spend.csv").write_bytes(text)
    (tmp_path / "small.csv").write_bytes(b"a,b\n1,2\n3,4\n")

    for estimate in (estimate_rows(path, ".csv"), estimate_rows(tmp_path / "spend.csv")):
        assert estimate is not None and abs(estimate - lines) < lines * 0.1
    assert estimate_rows(tmp_path / "small.csv") == 3  # read whole: counted exactly
    assert estimate_rows(tmp_path / "spend.csv", ".csv") is None  # not a zip: no estimate
