"""The Scottish Charity Register download from OSCR (a CSV, usually inside a zip).

No copy of the file is available here, so this follows the published column layout as written
down by the charity-django project (kanedata/charity-django: src/charity_django/oscr/models.py,
whose field labels are OSCR's column headers, and management/commands/import_oscr.py): "Charity
Number" (SC followed by six digits), "Charity Name", "Registered Date", "Known As", "Charity
Status", "Postcode", "Constitutional Form", "Geographical Spread", "Main Operating Location",
"Purposes", "Beneficiaries", "Activities", "Objectives", "Principal Office/Trustees Address",
"Website", "Most recent year income", "Year End", and on the former-charities download "Ceased
Date". Dates are dd/mm/yyyy (older files add a time, hh:mm); 01/01/1970 stands for "no date";
the postcode XX0 0XX stands for "withheld"; the category columns list single-quoted values
separated by commas. The layout has no company number and no previous names column.
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from commonground.imports.engine import ImportContext
from commonground.imports.errors import FileRejected, RowRejected
from commonground.imports.readers import Row, archive_members, read_delimited
from commonground.places.postcodes import normalise_postcode

from ..models import Sector, Status
from ..records import OrganisationRecord, SectorClaim
from .base import (
    RegisterImporter,
    parse_date,
    parse_pence,
    require,
    text,
    whole_file_encoding,
)

COLUMNS = (
    "Charity Number",
    "Charity Name",
    "Registered Date",
    "Known As",
    "Charity Status",
    "Postcode",
    "Constitutional Form",
    "Principal Office/Trustees Address",
    "Website",
    "Most recent year income",
    "Year End",
)
# Read when present: the layout has changed over the years and these are not essential.
OPTIONAL_COLUMNS = ("Ceased Date", "Objectives", "Purposes", "Beneficiaries", "Activities")
CATEGORY_COLUMNS = (("What", "Purposes"), ("Who", "Beneficiaries"), ("How", "Activities"))
DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d")
NO_DATE = date(1970, 1, 1)
WITHHELD_POSTCODE = "XX0 0XX"
STATUSES = {
    "active": Status.ACTIVE.value,
    "registered": Status.ACTIVE.value,
    "removed": Status.REMOVED.value,
    "ceased": Status.REMOVED.value,
}
LEGAL_FORMS = {
    "scio (scottish charitable incorporated organisation)": (
        "Scottish charitable incorporated organisation (SCIO)"
    ),
    "cio (charitable incorporated organisation, e&w)": "Charitable incorporated organisation (CIO)",
    "company (the charity is registered with companies house)": "Charitable company",
    "trust (founding document is a deed of trust) (other than educational endowment)": "Trust",
    "unincorporated association": "Unincorporated association",
}
_NUMBER = re.compile(r"^SC\d{6}$")


class OscrRegisterImporter(RegisterImporter):
    dataset = "oscr_register"
    register = "Scottish Charity Register (OSCR)"
    priority = 10

    def rows(self, path: Path, context: ImportContext) -> Iterator[Row]:
        member = _csv_member(path)
        first = True
        for row in read_delimited(
            path,
            encodings=whole_file_encoding(path, member),
            required_columns=COLUMNS,
            member_suffix=member,
        ):
            if first and row.data:
                first = False
                unused = [c for c in row.data if c and c not in COLUMNS + OPTIONAL_COLUMNS]
                if unused:
                    context.warnings.append(
                        f"{row.file_name}: columns not used by this importer: {', '.join(unused)}"
                    )
            yield row

    def parse(self, row: Row) -> OrganisationRecord:
        data = row.data
        number = require(data["Charity Number"], "Charity Number").upper().replace(" ", "")
        if not _NUMBER.match(number):
            raise RowRejected(
                f"{number!r} is not a Scottish charity number (SC and six digits)",
                "Charity Number",
            )
        status_text = require(data["Charity Status"], "Charity Status")
        status = STATUSES.get(status_text.casefold(), Status.UNKNOWN.value)
        date_removed = _date(data.get("Ceased Date"), "Ceased Date")
        if date_removed is not None:
            status = Status.REMOVED.value
        removed = status == Status.REMOVED.value
        known_as = text(data["Known As"])
        income_date = _date(data["Year End"], "Year End")
        postcode = text(data["Postcode"])
        constitutional_form = text(data["Constitutional Form"])
        return OrganisationRecord(
            dataset=self.dataset,
            record_key=number,
            raw=data,
            identifiers=[f"GB-SC-{number}"],
            name=require(data["Charity Name"], "Charity Name"),
            priority=self.priority,
            register=self.register,
            other_names=[known_as] if known_as else [],
            legal_form=LEGAL_FORMS.get(constitutional_form.casefold(), constitutional_form),
            sector_claims=[
                SectorClaim(
                    Sector.CHARITY.value,
                    "Charity Number",
                    number,
                    "removed from the Scottish Charity Register"
                    if removed
                    else "registered with the Office of the Scottish Charity Regulator",
                )
            ],
            status=status,
            date_registered=_date(data["Registered Date"], "Registered Date"),
            date_removed=date_removed,
            address=text(data["Principal Office/Trustees Address"]),
            postcode="" if postcode.upper() == WITHHELD_POSTCODE else normalise_postcode(postcode),
            activities=text(data.get("Objectives")),
            website=text(data["Website"]),
            latest_income_pence=parse_pence(
                data["Most recent year income"], "Most recent year income"
            ),
            latest_income_date=income_date,
            classifications=[
                f"{kind}: {item}"
                for kind, column in CATEGORY_COLUMNS
                for item in _categories(data.get(column))
            ],
            row_number=row.number,
            file_name=row.file_name,
        )


def _csv_member(path: Path) -> str | None:
    """OSCR serves a zip holding one CSV, read inside it; a CSV taken out of it is read as it
    is. A zip holding several (the register and the former charities, say) is refused rather
    than one of them loaded in silence."""
    with open(path, "rb") as handle:
        if handle.read(4) != b"PK\x03\x04":
            return None
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive_members(archive, ".csv")
    except (zipfile.BadZipFile, EOFError, OSError):
        return ".csv"  # reading it says how it is damaged
    if len(names) > 1:
        raise FileRejected(
            path.name,
            f"the archive holds {len(names)} CSV files ({', '.join(names[:5])}); a register "
            "download holds one: import each file on its own",
        )
    return ".csv"


def _date(value: str | None, field: str) -> date | None:
    parsed = parse_date(value, field, formats=DATE_FORMATS)
    return None if parsed == NO_DATE else parsed


def _categories(value: str | None) -> list[str]:
    """ "'Education','Relief of those in need, by reason of age'" -> the two values."""
    if value is None or not text(value):
        return []
    values = next(csv.reader([value], delimiter=",", quotechar="'", skipinitialspace=True))
    return [item for item in (text(v) for v in values) if item]
