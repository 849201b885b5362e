"""What every register importer shares: loading OrganisationRecords through the atlas service,
and small parsers for the values registers publish."""

from __future__ import annotations

import codecs
import re
import zipfile
import zlib
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import ClassVar

from commonground.imports.engine import ImportContext, Importer, LoadCounts
from commonground.imports.errors import FileRejected, RowRejected
from commonground.imports.readers import open_member

from ..records import OrganisationRecord
from ..services import organisations_upsert

NULLS = {"", "na", "n/a", "null", "none", "-"}
MAX_POUNDS = 10**12  # a trillion pounds


class RegisterImporter(Importer[OrganisationRecord]):
    register: ClassVar[str]  # the register's name, shown as evidence ("Charity Commission ...")
    # Lower wins when registers disagree about a fact (a full register beats a subset of it).
    priority: ClassVar[int] = 50
    # A register file that gives no organisation (only a header, every row refused) failed.
    fails_when_nothing_loaded = True

    def record_key(self, record: OrganisationRecord) -> str:
        return record.record_key

    def load(self, records: list[OrganisationRecord], context: ImportContext) -> LoadCounts:
        return organisations_upsert(records, context.run)


def whole_file_encoding(path: Path, member_suffix: str | None = None) -> tuple[str, ...]:
    """UTF-8 if every byte of the file decodes as UTF-8, or if UTF-8 letters come before the
    first byte that does not (a UTF-8 file with a damaged byte: the reader then refuses it at
    that row, rather than turning every accent into two wrong letters); otherwise Windows-1252.

    The shared reader decides from the first megabyte; a cp1252 export whose first accented
    letter comes later (as saved from Excel) would be refused half-way, so the registers check
    the whole file first, a megabyte at a time.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    letters_before = False  # whether UTF-8 letters beyond ASCII decoded before any error
    with open_member(path, member_suffix) as (binary, name):
        try:
            for chunk in iter(lambda: binary.read(1 << 20), b""):
                letters_before = letters_before or not decoder.decode(chunk).isascii()
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            decoded = error.object[: error.start].decode("utf-8", errors="ignore")
            return ("utf-8",) if letters_before or not decoded.isascii() else ("cp1252",)
        except (zipfile.BadZipFile, EOFError, zlib.error) as error:
            raise FileRejected(
                path.name,
                f"the archive is corrupt: {name} does not unpack whole ({error}); the file was "
                "damaged or cut short, download it again",
            ) from error
    return ("utf-8",)


def text(value: str | None) -> str:
    """A register value with whitespace tidied and 'NA'-style nulls made empty."""
    if value is None:
        return ""
    value = " ".join(value.split())
    return "" if value.casefold() in NULLS else value


def parse_date(
    value: str | None, field: str, formats: tuple[str, ...] = ("%Y-%m-%d",)
) -> date | None:
    value = text(value)
    if not value:
        return None
    # CCEW writes "2023-09-07 00:00:00.0000000"; the date part is what matters.
    candidate = value.split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2}[ T]", value) else value
    for fmt in formats:
        try:
            return datetime.strptime(candidate, fmt).date()
        except ValueError:
            continue
    raise RowRejected(f"{value!r} is not a date in the expected form ({', '.join(formats)})", field)


def parse_pence(value: str | None, field: str) -> int | None:
    """'12345.67' or '£12,345' -> pence, exactly (no floating point)."""
    value = text(value).replace(",", "").replace("£", "")
    if not value:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise RowRejected(f"{value!r} is not an amount of money", field) from None
    if not amount.is_finite():
        raise RowRejected(f"{value!r} is not an amount of money", field)
    if abs(amount) > MAX_POUNDS:
        # Beyond any register's figure (and beyond what the database column holds): a slipped
        # decimal point or a wrong column, refused here rather than stopping the import.
        raise RowRejected(f"{value!r} is more than £{MAX_POUNDS:,}: not a plausible amount", field)
    return int((amount * 100).to_integral_value())


def require(value: str | None, field: str) -> str:
    cleaned = text(value)
    if not cleaned:
        raise RowRejected("a value is required here but the field is empty", field)
    return cleaned


def join_address(*parts: str | None) -> str:
    return ", ".join(p for p in (text(x) for x in parts) if p)
