"""Streaming readers for delimited text, optionally inside a zip archive.

They detect the encoding from the declared candidates, strip a byte-order mark, refuse
binary or truncated files with a message naming the file and line, and yield each row as a
dict keyed by the (whitespace-trimmed) header.
"""

from __future__ import annotations

import csv
import io
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from commonground.core.archives import ArchiveLimits, ArchiveRejected, check_archive

from .errors import FileRejected

SNIFF_BYTES = 1 << 20
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass
class Row:
    file_name: str
    number: int  # 1-based physical row number in the file; the header is row 1
    data: dict[str, str]
    raw: list[str]
    error: str = ""  # why the row cannot be read at all (e.g. wrong number of fields)
    # A record the reader already made from the row by set-based means (its importer's parse
    # hands it on); `data` is then left empty and `raw` holds the line as read.
    prepared: Any = None


def _looks_utf16(sample: bytes) -> bool:
    """UTF-16 text without a byte-order mark: ASCII characters with a NUL byte beside each
    (NULs on one side only: a binary file has them on both)."""
    head = sample[:4096]
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    even_nuls, odd_nuls = even.count(0) / len(even), odd.count(0) / len(odd)
    return (odd_nuls > 0.8 and even_nuls < 0.1) or (even_nuls > 0.8 and odd_nuls < 0.1)


class _CarriageReturnLines(io.RawIOBase):
    """A file whose lines end with a carriage return alone (as the classic Mac and Excel's
    'CSV (Macintosh)' write them), read line by line at each carriage return."""

    def __init__(self, binary: IO[bytes]) -> None:
        self._binary = binary

    def readable(self) -> bool:
        return True

    def __iter__(self) -> Iterator[bytes]:  # type: ignore[override]
        pending = b""
        for chunk in iter(lambda: self._binary.read(1 << 16), b""):
            *lines, pending = (pending + chunk).split(b"\r")
            for line in lines:
                yield line + b"\r"
        if pending:
            yield pending


def choose_encoding(sample: bytes, candidates: tuple[str, ...], file_name: str) -> str:
    """The first candidate that decodes the sample; a BOM means UTF-8 whatever is declared."""
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(sample):
        raise FileRejected(
            file_name,
            "the text is UTF-16 (as Excel's 'Unicode Text' saves it), which is not read: save "
            "the file as 'CSV UTF-8 (comma delimited)'",
        )
    if b"\x00" in sample:
        raise FileRejected(file_name, "this is a binary file, not delimited text")
    last_error: UnicodeDecodeError | None = None
    for encoding in candidates:
        try:
            # A multi-byte character may be cut at the end of the sample: ignore only that.
            sample.decode(encoding) if len(sample) < SNIFF_BYTES else sample[:-4].decode(encoding)
            return encoding
        except UnicodeDecodeError as error:
            last_error = error
    assert last_error is not None
    line = sample[: last_error.start].count(b"\n") + 1
    raise FileRejected(
        file_name,
        f"the text is not in an expected encoding ({', '.join(candidates)}): "
        f"byte 0x{sample[last_error.start]:02x} on line {line} cannot be decoded",
        row=line,
    )


def _decoded_lines(
    binary: IO[bytes], encoding: str, file_name: str, first: int = 1, unquoted: bool = False
) -> Iterator[str]:
    """Decode line by line so that an error later in the file still names its line (the
    first line read being line `first`). In an unquoted file (each line a record) a carriage
    return inside a line is a stray in the text, read as a space rather than as a line end."""
    for number, line in enumerate(binary, start=first):
        try:
            text = line.decode(encoding)
        except UnicodeDecodeError as error:
            raise FileRejected(
                file_name,
                f"byte 0x{line[error.start]:02x} cannot be decoded as {encoding}",
                row=number,
            ) from error
        if number == 1 and text.startswith("\ufeff"):
            text = text[1:]
        if unquoted and "\r" in text.rstrip("\r\n"):
            body = text.rstrip("\r\n")
            text = body.replace("\r", " ") + text[len(body) :]
        yield text


