"""Where a catalogue file is on this machine: in the mirror folder, or in the download cache."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from .catalogue import SourceFile, dataset


class SourceFileMissing(Exception):
    pass


def mirror_root() -> Path | None:
    configured = settings.COMMONGROUND_DATA_MIRROR
    return Path(configured) if configured else None


def download_target(dataset_code: str, source_file: SourceFile) -> Path:
    """Where fetch_sources keeps a downloaded file: <download dir>/<dataset>/<file name>."""
    name = Path(source_file.mirror_path).name
    return Path(settings.COMMONGROUND_DOWNLOAD_DIR) / dataset_code / name


def download_path(dataset_code: str, file_key: str) -> Path:
    return download_target(dataset_code, dataset(dataset_code).file(file_key))


def locate(dataset_code: str, file_key: str) -> Path:
    """The local path of one catalogue file, from the mirror when one is configured."""
    source_file = dataset(dataset_code).file(file_key)
    root = mirror_root()
    if root is not None:
        path = root / source_file.mirror_path
        if path.is_file():
            return path
    downloaded = download_path(dataset_code, file_key)
    if downloaded.is_file():
        return downloaded
    where = f"the mirror ({root})" if root else "the download cache"
    raise SourceFileMissing(
        f"{dataset_code}/{file_key} is not in {where}. "
        f"Run `manage.py fetch_sources {dataset_code}` to download it from {source_file.url}."
    )
