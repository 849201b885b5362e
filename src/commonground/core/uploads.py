"""Uploaded files: the one way to accept, store and serve them.

- `check_upload` refuses a file that is too large, empty, or whose content is not one of the
  kinds allowed (judged by its bytes, not its name or the browser's content type), and a zip
  archive (.docx, .xlsx, .odt) that would unpack beyond `core.archives.UPLOAD_LIMITS`.
- `private_storage` (with `UploadTo`) keeps files under settings.UPLOADS_ROOT, outside the web
  and static roots, under random names, so nothing uploaded is ever reachable by URL.
- `serve_upload` sends a stored file as a download with headers that stop a browser from
  running or sniffing it. Call it only after the permission rule for the owning object.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils.deconstruct import deconstructible

from .archives import UPLOAD_LIMITS, ArchiveRejected, check_archive


class UploadRejected(ValueError):
    """A clear, user-facing reason an upload was refused."""


@dataclass(frozen=True)
class UploadKind:
    code: str  # "pdf", "docx", "xlsx", "csv", "txt", "png", "jpeg", "odt"
    label: str
    extensions: tuple[str, ...]
    content_type: str


KINDS: dict[str, UploadKind] = {
    k.code: k
    for k in (
        UploadKind("pdf", "PDF", (".pdf",), "application/pdf"),
        UploadKind(
            "docx",
            "Word document",
            (".docx",),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        UploadKind(
            "xlsx",
            "Excel spreadsheet",
            (".xlsx",),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        UploadKind(
            "odt", "OpenDocument text", (".odt",), "application/vnd.oasis.opendocument.text"
        ),
        UploadKind("csv", "CSV", (".csv",), "text/csv"),
        UploadKind("txt", "plain text", (".txt",), "text/plain"),
        UploadKind("png", "PNG image", (".png",), "image/png"),
        UploadKind("jpeg", "JPEG image", (".jpg", ".jpeg"), "image/jpeg"),
    )
}

DOCUMENT_KINDS = ("pdf", "docx", "xlsx", "odt", "csv", "txt", "png", "jpeg")


def _zip_members(head: IO[bytes]) -> set[str]:
    try:
        with zipfile.ZipFile(head) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, EOFError):
        return set()


def _is_text(sample: bytes) -> bool:
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        # A sample cut through a multi-byte character is still text.
        if error.start < len(sample) - 3:
            try:
                sample.decode("cp1252")
            except UnicodeDecodeError:
                return False
    return True


def sniff(file: IO[bytes]) -> str | None:
    """The kind of a file judged by its content, or None."""
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        members = _zip_members(file)
        file.seek(0)
        if "word/document.xml" in members:
            return "docx"
        if "xl/workbook.xml" in members:
            return "xlsx"
        if "content.xml" in members and "mimetype" in members:
            return "odt"
        return None
    if head and _is_text(head):
        return "text"
    return None


def check_upload(
    upload: Any, allowed: tuple[str, ...] = DOCUMENT_KINDS, max_bytes: int | None = None
) -> UploadKind:
    """The kind of an uploaded file if it is allowed, else UploadRejected saying why.

    `upload` is a Django UploadedFile (or anything with .name, .size and a binary file API)."""
    limit = max_bytes or settings.UPLOAD_MAX_BYTES
    name = PurePath(getattr(upload, "name", "") or "upload").name
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    if size == 0:
        raise UploadRejected(f"The selected file {name} is empty.")
    if size > limit:
        raise UploadRejected(
            f"The selected file {name} must be smaller than {limit // (1024 * 1024)} MB "
            f"(it is {size / (1024 * 1024):.1f} MB)."
        )
    allowed_labels = ", ".join(KINDS[k].label for k in allowed)
    suffix = PurePath(name).suffix.lower()
    claimed = next((k for k in allowed if suffix in KINDS[k].extensions), None)
    if claimed is None:
        raise UploadRejected(f"The selected file {name} must be a {allowed_labels}.")
    try:
        # Before anything reads inside it: sniffing lists its files, the readers parse them.
        check_archive(upload, name, UPLOAD_LIMITS)
    except ArchiveRejected as error:
        raise UploadRejected(f"The selected file {name} was refused: {error.reason}.") from error
    found = sniff(upload)
    if found == "text" and claimed in ("csv", "txt"):
        found = claimed
    if found != claimed:
        raise UploadRejected(
            f"The selected file {name} is named as a {KINDS[claimed].label} but its content is "
            f"not; it must be a {allowed_labels}."
        )
    return KINDS[claimed]


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under UPLOADS_ROOT, with no public URL."""

    def __init__(self) -> None:
        super().__init__(location=settings.UPLOADS_ROOT, base_url=None)

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Uploaded files are served only through serve_upload.")


def private_storage() -> PrivateStorage:
    """For `FileField(storage=private_storage, upload_to=UploadTo("..."))`: a callable, so
    migrations record the reference and tests can move UPLOADS_ROOT."""
    return PrivateStorage()


@deconstructible
class UploadTo:
    """An `upload_to` for a FileField: a random name under `prefix/`, keeping the extension, so
    an uploaded name can never choose or overwrite a path. Use as `upload_to=UploadTo("docs")`."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __call__(self, instance: Any, filename: str) -> str:
        return f"{self.prefix}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadTo) and other.prefix == self.prefix

    def __hash__(self) -> int:
        return hash(self.prefix)


def serve_upload(stored: Any, download_name: str, kind_code: str) -> FileResponse:
    """A stored file (a FieldFile) as an attachment that browsers will not render or sniff."""
    kind = KINDS[kind_code]
    response = FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=PurePath(download_name).name,
        content_type=kind.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
