"""360Giving workbooks in the standard's multi-sheet form: further items of a grant's lists on
sheets of their own, one row an item, joined to the grant by its Identifier. Built from the real
A B Charitable Trust workbook, whose official JSON is the expected result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from commonground.imports.engine import run_import
from commonground.imports.models import ImportStatus
from commonground.money.giving.importer import GrantsImporter
from commonground.money.giving.readers import read_grants_file, validate_file
from commonground.money.models import MoneyFlow
from tests.money.factories import flow_facts

pytestmark = pytest.mark.django_db

DATASET = "ab_charitable_trust_grants"
GRANTS = "ABCT data - Jan 2013 - Aug 2020"  # the real workbook's sheet of grants


def _real_rows(shared_data: Path) -> tuple[list[str], list[dict[str, Any]]]:
    book = load_workbook(shared_data / "grants/ab_charitable_trust_grants.xlsx")
    rows = list(book[GRANTS].iter_rows(values_only=True))
    headers = [str(h) for h in rows[0]]
    return headers, [dict(zip(headers, row, strict=True)) for row in rows[1:]]


def _workbook(
    path: Path,
    headers: list[str],
    grants: list[dict[str, Any]],
    sheets: dict[str, tuple[list[str], list[list[Any]]]],
) -> Path:
    """The grants on the first sheet (only the given columns), then each further sheet."""
    book = Workbook()
    page = book.active
    assert page is not None
    page.title = GRANTS
    page.append(headers)
    for grant in grants:
        page.append([grant[h] for h in headers])
    for title, (columns, rows) in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append(columns)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


MOVED = {
    "Beneficiary Location:Name",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "Funding Org:Name",
    "Funding Org:Identifier",
}


def _lists_on_their_own_sheets(shared_data: Path, path: Path) -> Path:
    """The real workbook with the beneficiary locations, programmes and funders each moved to a
    sheet of their own (the programmes in the path form), rows in reverse order of the grants."""
    headers, grants = _real_rows(shared_data)
    backwards = grants[::-1]
    return _workbook(
        path,
        [h for h in headers if h not in MOVED],
        grants,
        {
            "Beneficiary Location": (
                ["Identifier", "Beneficiary Location:Name"],
                [
                    [g["Identifier"], g["Beneficiary Location:Name"]]
                    for g in backwards
                    if g["Beneficiary Location:Name"]
                ],
            ),
            "grantProgramme": (
                ["id", "grantProgramme/0/code", "grantProgramme/0/title"],
                [
                    [g["Identifier"], g["Grant Programme:Code"], g["Grant Programme:Title"]]
                    for g in backwards
                ],
            ),
            "Funding Org": (
                ["Funding Org:Name", "Identifier", "Funding Org:Identifier"],
                [
                    [g["Funding Org:Name"], g["Identifier"], g["Funding Org:Identifier"]]
                    for g in backwards
                ],
            ),
        },
    )


def _raw() -> dict[str, Any]:
    return dict(MoneyFlow.objects.filter(dataset=DATASET).values_list("record_key", "raw"))


def test_lists_on_sheets_of_their_own_import_to_the_same_grants_as_the_json(
    shared_data: Path, tmp_path: Path
) -> None:
    workbook = _lists_on_their_own_sheets(shared_data, tmp_path / "abct_sheets.xlsx")

    run = run_import(GrantsImporter(DATASET), workbook)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_loaded, run.rows_rejected) == (783, 0)
    assert not [w for w in run.warnings if "sheet" in w]
    from_sheets, raw_sheets = flow_facts(DATASET), _raw()
    MoneyFlow.objects.all().delete()
    run = run_import(
        GrantsImporter(DATASET), shared_data / "grants/ab_charitable_trust_grants.json"
    )
    assert run.status == ImportStatus.SUCCEEDED, run.error

    assert flow_facts(DATASET) == from_sheets
    assert _raw() == raw_sheets  # every field, as the official conversion has it


def test_importing_the_same_workbook_again_changes_nothing(
    shared_data: Path, tmp_path: Path
) -> None:
    workbook = _lists_on_their_own_sheets(shared_data, tmp_path / "abct_sheets.xlsx")
    run_import(GrantsImporter(DATASET), workbook)
    before = flow_facts(DATASET)

    run = run_import(GrantsImporter(DATASET), workbook)

    assert run.status == ImportStatus.UNCHANGED, run.error
    assert (run.rows_loaded, run.rows_updated, run.rows_unchanged) == (0, 0, 783)
    assert flow_facts(DATASET) == before


def test_items_follow_those_on_the_grants_sheet_in_sheet_and_row_order(
    shared_data: Path, tmp_path: Path
) -> None:
    headers, grants = _real_rows(shared_data)
    first, second = grants[0]["Identifier"], grants[1]["Identifier"]
    recipient = grants[0]["Recipient Org:Identifier"]
    path = _workbook(
        tmp_path / "ordered.xlsx",
        headers,
        grants[:2],
        {
            "Places": (
                ["Identifier", "Beneficiary Location:Geographic Code"],
                [[first, "E08000009"], [second, "E92000001"], [first, "E05000819"]],
            ),
            "More places": (
                ["Identifier", "beneficiaryLocation/0/name", "beneficiaryLocation/1/name"],
                [[first, "Sale", "Altrincham"]],
            ),
            # The recipient named by its identifier: its locations are added to it.
            "Recipient locations": (
                ["Identifier", "Recipient Org:Identifier", "Recipient Org:Location:Name"],
                [[first, recipient, "Camden"], [first, recipient, "Westminster"]],
            ),
        },
    )

    grants_file = read_grants_file(path)

    grant = grants_file.grants[0]
    assert grant["beneficiaryLocation"] == [
        {"name": grants[0]["Beneficiary Location:Name"]},
        {"geoCode": "E08000009"},
        {"geoCode": "E05000819"},
        {"name": "Sale"},
        {"name": "Altrincham"},
    ]
    assert grants_file.grants[1]["beneficiaryLocation"][1:] == [{"geoCode": "E92000001"}]
    (organisation,) = grant["recipientOrganization"]
    assert organisation["name"] == grants[0]["Recipient Org:Name"]
    assert organisation["location"] == [{"name": "Camden"}, {"name": "Westminster"}]
    assert grants_file.report.notes == []


def test_a_row_for_no_grant_fails_the_import_naming_its_sheet_and_row(
    shared_data: Path, tmp_path: Path
) -> None:
    headers, grants = _real_rows(shared_data)
    path = _workbook(
        tmp_path / "orphan.xlsx",
        headers,
        grants,
        {
            "Beneficiary Location": (
                ["Identifier", "Beneficiary Location:Name"],
                [
                    [grants[0]["Identifier"], "Sale"],
                    ["360G-ABCT-no-such-grant", "Altrincham"],
                    [None, "Stretford"],
                ],
            )
        },
    )

    run = run_import(GrantsImporter(DATASET), path)

    assert run.status == ImportStatus.FAILED
    assert run.error == (
        "orphan.xlsx: 2 problems joining the further sheets to the grants on sheet "
        f"'{GRANTS}', so nothing was loaded: sheet 'Beneficiary Location', row 3, column A "
        '(Identifier): "360G-ABCT-no-such-grant" is not the Identifier of any grant on sheet '
        f"'{GRANTS}', so the row's items belong to no grant. Check the Identifier, or add the "
        "grant; sheet 'Beneficiary Location', row 4: there is no Identifier, so the row cannot "
        "be joined to a grant. Give the Identifier of the grant the row's items belong to"
    )
    assert MoneyFlow.objects.count() == 0
    assert validate_file(path).file_error == run.error


def test_a_grant_field_on_a_further_sheet_is_refused_naming_the_column(
    shared_data: Path, tmp_path: Path
) -> None:
    # Two sheets of grants: the second cannot be joined as items, and is not dropped silently.
    headers, grants = _real_rows(shared_data)
    path = _workbook(
        tmp_path / "two_grant_sheets.xlsx",
        headers,
        grants[:5],
        {"2020": (headers, [[g[h] for h in headers] for g in grants[5:]])},
    )

    run = run_import(GrantsImporter(DATASET), path)

    assert run.status == ImportStatus.FAILED
    assert (
        "sheet '2020', columns B (Title), C (Description), D (Website: Decision Notes), "
        "E (Website: Project Detail), G (Award Date) and 6 more: not part of an item of a list. "
        f"A sheet after the grants sheet ('{GRANTS}') may hold only further items"
    ) in run.error
    assert MoneyFlow.objects.count() == 0


def test_an_item_that_disagrees_with_the_one_it_names_is_refused(
    shared_data: Path, tmp_path: Path
) -> None:
    headers, grants = _real_rows(shared_data)
    grant = grants[0]
    path = _workbook(
        tmp_path / "disagrees.xlsx",
        headers,
        grants[:1],
        {
            "Recipient Org": (
                ["Identifier", "Recipient Org:Identifier", "Recipient Org:Name"],
                [[grant["Identifier"], grant["Recipient Org:Identifier"], "Another name"]],
            )
        },
    )

    report = validate_file(path)

    assert (
        "sheet 'Recipient Org', row 2, column C (Recipient Org:Name): \"Another name\" differs "
        f'from "{grant["Recipient Org:Name"]}", which the grant already has for '
        "recipientOrganization/0/name"
    ) in report.file_error


def test_a_bad_value_on_a_further_sheet_is_reported_by_that_sheet_row_and_column(
    shared_data: Path, tmp_path: Path
) -> None:
    headers, grants = _real_rows(shared_data)
    first, second = grants[0]["Identifier"], grants[1]["Identifier"]
    path = _workbook(
        tmp_path / "bad_value.xlsx",
        [h for h in headers if not h.startswith("Funding Org:")],
        grants[:3],
        {
            "Beneficiary Location": (
                ["Identifier", "Beneficiary Location:Name", "Beneficiary Location:Latitude"],
                [[second, "Sale", 53.4], [first, "Altrincham", "north-ish"]],
            ),
            "Funding Org": (
                ["Identifier", "Funding Org:Identifier", "Funding Org:Name"],
                [
                    [g["Identifier"], g["Funding Org:Identifier"], g["Funding Org:Name"]]
                    for g in grants[:3]
                ]
                + [[second, "GB-CHC-\n1159982", "A co-funder"], [second, None, "No id"]],
            ),
        },
    )

    report = validate_file(path)
    run = run_import(GrantsImporter(DATASET), path)

    messages = [str(p) for p in report.problems]
    latitude = (
        f"grant {first}, sheet 'Beneficiary Location', row 3, column C (Beneficiary "
        'Location:Latitude), field beneficiaryLocation/1/latitude: "north-ish" is the wrong '
        "type"
    )
    assert any(m.startswith(latitude) for m in messages)
    funder = (
        f"grant {second}, sheet 'Funding Org', row 5, column B (Funding Org:Identifier), field "
        'fundingOrganization/1/id: "GB-CHC-\\n1159982" has spaces or line breaks in it'
    )
    assert any(m.startswith(funder) for m in messages)
    # A field missing from an item has no cell: its row is named.
    assert (
        f"grant {second}, sheet 'Funding Org', row 6, field fundingOrganization/2: the required "
        "field 'id' is missing"
    ) in messages
    # The latitude is not used by the ledger: a warning, the grant loaded. The funder's
    # identifier is: that grant is rejected, with the same place named.
    assert run.status == ImportStatus.PARTIAL, run.error
    assert (run.rows_loaded, run.rows_rejected) == (2, 1)
    assert any(latitude in w for w in run.warnings)
    (rejected,) = run.rejected_rows.all()
    assert funder in rejected.reason
    flow = MoneyFlow.objects.get(record_key=first)
    assert flow.raw["beneficiaryLocation"][1] == {"name": "Altrincham", "latitude": "north-ish"}
