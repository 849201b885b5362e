"""Reads for the Data sources pages: the catalogue, what was fetched, and the import history.

Every read of import runs here goes through ImportRun.objects.visible_to(user): a person's
upload is private to them and platform administrators (ADR 0062)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.db.models import Max, QuerySet

from commonground.imports.models import ImportRun, RejectedRow

from .catalogue import DATASETS, Dataset, SourceFile
from .models import FetchedFile


@dataclass(frozen=True)
class FileStatus:
    source_file: SourceFile
    fetched: FetchedFile | None


@dataclass(frozen=True)
class DatasetStatus:
    dataset: Dataset
    files: list[FileStatus]
    # The latest import of each file the dataset was loaded from, newest first.
    latest_runs: list[ImportRun]


def catalogue_status(user: Any) -> list[DatasetStatus]:
    """Every catalogue dataset with its fetched files and the latest import of each source file
    that `user` may see."""
    fetched = {(f.dataset, f.file_key): f for f in FetchedFile.objects.all()}
    latest_ids = (
        ImportRun.objects.visible_to(user)
        .filter(dataset__in=[d.code for d in DATASETS])
        .values("dataset", "source")
        .annotate(latest=Max("pk"))
        .values_list("latest", flat=True)
    )
    runs_by_dataset: dict[str, list[ImportRun]] = {}
    for run in ImportRun.objects.filter(pk__in=list(latest_ids)).order_by("-started_at", "-pk"):
        runs_by_dataset.setdefault(run.dataset, []).append(run)
    return [
        DatasetStatus(
            dataset=d,
            files=[FileStatus(f, fetched.get((d.code, f.key))) for f in d.files],
            latest_runs=_one_per_file_name(runs_by_dataset.get(d.code, [])),
        )
        for d in DATASETS
    ]


def _one_per_file_name(runs: list[ImportRun]) -> list[ImportRun]:
    # The same file may have been read from the mirror and from the download cache.
    seen: set[str] = set()
    kept = []
    for run in runs:
        name = PurePath(run.source).name
        if name not in seen:
            seen.add(name)
            kept.append(run)
    return kept


def dataset_runs(code: str, user: Any) -> QuerySet[ImportRun]:
    return ImportRun.objects.visible_to(user).filter(dataset=code).order_by("-started_at", "-pk")


def import_run(pk: int, user: Any) -> ImportRun | None:
    """The run, or None if there is none or `user` may not see it (the two look the same)."""
    return ImportRun.objects.visible_to(user).filter(pk=pk).first()


def rejected_rows(run: ImportRun) -> QuerySet[RejectedRow]:
    return run.rejected_rows.order_by("row_number", "pk")
