"""The FCA Mutuals Public Register: every society the FCA registers (CSV, one row a society).

No copy of the file is held here (org-id.guide marks its licence closed), so this follows the
register's published download, "SocietyList.csv", linked from https://mutuals.fca.org.uk/ as
"Download the register". Its columns, as documented by the people who load it (the GB-MPR
importer of Find that Charity, kanedata/find-that-charity, ftc/management/commands/
import_mutuals.py, and other public users of the file): Society Number, Society Suffix,
"Full Registation Number" (sic: the register's own spelling; the corrected spelling is accepted
too), Society Name, Registered As, Society Address (one line, postcode last), Registration Date
and Deregistration Date (dd/mm/yyyy), Registration Act, Standard Industrial Classification Code
(SIC), Reporting Classification and Society Status ("Registered", "Deregistered", ...).

Identifier: GB-MPR-<Full Registration Number>, e.g. GB-MPR-10002R, as org-id.guide and the
published mutual-company links write it.

Sector: every society on this register is a mutual owned by its members: co-operative and
community benefit societies (Co-operative and Community Benefit Societies Act 2014 and the
Northern Ireland Act), credit unions (Credit Unions Act 1979), building societies (Building
Societies Act 1986) and friendly societies (Friendly Societies Acts 1974 and 1992). DESIGN.md's
cooperative_mutual sector covers co-operatives, community benefit societies, registered
societies and mutuals, so each is claimed for cooperative_mutual, with the form it is
registered as and the Act as the evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from commonground.imports.engine import ImportContext
from commonground.imports.errors import RowRejected
from commonground.imports.readers import Row, read_delimited
from commonground.places.postcodes import normalise_postcode

from ..models import Sector, Status
from ..records import OrganisationRecord, SectorClaim
from .base import RegisterImporter, parse_date, require, text, whole_file_encoding

NUMBER = "Full Registration Number"
COLUMNS = (
    NUMBER,
    "Society Name",
    "Registered As",
    "Society Address",
    "Registration Date",
    "Deregistration Date",
    "Registration Act",
    "Society Status",
)
SIC = "Standard Industrial Classification Code (SIC)"  # used when the download has it
# The kinds of society the register's "Registered As" column names, kept as the organisation's
# legal form: the society types the FCA says it registers (co-operative and community benefit
# societies, those registered before August 2014 as industrial and provident societies, credit
# unions, building societies and friendly societies; https://www.fca.org.uk/cy/node/7362) in the
# words the register uses for them. No copy of the file is held, so this list is not checked
# against one; a value outside it is kept as the register wrote it.
REGISTERED_AS = (
    "Registered Society",
    "Co-operative Society",
    "Bona fide co-operative",
    "Community Benefit Society",
    "Pre-commencement Society",
    "Industrial and Provident Society",
    "Credit Union",
    "Building Society",
    "Friendly Society",
)
ALIASES = {"Full Registation Number": NUMBER}
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
_NUMBER = re.compile(r"[0-9]{1,6}[A-Z]{0,2}")
# A UK postcode at the end of the one-line address.
_TRAILING_POSTCODE = re.compile(r"[,\s]*\b([A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2})\s*$", re.I)
_REMOVED = ("deregistered", "cancelled", "dissolved", "closed", "removed", "transferred")


def society_status(status: str, deregistered: date | None) -> str:
    value = text(status).casefold()
    if deregistered is not None or value.startswith(_REMOVED):
        return Status.REMOVED.value
    if value.startswith("registered"):
        return Status.ACTIVE.value
    return Status.UNKNOWN.value


def split_address(value: str) -> tuple[str, str]:
    """'1 High St, Sale, M33 7XX' -> ('1 High St, Sale', 'M33 7XX')."""
    address = text(value)
    match = _TRAILING_POSTCODE.search(address)
    if not match:
        return address.strip(" ,"), ""
    postcode = normalise_postcode(match.group(1))
    if not postcode:
        return address.strip(" ,"), ""
    return address[: match.start()].strip(" ,"), postcode


class FcaMutualsImporter(RegisterImporter):
    dataset = "fca_mutuals"
    register = "FCA Mutuals Public Register"
    priority = 15  # the statutory register of societies, after the charity registers

    def rows(self, path: Path, context: ImportContext) -> Iterator[Row]:
        return read_delimited(
            path,
            encodings=whole_file_encoding(path),
            required_columns=COLUMNS,
            warnings=context.warnings,
            column_aliases=ALIASES,
        )

    def parse(self, row: Row) -> OrganisationRecord:
        data = row.data
        number = require(data[NUMBER], NUMBER).upper().replace(" ", "")
        if not _NUMBER.fullmatch(number):
            raise RowRejected(f"{number!r} is not a society registration number", NUMBER)
        registered_as = text(data["Registered As"])
        act = text(data["Registration Act"])
        rule = "registered with the FCA as a mutual society"
        if registered_as:
            rule += f" ({registered_as}"
            rule += f", {act})" if act else ")"
        deregistered = parse_date(data["Deregistration Date"], "Deregistration Date", DATE_FORMATS)
        address, postcode = split_address(data["Society Address"])
        return OrganisationRecord(
            dataset=self.dataset,
            record_key=number,
            raw=data,
            identifiers=[f"GB-MPR-{number}"],
            name=require(data["Society Name"], "Society Name"),
            priority=self.priority,
            register=self.register,
            legal_form=registered_as,
            sector_claims=[
                SectorClaim(
                    Sector.COOPERATIVE_MUTUAL.value,
                    "Registered As",
                    registered_as or act,
                    rule,
                )
            ],
            status=society_status(data["Society Status"], deregistered),
            date_registered=parse_date(
                data["Registration Date"], "Registration Date", DATE_FORMATS
            ),
            date_removed=deregistered,
            address=address,
            postcode=postcode,
            activities=text(data.get(SIC)),
            row_number=row.number,
            file_name=row.file_name,
        )
