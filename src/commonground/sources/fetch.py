"""Getting the catalogue's files onto this machine: from the mirror folder, or downloaded.

A download goes to a `.part` file beside its destination and is resumed from where it stopped
(HTTP Range) when run again; only a complete file whose checksum is right (when the catalogue
knows it) is moved into place. Every file got, either way, is recorded with its sha256 and size.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tqdm import tqdm

from commonground.imports.engine import file_checksum

from .catalogue import Dataset, SourceFile
from .locate import download_target, mirror_root
from .models import FetchedFile
from .services import fetched_file_record

CHUNK = 1 << 16
TIMEOUT_SECONDS = 60
USER_AGENT = "CommonGround-fetch/0.1 (+open data)"


class FetchError(Exception):
    """A file could not be got; the message says which, from where, and why."""


class NotInMirror(FetchError):
    pass


class DownloadInterrupted(FetchError):
    pass


class ChecksumMismatch(FetchError):
    pass


@dataclass(frozen=True)
class FetchResult:
    dataset: str
    file_key: str
    origin: str
    path: Path
    sha256: str
    size_bytes: int
    how: str  # "mirror", "downloaded", "resumed" or "already here"


def fetch_file(
    dataset: Dataset,
    source_file: SourceFile,
    *,
    progress: IO[str] | None = None,
    force: bool = False,
) -> FetchResult:
    """Get one file: from the mirror when one is configured (never the network), else download."""
    root = mirror_root()
    if root is not None:
        return _from_mirror(dataset, source_file, root)
    return _download(dataset, source_file, progress=progress, force=force)


def _record(
    dataset: Dataset, source_file: SourceFile, origin: str, path: Path, how: str
) -> FetchResult:
    sha256, size = file_checksum(path)
    fetched_file_record(dataset.code, source_file.key, origin, path, sha256, size)
    return FetchResult(dataset.code, source_file.key, origin, path, sha256, size, how)


def _from_mirror(dataset: Dataset, source_file: SourceFile, root: Path) -> FetchResult:
    path = root / source_file.mirror_path
    if not path.is_file():
        raise NotInMirror(
            f"{dataset.code}/{source_file.key}: not in the mirror (looked for {path}); "
            f"the publisher's address is {source_file.url}"
        )
    return _record(dataset, source_file, str(path), path, "mirror")


def _download(
    dataset: Dataset, source_file: SourceFile, *, progress: IO[str] | None, force: bool
) -> FetchResult:
    target = download_target(dataset.code, source_file)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_file() and not force and _already_here(dataset, source_file, target):
        return _record(dataset, source_file, source_file.url, target, "already here")
    part = target.with_name(target.name + ".part")
    resumed = _transfer(source_file, part, progress)
    sha256, size = file_checksum(part)
    if source_file.size_bytes is not None and size != source_file.size_bytes:
        part.unlink()
        raise ChecksumMismatch(
            f"{source_file.url}: got {size} bytes, the catalogue expects "
            f"{source_file.size_bytes}; the download was discarded"
        )
    if source_file.sha256 and sha256 != source_file.sha256.lower():
        part.unlink()
        raise ChecksumMismatch(
            f"{source_file.url}: the file's sha256 is {sha256}, the catalogue expects "
            f"{source_file.sha256}; the download was discarded"
        )
    part.replace(target)
    return _record(
        dataset, source_file, source_file.url, target, "resumed" if resumed else "downloaded"
    )


def _already_here(dataset: Dataset, source_file: SourceFile, target: Path) -> bool:
    """A complete earlier download: its checksum matches the catalogue or our own record of it."""
    sha256, size = file_checksum(target)
    if source_file.sha256:
        return sha256 == source_file.sha256.lower()
    return FetchedFile.objects.filter(
        dataset=dataset.code, file_key=source_file.key, sha256=sha256, size_bytes=size
    ).exists()


def _open(url: str, offset: int) -> http.client.HTTPResponse:
    headers = {"User-Agent": USER_AGENT}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - catalogue addresses
    return urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS)  # noqa: S310


def _transfer(source_file: SourceFile, part: Path, progress: IO[str] | None) -> bool:
    """Write the file to `part`, continuing a partial one. True when it resumed."""
    url = source_file.url
    if not url.startswith(("https://", "http://")):
        raise FetchError(f"{url}: only http and https addresses can be downloaded")
    offset = part.stat().st_size if part.is_file() else 0
    try:
        response = _open(url, offset)
    except urllib.error.HTTPError as error:
        if error.code == 416 and offset:
            # The partial file is no prefix of what the server has now: start again.
            part.unlink()
            return _transfer(source_file, part, progress)
        raise FetchError(f"{url}: the server answered {error.code} {error.reason}") from error
    except (urllib.error.URLError, OSError) as error:
        raise FetchError(f"{url}: could not connect ({error})") from error
    with response:
        resumed = offset > 0 and response.status == 206 and _range_start(response) == offset
        if not resumed:
            offset = 0  # the server sent the whole file
        length = response.headers.get("Content-Length")
        total = offset + int(length) if length and length.isdigit() else None
        received = offset
        with (
            open(part, "ab" if resumed else "wb") as out,
            tqdm(
                total=total,
                initial=offset,
                unit="B",
                unit_scale=True,
                unit_divisor=1024,
                desc=Path(source_file.mirror_path).name,
                file=progress,
                disable=progress is None,
                leave=True,
            ) as bar,
        ):
            try:
                while chunk := response.read(CHUNK):
                    out.write(chunk)
                    received += len(chunk)
                    bar.update(len(chunk))
            except (http.client.HTTPException, OSError) as error:
                raise DownloadInterrupted(_interrupted(url, part, received, total)) from error
    if total is not None and received < total:
        raise DownloadInterrupted(_interrupted(url, part, received, total))
    return resumed


def _range_start(response: http.client.HTTPResponse) -> int | None:
    # "Content-Range: bytes 100-999/1000"
    value = response.headers.get("Content-Range", "")
    try:
        return int(value.split()[1].split("-")[0])
    except (IndexError, ValueError):
        return None


def _interrupted(url: str, part: Path, received: int, total: int | None) -> str:
    of = f" of {total}" if total is not None else ""
    return (
        f"{url}: the transfer stopped after {received}{of} bytes; the part is kept at {part} "
        "and the next fetch resumes from there"
    )


def fetch_dataset(
    dataset: Dataset, *, progress: IO[str] | None = None, force: bool = False
) -> tuple[list[FetchResult], list[FetchError]]:
    """Every file of a dataset; one file's failure does not stop the others."""
    results: list[FetchResult] = []
    errors: list[FetchError] = []
    for source_file in dataset.files:
        try:
            results.append(fetch_file(dataset, source_file, progress=progress, force=force))
        except FetchError as error:
            errors.append(error)
    return results, errors