def archive_members(archive: zipfile.ZipFile, member_suffix: str) -> list[str]:
    """The members whose names end with member_suffix, in the archive's order; the copies
    macOS adds beside each file (`__MACOSX/`, `._name`) and folders are not files to read."""
    suffix = member_suffix.lower()
    return [
        name
        for name in archive.namelist()
        if name.lower().endswith(suffix)
        and not name.endswith("/")
        and not name.startswith("__MACOSX/")
        and not name.rsplit("/", 1)[-1].startswith(".")
    ]


@contextmanager
def open_member(
    path: Path,
    member_suffix: str | None,
    archive_limits: ArchiveLimits | None = None,
    member: str | None = None,
) -> Iterator[tuple[IO[bytes], str]]:
    """Open a plain file, or the member of a zip archive whose name ends with member_suffix
    (the first, or the one named `member`).

    The import engine checks the file it was given against its dataset's archive limits; an
    importer that opens further archives beside it passes their limits here."""
    if archive_limits is not None:
        try:
            check_archive(path, path.name, archive_limits)
        except ArchiveRejected as error:
            raise FileRejected(error.file_name, error.reason) from error
    if member_suffix is None:
        with open(path, "rb") as handle:
            yield handle, path.name
        return
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        raise FileRejected(
            path.name, f"not a readable zip archive (truncated or corrupt): {error}"
        ) from error
    with archive:
        names = archive_members(archive, member_suffix)
        if member is not None:
            names = [n for n in names if n == member]
        if not names:
            raise FileRejected(
                path.name,
                f"the archive has no file ending '{member_suffix}' "
                f"(it holds: {', '.join(archive.namelist()[:10]) or 'nothing'})",
            )
        with archive.open(names[0]) as opened:
            yield opened, f"{path.name}:{names[0]}"


def read_delimited(
    path: Path,
    *,
    delimiter: str = ",",
    encodings: tuple[str, ...] = ("utf-8",),
    required_columns: tuple[str, ...] = (),
    member_suffix: str | None = None,
    quoting: Literal[0, 1, 2, 3] = csv.QUOTE_MINIMAL,
    warnings: list[str] | None = None,
    column_aliases: dict[str, str] | None = None,
    archive_limits: ArchiveLimits | None = None,
    header_key: Callable[[str], str] | None = None,
    on_header: Callable[[list[str]], None] | None = None,
    member: str | None = None,
) -> Iterator[Row]:
    """Yield rows of a CSV/TSV file as dicts, after checking the header has the columns needed.
    In a zip, the member read is the first ending with member_suffix, or the one named.

    column_aliases maps another spelling of a header (a publisher's old or misspelt name) to
    the name the importer uses; with header_key, a header is looked up by its key (e.g. its
    letters and digits in lower case, so 'Supplier Name' and 'supplier_name' are one).
    on_header is given the header, as renamed, before the first row.
    """
    with open_member(path, member_suffix, archive_limits, member) as (binary, file_name):
        try:
            sample = binary.read(SNIFF_BYTES)
            # Replay the sample, then stream the rest, without reading the file twice.
            stream = io.BufferedReader(_Chain(sample, binary), buffer_size=1 << 16)
            encoding = choose_encoding(sample, encodings, file_name)
            if not sample.strip():
                raise FileRejected(file_name, "the file is empty")
            if b"\r" in sample and b"\n" not in sample:
                stream = _CarriageReturnLines(stream)  # type: ignore[assignment]
            lines = _decoded_lines(stream, encoding, file_name, unquoted=quoting == csv.QUOTE_NONE)
            reader = csv.reader(lines, delimiter=delimiter, quoting=quoting)
            yield from _rows(
                reader,
                file_name,
                required_columns,
                warnings,
                column_aliases or {},
                header_key,
                on_header,
            )
        except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, zlib.error) as error:
            raise FileRejected(
                path.name, f"the archive is corrupt: {error} (in {file_name}); download it again"
            ) from error
        except csv.Error as error:
            _refuse_if_damaged(path, member_suffix, file_name)
            raise FileRejected(
                file_name, f"the file is not valid delimited text: {error}"
            ) from error
        except FileRejected:
            # Garbage from a damaged archive reads as bad text: say which it is.
            _refuse_if_damaged(path, member_suffix, file_name)
            raise


