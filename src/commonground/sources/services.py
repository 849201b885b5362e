"""Writes for the data-source catalogue: what was fetched, from where, with which checksum."""

from __future__ import annotations

from pathlib import Path

from .models import FetchedFile


def fetched_file_record(
    dataset_code: str, file_key: str, origin: str, path: Path, sha256: str, size_bytes: int
) -> FetchedFile:
    fetched, _ = FetchedFile.objects.update_or_create(
        dataset=dataset_code,
        file_key=file_key,
        defaults={
            "origin": origin[:1000],
            "path": str(path)[:1000],
            "sha256": sha256,
            "size_bytes": size_bytes,
        },
    )
    return fetched
