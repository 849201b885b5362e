"""Councils in England from the GB-LAE local authority register (CSV, one row a council).

Councils commission, pay grants and sign contracts, so the atlas holds them as organisations
(sector public_body) under their GB-LAE org-id. Then a 360Giving funder or an OCDS buyer that
names GB-LAE-TRF links to Trafford Council by identifier, and the council can be a member of a
partnership. The register is the evidence for the sector; nothing is read from the name.

Councils that were abolished keep their record with the end date, as removed from the register.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from commonground.imports.engine import ImportContext
from commonground.imports.errors import RowRejected
from commonground.imports.readers import Row, read_delimited

from ..models import Sector, Status
from ..records import OrganisationRecord, SectorClaim
from .base import RegisterImporter, parse_date, require, text

COLUMNS = ("key", "local-authority-type", "name", "official-name", "start-date", "end-date")

# The register's type codes, as the register describes them.
COUNCIL_TYPES = {
    "CC": "City corporation",
    "COMB": "Combined authority",
    "CTY": "County council",
    "LBO": "London borough",
    "MD": "Metropolitan district",
    "NMD": "Non-metropolitan district",
    "SRA": "Strategic regional authority",
    "UA": "Unitary authority",
}


class CouncilsImporter(RegisterImporter):
    dataset = "gb_lae_codes"
    source_file = "register"  # the dataset's other file is the GSS mapping, read by places
    register = "Local authorities in England (GB-LAE register)"
    priority = 10

    def rows(self, path: Path, context: ImportContext) -> Iterator[Row]:
        return read_delimited(
            path, encodings=("utf-8",), required_columns=COLUMNS, warnings=context.warnings
        )

    def parse(self, row: Row) -> OrganisationRecord:
        data = row.data
        code = require(data["key"], "key").upper()
        if not (code.isalnum() and 2 <= len(code) <= 4):
            raise RowRejected(f"{code!r} is not a GB-LAE code (three or four letters)", "key")
        kind = text(data["local-authority-type"])
        if kind not in COUNCIL_TYPES:
            raise RowRejected(
                f"{kind!r} is not a council type the register uses "
                f"({', '.join(sorted(COUNCIL_TYPES))})",
                "local-authority-type",
            )
        name = text(data["official-name"]) or require(data["name"], "name")
        ended = parse_date(data["end-date"], "end-date")
        return OrganisationRecord(
            dataset=self.dataset,
            record_key=code,
            raw=data,
            identifiers=[f"GB-LAE-{code}"],
            name=name,
            other_names=[n for n in [text(data["name"])] if n and n != name],
            priority=self.priority,
            register=self.register,
            legal_form=COUNCIL_TYPES[kind],
            sector_claims=[
                SectorClaim(
                    Sector.PUBLIC_BODY.value,
                    "local-authority-type",
                    kind,
                    "listed in the register of local authorities in England",
                )
            ],
            status=(Status.REMOVED if ended else Status.ACTIVE).value,
            date_registered=parse_date(data["start-date"], "start-date"),
            date_removed=ended,
            row_number=row.number,
            file_name=row.file_name,
        )
