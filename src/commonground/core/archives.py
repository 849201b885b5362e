"""The one check every zip archive passes before anything parses it.

Word documents, Excel workbooks, OpenDocument files and the registers' downloads are zip
archives. A small archive can unpack to gigabytes (a "zip bomb"): a 126 KB .docx that unpacked
to 94 MB was once accepted and parsed (issue 20). `check_archive` reads only the archive's
central directory (and the first bytes of each entry, to find archives inside it) and refuses
it, naming the file and the reason, when:

- the files inside add up to more than the limit (100 MB for uploads; each catalogue dataset
  declares its own, so Companies House's and the postcode files still load);
- they would unpack to more than 100 times the archive's size (a real document or register is
  nowhere near: text and XML compress about 5 to 20 times);
- it holds more entries than allowed; or
- it holds archives inside archives deeper than allowed.

Why the declared sizes can be trusted: Python's zipfile, which python-docx, openpyxl and our
readers all use, never returns more bytes of an entry than its declared size, and fails the
entry's CRC check if the data goes on (tests/core/test_archives.py shows this with an archive
that lies about its sizes). So an archive that passes cannot make a reader use more.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import IO

MB = 1024 * 1024
# Below this much unpacked data the ratio is not checked: a small archive of repetitive text
# can compress more than 100:1 and harms nobody.
RATIO_FLOOR_BYTES = 1 * MB
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class ArchiveLimits:
    max_bytes: int = 100 * MB  # everything inside, unpacked, archives within archives included
    max_ratio: int = 100  # unpacked size : archive size
    max_entries: int = 10_000
    max_depth: int = 1  # an archive may hold archives (a .docx embeds a .xlsx) but no deeper

    def describe(self) -> str:
        return (
            f"at most {self.max_bytes / MB:,.0f} MB unpacked, {self.max_ratio}:1, "
            f"{self.max_entries:,} files, {self.max_depth} level(s) of archives within archives"
        )


UPLOAD_LIMITS = ArchiveLimits()


class ArchiveRejected(ValueError):
    """An archive refused before it was unpacked, with the file's name and why."""

    def __init__(self, file_name: str, reason: str) -> None:
        self.file_name = file_name
        self.reason = reason
        super().__init__(f"{file_name}: {reason}")


@dataclass
class ArchiveSummary:
    entries: int = 0
    unpacked_bytes: int = 0
    nested: int = 0


def is_zip(source: Path | IO[bytes]) -> bool:
    """A zip archive by its first bytes, as every publisher's and office program's zip starts."""
    if isinstance(source, Path):
        with open(source, "rb") as handle:
            return handle.read(len(ZIP_MAGIC)) == ZIP_MAGIC
    position = source.tell()
    try:
        source.seek(0)
        return source.read(len(ZIP_MAGIC)) == ZIP_MAGIC
    finally:
        source.seek(position)


def check_archive(
    source: Path | IO[bytes], file_name: str, limits: ArchiveLimits = UPLOAD_LIMITS
) -> ArchiveSummary | None:
    """Raise ArchiveRejected if a zip archive breaks `limits`; None if `source` is no zip, or a
    zip too damaged to list (its reader then says what is wrong, in its own words).

    `source` is a path or a seekable binary file (an upload); a file's position is restored."""
    if not is_zip(source):
        return None
    position = None if isinstance(source, Path) else source.tell()
    size = source.stat().st_size if isinstance(source, Path) else _length(source)
    summary = ArchiveSummary()
    try:
        with zipfile.ZipFile(source) as archive:
            _check(archive, size, file_name, limits, 0, summary)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, zlib.error):
        return None  # a damaged archive cannot be unpacked at all: its reader refuses it
    finally:
        if position is not None and not isinstance(source, Path):
            source.seek(position)
    return summary


def _length(handle: IO[bytes]) -> int:
    handle.seek(0, 2)
    return handle.tell()


def _check(
    archive: zipfile.ZipFile,
    archive_bytes: int,
    file_name: str,
    limits: ArchiveLimits,
    depth: int,
    summary: ArchiveSummary,
) -> None:
    entries = archive.infolist()
    summary.entries += len(entries)
    if summary.entries > limits.max_entries:
        raise ArchiveRejected(
            file_name,
            f"it holds {summary.entries:,} files, more than the {limits.max_entries:,} allowed",
        )
    unpacked = sum(info.file_size for info in entries)
    summary.unpacked_bytes += unpacked
    if summary.unpacked_bytes > limits.max_bytes:
        raise ArchiveRejected(
            file_name,
            f"it would unpack to {summary.unpacked_bytes / MB:,.1f} MB, more than the "
            f"{limits.max_bytes / MB:,.0f} MB allowed",
        )
    if unpacked > RATIO_FLOOR_BYTES and unpacked > limits.max_ratio * max(archive_bytes, 1):
        raise ArchiveRejected(
            file_name,
            f"it would unpack to {unpacked / max(archive_bytes, 1):,.0f} times its size "
            f"({unpacked / MB:,.1f} MB from {archive_bytes / MB:,.2f} MB), more than the "
            f"{limits.max_ratio}:1 allowed; a real document is nowhere near",
        )
    for info in entries:
        if info.is_dir() or info.file_size < len(ZIP_MAGIC):
            continue
        if info.flag_bits & 0x1:
            raise ArchiveRejected(file_name, f"{info.filename} inside it is encrypted")
        try:
            with archive.open(info) as member:
                if member.read(len(ZIP_MAGIC)) != ZIP_MAGIC:
                    continue
        except (zipfile.BadZipFile, EOFError, zlib.error):
            continue  # a damaged entry cannot be unpacked; the reader will say so
        summary.nested += 1
        inner = f"{file_name}:{PurePath(info.filename).name}"
        if depth + 1 > limits.max_depth:
            raise ArchiveRejected(
                file_name,
                f"{info.filename} inside it is itself an archive, nested deeper than the "
                f"{limits.max_depth} level(s) allowed",
            )
        try:
            with archive.open(info) as member, zipfile.ZipFile(member) as nested:
                _check(nested, info.file_size, inner, limits, depth + 1, summary)
        except (zipfile.BadZipFile, EOFError, zlib.error):
            continue  # not a readable archive after all: nothing in it can be unpacked


# Each catalogue dataset declares its own limits (sources/catalogue.py); the catalogue hands
# them here when the sources app is ready, so the import engine (which sits below the catalogue)
# can look them up by dataset code without importing it.
_DATASET_LIMITS: dict[str, ArchiveLimits] = {}


def declare_dataset_limits(limits: dict[str, ArchiveLimits]) -> None:
    _DATASET_LIMITS.update(limits)


def dataset_limits(code: str) -> ArchiveLimits:
    """The limits a dataset declared; an uploaded file's dataset (not in the catalogue) gets
    the upload limits."""
    return _DATASET_LIMITS.get(code, UPLOAD_LIMITS)
