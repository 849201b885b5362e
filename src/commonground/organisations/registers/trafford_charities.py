"""The Trafford subset of the Charity Commission register (CSV, one row a charity)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from commonground.imports.engine import ImportContext
from commonground.imports.errors import RowRejected
from commonground.imports.readers import Row, read_delimited
from commonground.places.postcodes import normalise_postcode

from ..identifiers import company_number
from ..models import Sector, Status
from ..records import OrganisationRecord, SectorClaim
from .base import RegisterImporter, parse_date, require, text, whole_file_encoding

COLUMNS = (
    "registered_charity_number",
    "charity_company_registration_number",
    "charity_name",
    "charity_type",
    "charity_activities",
    "date_of_registration",
    "charity_contact_address",
    "charity_contact_postcode",
    "charity_contact_web",
)


class TraffordCharitiesImporter(RegisterImporter):
    dataset = "trafford_charities"
    register = "Charity Commission for England and Wales (Trafford extract, 2023)"
    priority = 15  # an older subset: the full register (priority 10) wins where both are loaded

    def rows(self, path: Path, context: ImportContext) -> Iterator[Row]:
        return read_delimited(
            path,
            encodings=whole_file_encoding(path),
            required_columns=COLUMNS,
            warnings=context.warnings,
        )

    def parse(self, row: Row) -> OrganisationRecord:
        data = row.data
        number = require(data["registered_charity_number"], "registered_charity_number")
        if not number.isdigit():
            raise RowRejected(f"{number!r} is not a charity number", "registered_charity_number")
        identifiers = [f"GB-CHC-{int(number)}"]
        company = text(data["charity_company_registration_number"])
        if company:
            identifiers.append(f"GB-COH-{company_number(company)}")
        charity_type = text(data["charity_type"])
        return OrganisationRecord(
            dataset=self.dataset,
            record_key=str(int(number)),
            raw=data,
            identifiers=identifiers,
            name=require(data["charity_name"], "charity_name"),
            priority=self.priority,
            register=self.register,
            legal_form=charity_type,
            sector_claims=[
                SectorClaim(
                    Sector.CHARITY.value,
                    "registered_charity_number",
                    number,
                    "registered with the Charity Commission for England and Wales",
                )
            ],
            # The extract lists registered charities only.
            status=Status.ACTIVE.value,
            date_registered=parse_date(data["date_of_registration"], "date_of_registration"),
            address=text(data["charity_contact_address"]),
            postcode=normalise_postcode(data["charity_contact_postcode"]),
            activities=text(data["charity_activities"]),
            website=text(data["charity_contact_web"]),
            row_number=row.number,
            file_name=row.file_name,
        )
