"""The 360Giving validator on the standard's own edge cases: messages a publisher can act on,
naming the grant, the field and, in spreadsheets, the sheet, row and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from commonground.imports.engine import run_import
from commonground.imports.models import ImportStatus
from commonground.money.giving.importer import GrantsImporter
from commonground.money.giving.readers import validate_file
from commonground.money.models import MoneyFlow

EDGE = "grants/edge_cases"


def test_a_spreadsheet_problem_names_the_grant_sheet_row_column_and_what_to_write(
    shared_data: Path,
) -> None:
    report = validate_file(shared_data / EDGE / "badfile_all_validation_errors.xlsx")
    messages = [str(p) for p in report.problems]
    assert (
        "grant 360G-sampletrust-105177/Z/14/Z, sheet 'grants', row 2, column F (Award Date), "
        'field awardDate: "bad date" is not a date: write it as YYYY-MM-DD (for example '
        "2024-03-31)"
    ) in messages
    assert any("column E (Amount Awarded)" in m and '"number" expected' in m for m in messages)
    assert any("column D (Currency)" in m and "codelist" in m for m in messages)
    assert any("recipientOrganization/0: the required field 'id' is missing" in m for m in messages)


def test_the_json_version_of_the_same_file_reports_the_same_problems_by_field(
    shared_data: Path,
) -> None:
    report = validate_file(shared_data / EDGE / "badfile_all_validation_errors.json")
    fields = {p.field for p in report.problems}
    assert {"awardDate", "amountAwarded", "currency", "url", "title"} <= fields
    assert all(p.grant_id == "360G-sampletrust-105177/Z/14/Z" for p in report.problems)


def test_malformed_json_names_the_line_and_column(shared_data: Path) -> None:
    report = validate_file(shared_data / EDGE / "fundingproviders-grants_malformed.json")
    assert report.file_error.startswith(
        "fundingproviders-grants_malformed.json, row 10: the JSON is malformed at line 10, "
        "column 15"
    )


def test_a_file_that_is_not_a_workbook_says_how_to_fix_it(shared_data: Path) -> None:
    report = validate_file(shared_data / EDGE / "bad.xlsx")
    assert "not a readable Excel workbook" in report.file_error
    assert "Save it again" in report.file_error


def test_a_cp1252_csv_is_read_and_the_encoding_is_reported(shared_data: Path) -> None:
    report = validate_file(shared_data / EDGE / "fundingproviders-grants_2_grants_cp1252.csv")
    assert report.grants == 2
    assert any("Windows-1252" in note for note in report.notes)
    assert report.problems[0].grant_id.startswith("360G-<~>€funding€providers")
    # Day-first dates are not ISO dates: the publisher is told the form to use.
    assert any(p.column == "R (Award Date)" and "YYYY-MM-DD" in p.message for p in report.problems)


def test_a_csv_with_a_byte_order_mark_is_read_cleanly(shared_data: Path) -> None:
    report = validate_file(shared_data / EDGE / "bom.csv")
    assert report.grants == 1 and not report.file_error
    assert report.problems == []
    assert any("byte-order mark" in note for note in report.notes)


def test_duplicated_grants_are_reported_for_the_file(shared_data: Path) -> None:
    report = validate_file(shared_data / EDGE / "fundingproviders-grants_broken_grants.json")
    assert any(
        str(p) == "the file: the file holds two identical grants; publish each grant once"
        for p in report.problems
    )


def test_identifiers_with_line_breaks_are_reported(shared_data: Path) -> None:
    report = validate_file(shared_data / EDGE / "ids-unexpected-chars.xlsx")
    columns = {p.column for p in report.problems}
    assert {"A (Identifier)", "J (Recipient Org:Identifier)"} <= columns
    assert all("line breaks" in p.message for p in report.problems)


def test_nulls_are_reported_field_by_field(shared_data: Path) -> None:
    report = validate_file(shared_data / EDGE / "nulls.json")
    assert any(p.field == "amountAwarded" and "wrong type" in p.message for p in report.problems)


@pytest.mark.django_db
def test_day_first_award_dates_and_problems_in_unused_fields_do_not_refuse_grants(
    shared_data: Path,
) -> None:
    run = run_import(
        GrantsImporter("edge"), shared_data / EDGE / "fundingproviders_grants_2_grants.csv"
    )
    # The award dates are day-first (24/07/2014): read as such, with a warning.
    assert any("column R (Award Date)" in w and "read day-first" in w for w in run.warnings)
    # Problems in fields the ledger does not use are warnings, not rejections.
    assert any("column W (Last modified)" in w for w in run.warnings)
    # The first grant names a recipient without an identifier, which the ledger needs.
    assert run.status == ImportStatus.PARTIAL
    assert (run.rows_read, run.rows_loaded, run.rows_rejected) == (2, 1, 1)
    (rejected,) = run.rejected_rows.all()
    assert "recipientOrganization/0: the required field 'id' is missing" in rejected.reason


@pytest.mark.django_db
def test_a_malformed_file_loads_nothing(shared_data: Path) -> None:
    run = run_import(
        GrantsImporter("edge"), shared_data / EDGE / "fundingproviders-grants_malformed.json"
    )
    assert run.status == ImportStatus.FAILED
    assert "line 10, column 15" in run.error
    assert MoneyFlow.objects.count() == 0


@pytest.mark.django_db
def test_an_ocds_file_given_as_grants_is_refused_clearly(shared_data: Path) -> None:
    notice = next((shared_data / "contracts/contracts_finder").glob("*.json"))
    run = run_import(GrantsImporter("edge"), notice)
    assert run.status == ImportStatus.FAILED
    assert "Open Contracting (OCDS) file, not 360Giving" in run.error