def read_rows_from(
    path: Path, offset: int, first_line: int, header: list[str], file_name: str
) -> Iterator[Row]:
    """The rows of a UTF-8 delimited file from byte `offset`, where a record begins on line
    `first_line`, read and numbered as read_delimited reads them: for a reader that read the
    lines before another way and meets what only the csv module reads alike."""
    with open(path, "rb") as binary:
        binary.seek(offset)
        reader = csv.reader(_decoded_lines(binary, "utf-8", file_name, first=first_line))
        try:
            yield from _data_rows(reader, file_name, header, before=first_line - 1)
        except csv.Error as error:
            raise FileRejected(
                file_name, f"the file is not valid delimited text: {error}"
            ) from error


def _refuse_if_damaged(path: Path, member_suffix: str | None, file_name: str) -> None:
    """Refuse an archive whose member does not unpack whole (a zip broken part-way), naming
    it as a corrupt archive rather than by the garbage its damaged part reads as."""
    if member_suffix is None:
        return
    try:
        with zipfile.ZipFile(path) as archive:
            damaged = archive.testzip()
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as error:
        damaged, reason = file_name, str(error)
    else:
        reason = "a CRC check failed"
    if damaged is not None:
        raise FileRejected(
            path.name,
            f"the archive is corrupt: {damaged} does not unpack whole ({reason}); the file "
            "was damaged or cut short, download it again",
        )


def _rows(
    reader: Iterator[list[str]],
    file_name: str,
    required_columns: tuple[str, ...],
    warnings: list[str] | None,
    aliases: dict[str, str],
    header_key: Callable[[str], str] | None = None,
    on_header: Callable[[list[str]], None] | None = None,
) -> Iterator[Row]:
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise FileRejected(file_name, "the file is empty") from None
    key = header_key or (lambda h: h)
    header = [aliases.get(key(h), h) for h in header]
    check_header(header, file_name, required_columns, warnings)
    if on_header is not None:
        on_header(header)
    yield from _data_rows(reader, file_name, header)


def _data_rows(
    reader: Iterator[list[str]], file_name: str, header: list[str], before: int = 0
) -> Iterator[Row]:
    """The reader's rows, each numbered by its last physical line (`before` lines come before
    the reader's first) and knowing its first; blank lines passed over."""
    width = len(header)
    last = before + getattr(reader, "line_num", 0)
    try:
        for values in reader:
            number = before + getattr(reader, "line_num", 0)
            first, last = last + 1, number
            if is_blank(values):
                continue  # blank lines carry nothing to report
            yield make_row(file_name, number, header, values, width, first)
    except csv.Error as error:
        if "new-line character" not in str(error):
            raise
        raise FileRejected(
            file_name,
            "a carriage return in the middle of a line, outside quotes: a line break inside "
            "a value must be within the value's quotes",
            row=before + getattr(reader, "line_num", 0) or None,
        ) from error


def is_blank(values: list[str]) -> bool:
    """A line that carries nothing: empty, spaces, or the end-of-file mark (Ctrl-Z) that some
    old Windows programs write last."""
    return all(not v.replace("\x1a", "").strip() for v in values)


