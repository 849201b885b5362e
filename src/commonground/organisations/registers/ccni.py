"""The Charity Commission for Northern Ireland register export (CSV, Windows-1252).

One row a charity. The export puts the postcode at the end of "Public address", gives company
numbers without their "NI" prefix (0 when there is none), and lists its categories as
comma-separated values whose own text may contain ", " (so only a comma followed directly by a
word separates two values). "What the charity does" holds the charitable purpose categories;
"Charitable purposes" holds the charity's own description, which is what `activities` shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from commonground.imports.engine import ImportContext
from commonground.imports.errors import RowRejected
from commonground.imports.readers import Row, read_delimited
from commonground.places.postcodes import normalise_postcode

from ..identifiers import company_number
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
from .ccew import add_warning

COLUMNS = (
    "Reg charity number",
    "Charity name",
    "Date registered",
    "Status",
    "Date for financial year ending",
    "Total income",
    "Public address",
    "Website",
    "Company number",
    "What the charity does",
    "Who the charity helps",
    "How the charity works",
    "Charitable purposes",
    "Other name",
    "Type of governing document",
)
CATEGORY_COLUMNS = (
    ("What", "What the charity does"),
    ("Who", "Who the charity helps"),
    ("How", "How the charity works"),
)
LEGAL_FORMS = {
    "memorandum and articles": "Charitable company",
    "trust deed or declaration of trust": "Trust",
    "will": "Trust",
    "royal charter": "Royal charter body",
    "ips rules": "Registered society",
}
# Company numbers the export uses to mean "none".
NO_COMPANY = {"0", "999999"}
_SEPARATOR = re.compile(r",(?=\S)")
_TRAILING_POSTCODE = re.compile(
    r",?\s*([A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2})\s*$", re.IGNORECASE
)


def split_categories(value: str) -> list[str]:
    return [item for item in (text(part) for part in _SEPARATOR.split(value)) if item]


class CcniRegisterImporter(RegisterImporter):
    dataset = "ccni_register"
    register = "Charity Commission for Northern Ireland register of charities"
    priority = 10

    context: ImportContext | None = None

    def rows(self, path: Path, context: ImportContext) -> Iterator[Row]:
        self.context = context
        return read_delimited(
            path,
            encodings=whole_file_encoding(path),
            required_columns=COLUMNS,
            warnings=context.warnings,
        )

    def parse(self, row: Row) -> OrganisationRecord:
        data = row.data
        number = require(data["Reg charity number"], "Reg charity number")
        if not number.isdigit():
            raise RowRejected(f"{number!r} is not a charity number", "Reg charity number")
        number = str(int(number))
        identifiers = [f"GB-NIC-{number}"]
        company = _company(data["Company number"])
        if company is None:
            # A bad company number should not cost the register its charity: load it without.
            add_warning(
                self.context,
                f"{row.file_name}, row {row.number}, field 'Company number': "
                f"{data['Company number']!r} is not a company number; "
                "the charity was loaded without it",
            )
        if company:
            identifiers.append(f"GB-COH-{company}")
        status_text = text(data["Status"])
        removed = status_text.casefold() == "removed"
        address, postcode = _address(data["Public address"])
        income_date = parse_date(
            data["Date for financial year ending"],
            "Date for financial year ending",
            formats=("%d %B %Y", "%d/%m/%Y"),
        )
        other_name = text(data["Other name"])
        governing_document = text(data["Type of governing document"])
        return OrganisationRecord(
            dataset=self.dataset,
            record_key=number,
            raw=data,
            identifiers=identifiers,
            # The export sometimes writes an apostrophe as a backtick.
            name=require(data["Charity name"], "Charity name").replace("`", "'"),
            priority=self.priority,
            register=self.register,
            other_names=[other_name] if other_name else [],
            legal_form="Charitable company"
            if company
            else LEGAL_FORMS.get(governing_document.casefold(), ""),
            sector_claims=[
                SectorClaim(
                    Sector.CHARITY.value,
                    "Reg charity number",
                    number,
                    "removed from the register of charities for Northern Ireland"
                    if removed
                    else "registered with the Charity Commission for Northern Ireland",
                )
            ],
            status=Status.REMOVED.value if removed else Status.ACTIVE.value,
            date_registered=parse_date(
                data["Date registered"], "Date registered", formats=("%d/%m/%Y",)
            ),
            address=address,
            postcode=postcode,
            activities=text(data["Charitable purposes"]) or text(data["What the charity does"]),
            website=text(data["Website"]),
            latest_income_pence=parse_pence(data["Total income"], "Total income")
            if income_date
            else None,
            latest_income_date=income_date,
            classifications=[
                f"{kind}: {item}"
                for kind, column in CATEGORY_COLUMNS
                for item in split_categories(data[column])
            ],
            row_number=row.number,
            file_name=row.file_name,
        )


def _company(value: str) -> str | None:
    """The Companies House number, '' when there is none, None when it is not a number."""
    value = text(value).upper().replace(" ", "")
    if not value or value in NO_COMPANY or value.strip("0") == "":
        return ""
    if value.isdigit():
        # Northern Ireland companies are NI followed by six digits.
        return "NI" + value.zfill(6) if len(value) <= 6 else None
    normalised = company_number(value)
    return normalised if re.match(r"^[A-Z0-9]{8}$", normalised) else None


def _address(value: str) -> tuple[str, str]:
    """'2 Abercorn Square, Strabane, BT82 8AN' -> ('2 Abercorn Square, Strabane', 'BT82 8AN')."""
    address = text(value)
    match = _TRAILING_POSTCODE.search(address)
    if not match:
        return address.strip(" ,"), ""
    return address[: match.start()].strip(" ,"), normalise_postcode(match.group(1))
