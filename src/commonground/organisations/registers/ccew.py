"""The Charity Commission for England and Wales full register download.

The download is 13 zipped tab-separated tables (publicextract.<table>.zip), joined on
`organisation_number`. This importer reads the `charity` table as the register, one record a
main charity, and enriches each record from four tables beside it:

- charity_other_names: working and previous names, into `other_names`;
- charity_classification: the What / Who / How categories, into `classifications`;
- charity_area_of_operation: where the charity works, into `areas_of_operation`;
- charity_annual_return_parta: the latest annual return's income and period end, used when it
  is more recent than the charity table's own latest income.

Linked charities (subsidiaries and group members, `linked_charity_number` other than 0) share
their parent's charity number and have no identifier of their own, so they are skipped (counted
as skipped, not rejected); the parent charity is the organisation. Their rows in the auxiliary
tables are ignored for the same reason.

Memory stays bounded by the number of charities, not by the size of the tables: the auxiliary
tables are read first into small per-charity lists (category and area strings are shared), then
the charity table is streamed. A row of an auxiliary table that cannot be used is reported like
a charity row, with its own file and row number, so `rows_read` counts the charity table's rows
plus any unusable auxiliary rows.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from commonground.core.archives import dataset_limits
from commonground.imports.engine import ImportContext
from commonground.imports.errors import FileRejected, RowRejected
from commonground.imports.readers import Row, read_delimited
from commonground.places.postcodes import normalise_postcode

from ..identifiers import company_number
from ..models import Sector, Status
from ..records import OrganisationRecord, SectorClaim
from .base import RegisterImporter, join_address, parse_date, parse_pence, require, text

ENCODINGS = ("utf-8", "cp1252")
MAX_WARNINGS = 200

CHARITY_COLUMNS = (
    "organisation_number",
    "registered_charity_number",
    "linked_charity_number",
    "charity_name",
    "charity_type",
    "charity_registration_status",
    "date_of_registration",
    "date_of_removal",
    "latest_acc_fin_period_end_date",
    "latest_income",
    "charity_contact_address1",
    "charity_contact_address2",
    "charity_contact_address3",
    "charity_contact_address4",
    "charity_contact_address5",
    "charity_contact_postcode",
    "charity_contact_web",
    "charity_company_registration_number",
    "charity_is_cio",
    "charity_activities",
)
OTHER_NAMES_COLUMNS = ("organisation_number", "linked_charity_number", "charity_name")
CLASSIFICATION_COLUMNS = (
    "organisation_number",
    "linked_charity_number",
    "classification_type",
    "classification_description",
)
AREA_COLUMNS = (
    "organisation_number",
    "linked_charity_number",
    "geographic_area_type",
    "geographic_area_description",
)
PARTA_COLUMNS = ("organisation_number", "fin_period_end_date", "total_gross_income")

STATUSES = {"registered": Status.ACTIVE.value, "removed": Status.REMOVED.value}
LEGAL_FORMS = {
    "cio": "Charitable incorporated organisation (CIO)",
    "charitable company": "Charitable company",
    "trust": "Trust",
    "previously excepted": "Previously excepted charity",
    "other": "Other charity (e.g. unincorporated association)",
}
_COMPANY_NUMBER = re.compile(r"^[A-Z0-9]{8}$")


def add_warning(context: ImportContext | None, message: str) -> None:
    """Note something the import worked around, keeping the list short."""
    if context is None:
        return
    if len(context.warnings) < MAX_WARNINGS:
        context.warnings.append(message)
    elif len(context.warnings) == MAX_WARNINGS:
        context.warnings.append("… further warnings were not kept")


def table_path(folder: Path, table: str) -> Path:
    return folder / f"publicextract.{table}.zip"


@dataclass
class AuxiliaryRowProblem(Row):
    """A row of an auxiliary table that cannot be used, passed on so that it is reported."""

    reason: str = ""
    field: str = ""


class CcewRegisterImporter(RegisterImporter):
    dataset = "ccew_register"
    register = "Charity Commission for England and Wales register of charities"
    priority = 10

    def __init__(self, folder: Path | str | None = None) -> None:
        # Where the auxiliary tables are; by default beside the charity table.
        self.folder = Path(folder) if folder is not None else None
        self._reset()

    def _reset(self) -> None:
        self.other_names: dict[int, list[str]] = {}
        self.classifications: dict[int, list[str]] = {}
        self.areas: dict[int, list[str]] = {}
        self.latest_return: dict[int, tuple[date, int]] = {}
        self.context: ImportContext | None = None

    # Reading ---------------------------------------------------------------------------------

    def rows(self, path: Path, context: ImportContext) -> Iterator[Row]:
        self._reset()
        self.context = context
        folder = self.folder or path.parent
        tables = {
            "charity_other_names": (OTHER_NAMES_COLUMNS, self._other_name),
            "charity_classification": (CLASSIFICATION_COLUMNS, self._classification),
            "charity_area_of_operation": (AREA_COLUMNS, self._area),
            "charity_annual_return_parta": (PARTA_COLUMNS, self._annual_return),
        }
        # Check all are present before reading any, so a missing one fails fast.
        for table in tables:
            if not table_path(folder, table).is_file():
                raise FileRejected(
                    table_path(folder, table).name,
                    f"this table of the register download is missing from {folder}; "
                    "it is needed beside publicextract.charity.zip "
                    "(run `manage.py fetch_sources ccew_register`)",
                )
        for table, (columns, collect) in tables.items():
            for row in _table(table_path(folder, table), table, columns):
                if row.error:
                    yield row
                    continue
                try:
                    collect(row.data)
                except RowRejected as error:
                    yield AuxiliaryRowProblem(
                        row.file_name,
                        row.number,
                        row.data,
                        row.raw,
                        reason=error.reason,
                        field=error.field,
                    )
        for lists in (self.other_names, self.classifications, self.areas):
            for key, values in lists.items():
                lists[key] = list(dict.fromkeys(values))  # duplicates in the tables: once each
        yield from _table(path, "charity", CHARITY_COLUMNS, context.warnings)

    def _main_charity(self, data: dict[str, str]) -> int | None:
        """The organisation number of a main charity's row; None for a linked charity's row."""
        number = _organisation_number(data)
        if "linked_charity_number" in data and text(data["linked_charity_number"]) != "0":
            return None
        return number

    def _other_name(self, data: dict[str, str]) -> None:
        number = self._main_charity(data)
        name = text(data["charity_name"])
        if number is not None and name:
            self.other_names.setdefault(number, []).append(name)

    def _classification(self, data: dict[str, str]) -> None:
        number = self._main_charity(data)
        description = text(data["classification_description"])
        if number is None or not description:
            return
        kind = text(data["classification_type"])
        label = f"{kind}: {description}" if kind else description
        self.classifications.setdefault(number, []).append(sys.intern(label))

    def _area(self, data: dict[str, str]) -> None:
        number = self._main_charity(data)
        description = text(data["geographic_area_description"])
        if number is None or not description:
            return
        kind = text(data["geographic_area_type"])
        label = f"{kind}: {description}" if kind else description
        self.areas.setdefault(number, []).append(sys.intern(label))

    def _annual_return(self, data: dict[str, str]) -> None:
        number = _organisation_number(data)
        income = parse_pence(data["total_gross_income"], "total_gross_income")
        period_end = parse_date(data["fin_period_end_date"], "fin_period_end_date")
        if income is None or period_end is None:
            return
        known = self.latest_return.get(number)
        if known is None or period_end > known[0]:
            self.latest_return[number] = (period_end, income)

    # Parsing ---------------------------------------------------------------------------------

    def parse(self, row: Row) -> OrganisationRecord | None:
        if isinstance(row, AuxiliaryRowProblem):
            raise RowRejected(row.reason, row.field)
        data = row.data
        organisation = _organisation_number(data)
        if text(data["linked_charity_number"]) not in ("", "0"):
            return None  # a linked charity: see the module docstring
        number = require(data["registered_charity_number"], "registered_charity_number")
        if not number.isdigit():
            raise RowRejected(f"{number!r} is not a charity number", "registered_charity_number")
        number = str(int(number))
        status_text = require(data["charity_registration_status"], "charity_registration_status")
        status = STATUSES.get(status_text.casefold())
        if status is None:
            raise RowRejected(
                f"{status_text!r} is not a registration status (expected Registered or Removed)",
                "charity_registration_status",
            )
        identifiers = [f"GB-CHC-{number}"]
        company = self._company_identifier(data, row)
        if company:
            identifiers.append(company)
        income, income_date = self._latest_income(data, organisation)
        removed = status == Status.REMOVED.value
        return OrganisationRecord(
            dataset=self.dataset,
            record_key=number,
            raw=data,
            identifiers=identifiers,
            name=require(data["charity_name"], "charity_name"),
            priority=self.priority,
            register=self.register,
            other_names=self.other_names.get(organisation, []),
            legal_form=_legal_form(data),
            sector_claims=[
                SectorClaim(
                    Sector.CHARITY.value,
                    "registered_charity_number",
                    number,
                    "removed from the register of charities for England and Wales"
                    if removed
                    else "registered with the Charity Commission for England and Wales",
                )
            ],
            status=status,
            date_registered=parse_date(data["date_of_registration"], "date_of_registration"),
            date_removed=parse_date(data["date_of_removal"], "date_of_removal"),
            address=join_address(*(data[f"charity_contact_address{n}"] for n in range(1, 6))),
            postcode=normalise_postcode(data["charity_contact_postcode"]),
            activities=text(data["charity_activities"]),
            website=text(data["charity_contact_web"]),
            latest_income_pence=income,
            latest_income_date=income_date,
            classifications=self.classifications.get(organisation, []),
            areas_of_operation=self.areas.get(organisation, []),
            row_number=row.number,
            file_name=row.file_name,
        )

    def _company_identifier(self, data: dict[str, str], row: Row) -> str:
        value = text(data["charity_company_registration_number"])
        if not value or value.strip("0") == "":
            return ""
        normalised = company_number(value)
        if _COMPANY_NUMBER.match(normalised):
            return f"GB-COH-{normalised}"
        # A bad company number should not cost the register its charity: load it without.
        self._warn(
            f"{row.file_name}, row {row.number}, field 'charity_company_registration_number': "
            f"{value!r} is not a company number; the charity was loaded without it"
        )
        return ""

    def _latest_income(
        self, data: dict[str, str], organisation: int
    ) -> tuple[int | None, date | None]:
        income = parse_pence(data["latest_income"], "latest_income")
        period_end = parse_date(
            data["latest_acc_fin_period_end_date"], "latest_acc_fin_period_end_date"
        )
        annual_return = self.latest_return.get(organisation)
        if annual_return is not None and (
            income is None or period_end is None or annual_return[0] > period_end
        ):
            return annual_return[1], annual_return[0]
        return income, period_end if income is not None else None

    def _warn(self, message: str) -> None:
        add_warning(self.context, message)

    def finish(self, context: ImportContext) -> None:
        self._reset()  # free the auxiliary tables


def _table(
    path: Path, table: str, columns: tuple[str, ...], warnings: list[str] | None = None
) -> Iterator[Row]:
    return read_delimited(
        path,
        delimiter="\t",
        encodings=ENCODINGS,
        required_columns=columns,
        member_suffix=f"{table}.txt",
        # Each table is a zip of its own beside the one the engine checked.
        archive_limits=dataset_limits(CcewRegisterImporter.dataset),
        # The extract does not quote fields; a stray quote is part of a name.
        quoting=csv.QUOTE_NONE,
        warnings=warnings,
    )


def _organisation_number(data: dict[str, str]) -> int:
    value = text(data["organisation_number"])
    if not value.isdigit():
        raise RowRejected(f"{value!r} is not an organisation number", "organisation_number")
    return int(value)


def _legal_form(data: dict[str, str]) -> str:
    if text(data["charity_is_cio"]).casefold() == "true":
        return LEGAL_FORMS["cio"]
    charity_type = text(data["charity_type"])
    return LEGAL_FORMS.get(charity_type.casefold(), charity_type)