def make_row(
    file_name: str,
    number: int,
    header: list[str],
    values: list[str],
    width: int,
    first_line: int | None = None,
) -> Row:
    """One Row, or a Row carrying the reason it cannot be read: the wrong number of fields, or
    a value holding whole rows. A row read from several lines (begun on `first_line`) says so:
    a quote left open joins the lines after it into one value, until another quote closes it."""
    several = first_line is not None and first_line < number
    if len(values) != width:
        error = f"the row has {len(values)} fields; the header has {width}"
        joined = _joined(first_line, number) if several else ""
        return Row(file_name, number, {}, values, error=error + joined)
    if several and _holds_rows(values, width):
        error = "a value holds line breaks and what look like whole rows"
        return Row(file_name, number, {}, values, error=error + _joined(first_line, number))
    return Row(file_name, number, dict(zip(header, values, strict=True)), values)


def _joined(first_line: int | None, number: int) -> str:
    return (
        f" (it was read from lines {first_line} to {number}: a quote opened on line "
        f"{first_line} and not closed joins the lines after it into one value)"
    )


def _holds_rows(values: list[str], width: int) -> bool:
    """Whether a value's second or later line has a field separator between each of as many
    fields as a row has: rows swallowed by a quote left open (a legitimate value written over
    several lines rarely has so many commas on one line; from four columns up)."""
    return width >= 4 and any(
        line.count(",") >= width - 1 or line.count("\t") >= width - 1
        for value in values
        if "\n" in value or "\r" in value
        for line in value.splitlines()[1:]
    )


_SEPARATORS = (("\t", "tabs"), (";", "semicolons"), ("|", "vertical bars"), (",", "commas"))


def check_header(
    header: list[str],
    file_name: str,
    required_columns: tuple[str, ...],
    warnings: list[str] | None,
) -> None:
    """Refuse a header without the columns needed (or with repeats); note unused columns."""
    missing = [c for c in required_columns if c not in header]
    if missing and len(header) == 1:
        separator = next((name for mark, name in _SEPARATORS if mark in header[0]), "")
        if separator:
            raise FileRejected(
                file_name,
                f"the columns seem to be separated by {separator}, not by this kind of "
                "file's delimiter: is it the right file, saved in the right form?",
                row=1,
            )
    if missing:
        raise FileRejected(
            file_name,
            f"missing required column(s): {', '.join(missing)}. "
            f"The header has: {', '.join(header[:20])}{' …' if len(header) > 20 else ''}. "
            "Is this the right kind of file?",
            row=1,
        )
    duplicated = sorted({h for h in header if header.count(h) > 1 and h})
    if duplicated:
        raise FileRejected(
            file_name, f"the header repeats column(s): {', '.join(duplicated)}", row=1
        )
    if warnings is not None and required_columns:
        extra = [h for h in header if h and h not in required_columns]
        if extra:
            warnings.append(f"{file_name}: columns not used by this importer: {', '.join(extra)}")


def estimate_rows(path: Path, member_suffix: str | None = None) -> int | None:
    """About how many lines a delimited file (or a zip's members) holds, from its size and the
    length of its first lines; None if it cannot be opened (reading it will say why)."""
    try:
        with open_member(path, member_suffix) as (binary, _):
            sample = binary.read(SNIFF_BYTES)
        if member_suffix is None:
            size = path.stat().st_size
        else:
            with zipfile.ZipFile(path) as archive:
                names = archive_members(archive, member_suffix)
                size = sum(archive.getinfo(name).file_size for name in names)
    except (FileRejected, OSError, zipfile.BadZipFile, EOFError, zlib.error):
        return None
    if size <= len(sample):
        return sample.count(b"\n")
    return round(size * sample.count(b"\n") / len(sample))


class _Chain(io.RawIOBase):
    def __init__(self, prefix: bytes, rest: IO[bytes]) -> None:
        self._prefix = prefix
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        if self._prefix:
            size = min(len(buffer), len(self._prefix))
            buffer[:size] = self._prefix[:size]
            self._prefix = self._prefix[size:]
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
