"""GB-LAE codes (the archived local-authority-eng register) with the GSS code each maps to."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from commonground.imports.engine import ImportContext, Importer, LoadCounts
from commonground.imports.errors import FileRejected, RowRejected
from commonground.imports.readers import Row, read_delimited

from ..records import LocalAuthorityCodeRecord
from ..services import local_authority_codes_upsert
from .base import GSS_CODE, iso_date, require, text

COLUMNS = ("key", "local-authority-type", "name", "official-name", "start-date", "end-date")
MAPPING_COLUMNS = ("gb_lae_code", "gss_code")
LAE_CODE_LENGTH = (3, 4)


def read_gss_mapping(path: Path) -> dict[str, str]:
    """GB-LAE code -> GSS code; one bad line refuses the file, as it would mislink councils."""
    mapping: dict[str, str] = {}
    for row in read_delimited(path, required_columns=MAPPING_COLUMNS):
        if row.error:
            raise FileRejected(row.file_name, row.error, row=row.number)
        code = text(row.data["gb_lae_code"]).upper()
        gss = text(row.data["gss_code"]).upper()
        if not code or not GSS_CODE.match(gss):
            raise FileRejected(
                row.file_name, f"{gss!r} is not a GSS code", row=row.number, field="gss_code"
            )
        if code in mapping and mapping[code] != gss:
            raise FileRejected(
                row.file_name,
                f"{code} is mapped to both {mapping[code]} and {gss}",
                row=row.number,
                field="gb_lae_code",
            )
        mapping[code] = gss
    return mapping


class GbLaeCodesImporter(Importer[LocalAuthorityCodeRecord]):
    dataset = "gb_lae_codes"
    fails_when_nothing_loaded = True

    def __init__(self, gss_mapping: Path) -> None:
        self.gss_mapping_path = Path(gss_mapping)
        self.gss_mapping: dict[str, str] = {}

    def rows(self, path: Path, context: ImportContext) -> Iterator[Row]:
        if not self.gss_mapping_path.is_file():
            raise FileRejected(self.gss_mapping_path.name, "the file does not exist")
        self.gss_mapping = read_gss_mapping(self.gss_mapping_path)
        return read_delimited(path, required_columns=COLUMNS, warnings=context.warnings)

    def parse(self, row: Row) -> LocalAuthorityCodeRecord:
        data = row.data
        code = require(data["key"], "key").upper()
        if not code.isalpha() or len(code) not in LAE_CODE_LENGTH:
            raise RowRejected(f"{code!r} is not a GB-LAE code (three or four letters)", "key")
        start = iso_date(data["start-date"], "start-date")
        end = iso_date(data["end-date"], "end-date")
        if start and end and end < start:
            raise RowRejected(f"the end date {end} is before the start date {start}", "end-date")
        return LocalAuthorityCodeRecord(
            code=code,
            name=require(data["name"], "name"),
            official_name=text(data["official-name"]),
            authority_type=text(data["local-authority-type"]),
            gss_code=self.gss_mapping.get(code, ""),
            start_date=start,
            end_date=end,
        )

    def record_key(self, record: LocalAuthorityCodeRecord) -> str:
        return record.code

    def load(self, records: list[LocalAuthorityCodeRecord], context: ImportContext) -> LoadCounts:
        return local_authority_codes_upsert(records)
