"""360Giving spreadsheets with several items in a list (beneficiary locations, classifications,
funders, recipient locations): every item is read, as the standard's flattening numbers them,
and the grant is placed from all its beneficiary locations."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from commonground.imports.engine import run_import
from commonground.imports.models import ImportStatus
from commonground.money.giving.importer import GrantsImporter, beneficiary_places
from commonground.money.giving.readers import read_grants_file
from commonground.money.giving.schema import columns_for, grant_schema, unflatten
from commonground.money.models import MoneyFlow
from commonground.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db

BASE = {
    "Identifier": "360G-made-1",
    "Title": "Made grant",
    "Description": "A grant with several items in its lists",
    "Currency": "GBP",
    "Amount Awarded": "1000",
    "Award Date": "2024-05-01",
    "Recipient Org:Identifier": "GB-CHC-1109047",
    "Recipient Org:Name": "Age UK Trafford",
    "Funding Org:0:Identifier": "GB-LAE-TRF",
    "Funding Org:0:Name": "Trafford Council",
}


def _write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    headers = list(dict.fromkeys(h for row in rows for h in row))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, headers)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _write_xlsx(path: Path, rows: list[dict[str, Any]], sheet: str = "grants") -> Path:
    headers = list(dict.fromkeys(h for row in rows for h in row))
    book = Workbook()
    page = book.active
    assert page is not None
    page.title = sheet
    page.append(headers)
    for row in rows:
        page.append([row.get(h) for h in headers])
    book.save(path)
    return path


def test_numbered_items_become_list_items_in_number_order(tmp_path: Path) -> None:
    # The same grant flatten-tool (the standard's converter) makes from these columns.
    row = {
        **BASE,
        "Beneficiary Location:0:Name": "Altrincham",
        "Beneficiary Location:0:Geographic Code": "E05000819",
        "Beneficiary Location:1:Name": "Trafford",
        "Beneficiary Location:1:Geographic Code": "E08000009",
        "beneficiaryLocation/2/geoCode": "E01005932",
        "Classifications:3:Code": "c3",
        "Classifications:0:Code": "c0",
        "Classifications:10:Code": "c10",
        "Recipient Org:Location:0:Geographic Code": "E05000819",
        "Recipient Org:Location:1:Geographic Code": "E08000009",
        "Related Activity": "360G-a;360G-b",
    }

    grant = read_grants_file(_write_csv(tmp_path / "made.csv", [row])).grants[0]

    assert grant["beneficiaryLocation"] == [
        {"name": "Altrincham", "geoCode": "E05000819"},
        {"name": "Trafford", "geoCode": "E08000009"},
        {"geoCode": "E01005932"},
    ]
    assert grant["classifications"] == [{"code": "c0"}, {"code": "c3"}, {"code": "c10"}]
    assert grant["recipientOrganization"] == [
        {
            "id": "GB-CHC-1109047",
            "name": "Age UK Trafford",
            "location": [{"geoCode": "E05000819"}, {"geoCode": "E08000009"}],
        }
    ]
    assert grant["fundingOrganization"] == [{"id": "GB-LAE-TRF", "name": "Trafford Council"}]
    assert grant["relatedActivity"] == ["360G-a", "360G-b"]


def test_gaps_in_the_numbers_leave_no_empty_items(tmp_path: Path) -> None:
    rows = [
        {**BASE, "Beneficiary Location:1:Name": "only the second", "Classifications:2:Code": "x"},
        {
            **BASE,
            "Identifier": "360G-made-2",
            "Beneficiary Location:0:Name": "first",
            "Beneficiary Location:2:Name": "third",
        },
    ]

    grants = read_grants_file(_write_csv(tmp_path / "gaps.csv", rows)).grants

    assert grants[0]["beneficiaryLocation"] == [{"name": "only the second"}]
    assert grants[0]["classifications"] == [{"code": "x"}]
    assert grants[1]["beneficiaryLocation"] == [{"name": "first"}, {"name": "third"}]
    assert "classifications" not in grants[1]


def test_an_unnumbered_title_is_the_item_before_the_numbered_ones(tmp_path: Path) -> None:
    # As flatten-tool reads them: "Grant Programme:Title" and "Grant Programme:1:Title" are two
    # programmes, the unnumbered one first.
    row = {**BASE, "Grant Programme:1:Title": "Second", "Grant Programme:Title": "First"}

    grant = read_grants_file(_write_csv(tmp_path / "mixed.csv", [row])).grants[0]

    assert grant["grantProgramme"] == [{"title": "First"}, {"title": "Second"}]


def test_a_field_the_standard_lacks_stays_in_the_item_its_title_names(tmp_path: Path) -> None:
    row = {
        **BASE,
        "Beneficiary Location:1:Ward Note": "our own column",
        "Beneficiary Location:1:Name": "Sale",
        "Website: Notes": "kept at the top",
        "School / Building": "kept as written",
    }

    grant = read_grants_file(_write_csv(tmp_path / "extra.csv", [row])).grants[0]

    assert grant["beneficiaryLocation"] == [{"Ward Note": "our own column", "name": "Sale"}]
    assert grant["Website"] == {"Notes": "kept at the top"}
    assert grant["School / Building"] == "kept as written"


def test_a_problem_in_a_later_item_names_its_column(tmp_path: Path) -> None:
    row = {
        **BASE,
        "Beneficiary Location:0:Name": "Sale",
        "Beneficiary Location:4:Latitude": "north-ish",
    }

    report = read_grants_file(_write_csv(tmp_path / "bad.csv", [row])).report

    (problem,) = [p for p in report.problems if p.field.startswith("beneficiaryLocation")]
    assert problem.field == "beneficiaryLocation/1/latitude"
    assert problem.column == "L (Beneficiary Location:4:Latitude)"
    assert not problem.blocking


def test_columns_that_clash_are_reported_not_lost_silently(tmp_path: Path) -> None:
    row = {**BASE, "Website": "https://example.org", "Website:Notes": "clashes"}

    grants_file = read_grants_file(_write_csv(tmp_path / "clash.csv", [row]))

    assert grants_file.grants[0]["Website"] == "https://example.org"
    assert grants_file.report.notes == [
        "column L (Website:Notes) was not read (first in row 2): another column's title puts "
        "a different kind of value in the same place in the grant. Rename one of the two columns"
    ]


def test_an_xlsx_reads_the_same_lists_as_the_csv(tmp_path: Path) -> None:
    row = {
        **BASE,
        "Beneficiary Location:0:Geographic Code": "E05000819",
        "Beneficiary Location:1:Geographic Code": "E08000009",
        "Funding Org:1:Identifier": "GB-CHC-1159982",
        "Funding Org:1:Name": "Power to Change Trust",
        "Classifications:0:Vocabulary": "X",
        "Classifications:0:Code": "a",
        "Classifications:1:Vocabulary": "X",
        "Classifications:1:Code": "b",
    }
    xlsx_row: dict[str, Any] = {**row, "Amount Awarded": 1000}  # a number cell

    from_csv = read_grants_file(_write_csv(tmp_path / "made.csv", [row])).grants
    from_xlsx = read_grants_file(_write_xlsx(tmp_path / "made.xlsx", [xlsx_row])).grants

    assert from_xlsx == from_csv
    assert len(from_xlsx[0]["fundingOrganization"]) == 2
    assert len(from_xlsx[0]["classifications"]) == 2


TITLE_PARTS = st.sampled_from(
    ["Beneficiary Location", "Recipient Org", "Location", "Name", "Geographic Code", "Website",
     "Identifier", "Classifications", "Code", "Amount Awarded", "0", "1", "2", "12", "Notes"]
)  # fmt: skip


@given(
    headers=st.lists(
        st.lists(TITLE_PARTS, min_size=1, max_size=5).map(":".join), min_size=1, max_size=12
    ),
    values=st.lists(st.one_of(st.none(), st.text(max_size=3), st.integers()), max_size=12),
)
@settings(max_examples=300, deadline=None, derandomize=True)
def test_any_mix_of_titles_makes_a_grant_and_every_cell_can_be_found(
    headers: list[str], values: list[Any]
) -> None:
    grant, where, clashes = unflatten(columns_for(headers), values)

    for path, index in where.items():
        node: Any = grant
        for step in path:
            node = node[step]
        assert index not in clashes
        assert node is not None
    assert not any(isinstance(v, dict) and not v for v in grant.values())


# The ledger: the place of a grant from all its beneficiary locations ----------------------


def test_the_district_and_the_ward_come_from_whichever_locations_give_them() -> None:
    grant = {
        "beneficiaryLocation": [
            {"geoCode": "E01005932", "geoCodeType": "LSOA"},
            {"geoCode": "E05000819", "geoCodeType": "WD"},
            {"geoCode": "E08000009", "geoCodeType": "MD"},
            {"geoCode": "e05000820"},
            {"geoCode": "E08000003"},
            {"geoCode": "E08000009"},
            {"name": "no code"},
        ]
    }

    place, ward, codes = beneficiary_places(grant)

    assert (place, ward) == ("E08000009", "E05000819")  # the first of each, as listed
    assert codes == ["E01005932", "E05000819", "E08000009", "E05000820", "E08000003"]


@pytest.fixture
def trafford_places() -> dict[str, Place]:
    trafford = Place.objects.create(
        gss_code="E08000009", name="Trafford", kind=PlaceKind.LOCAL_AUTHORITY
    )
    return {
        "E08000009": trafford,
        "E05000819": Place.objects.create(
            gss_code="E05000819", name="Altrincham", kind=PlaceKind.WARD, parent=trafford
        ),
    }


def test_a_spreadsheet_grant_is_placed_by_a_later_location(
    tmp_path: Path, trafford_places: dict[str, Place]
) -> None:
    rows = [
        {
            **BASE,
            "Beneficiary Location:0:Name": "An LSOA",
            "Beneficiary Location:0:Geographic Code": "E01005932",
            "Beneficiary Location:1:Name": "Altrincham",
            "Beneficiary Location:1:Geographic Code": "E05000819",
        },
        {
            **BASE,
            "Identifier": "360G-made-2",
            "Beneficiary Location:0:Geographic Code": "E01005932",
        },
    ]

    run = run_import(GrantsImporter("made_grants"), _write_csv(tmp_path / "placed.csv", rows))

    assert run.status == ImportStatus.SUCCEEDED, run.error
    placed = MoneyFlow.objects.get(record_key="360G-made-1")
    assert placed.ward == trafford_places["E05000819"]
    assert placed.place == trafford_places["E08000009"]  # the ward's district
    assert placed.attributes["beneficiary_codes"] == ["E01005932", "E05000819"]
    assert placed.raw["beneficiaryLocation"][1] == {"name": "Altrincham", "geoCode": "E05000819"}
    one_code = MoneyFlow.objects.get(record_key="360G-made-2")
    assert "beneficiary_codes" not in one_code.attributes


def test_a_file_naming_several_funders_says_the_first_is_the_payer(tmp_path: Path) -> None:
    row = {**BASE, "Funding Org:1:Identifier": "GB-CHC-1159982", "Funding Org:1:Name": "PTC"}

    run = run_import(GrantsImporter("made_grants"), _write_csv(tmp_path / "cofunded.csv", [row]))

    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert MoneyFlow.objects.get().payer_name == "Trafford Council"
    assert any("1 grants name more than one funder" in w for w in run.warnings)
    assert [f["name"] for f in MoneyFlow.objects.get().raw["fundingOrganization"]] == [
        "Trafford Council",
        "PTC",
    ]


# Real grants flattened with numbered items ---------------------------------------------


def _titles() -> dict[str, Any]:
    """Field name -> (title, sub-fields) for the grant schema, read straight from it."""
    schema = grant_schema()

    def resolve(node: dict[str, Any]) -> dict[str, Any]:
        ref = node.get("$ref", "")
        return schema["$defs"][ref.split("/")[-1]] if ref else node

    def fields(node: dict[str, Any]) -> dict[str, Any]:
        found = {}
        for name, child in node.get("properties", {}).items():
            child = resolve(child)
            if "items" in child:
                child = {**resolve(child["items"]), "title": child.get("title")}
            found[name] = (child.get("title") or name, fields(child))
        return found

    return fields(schema)


def _flatten(grant: dict[str, Any], titles: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A grant as one spreadsheet row, numbering every item of a list of objects except the
    recipient's (its titles left unnumbered, the common single-item form)."""
    row: dict[str, Any] = {}
    for name, value in grant.items():
        title, sub = titles.get(name, (name, {}))
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for position, item in enumerate(value):
                number = "" if name == "recipientOrganization" else f"{position}:"
                row.update(_flatten(item, sub, f"{prefix}{title}:{number}"))
        elif isinstance(value, list):
            row[f"{prefix}{title}"] = ";".join(value)
        elif isinstance(value, dict):
            row.update(_flatten(value, sub, f"{prefix}{title}:"))
        else:
            row[f"{prefix}{title}"] = value
    return row


def _facts() -> list[tuple[Any, ...]]:
    return list(
        MoneyFlow.objects.order_by("record_key").values_list(
            "record_key", "amount_pence", "date", "payer_key", "recipient_key",
            "recipient_identifiers", "category", "place_id", "ward_id", "attributes", "raw",
            "checksum",
        )
    )  # fmt: skip


def test_power_to_change_with_several_locations_imports_the_same_from_xlsx_and_json(
    shared_data: Path, tmp_path: Path
) -> None:
    # The real grants, each given its recipient's ward and district (real codes from the same
    # file) as second and third beneficiary locations, and two of them a second funder.
    package = json.loads(
        (shared_data / "grants/power_to_change_community_business_grants.json").read_text()
    )
    grants = package["grants"]
    placed = [g for g in grants if g.get("recipientWardNameGeoCode")]
    assert len(placed) == 834
    for position, grant in enumerate(placed):
        grant["beneficiaryLocation"] += [
            {"geoCode": grant["recipientWardNameGeoCode"], "name": grant["recipientWardName"]},
            {"geoCode": grant["recipientDistrictGeoCode"], "geoCodeType": "LAD"},
        ]
        if position < 2:
            grant["fundingOrganization"].append({"id": "GB-LAE-TRF", "name": "Trafford Council"})
    as_json = tmp_path / "ptc.json"
    as_json.write_text(json.dumps(package))
    titles = _titles()
    as_xlsx = _write_xlsx(tmp_path / "ptc.xlsx", [_flatten(g, titles) for g in grants])
    assert "Beneficiary Location:2:Geographic Code" in _flatten(placed[0], titles)

    run = run_import(GrantsImporter("ptc"), as_xlsx)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_loaded, run.rows_rejected) == (870, 0)
    from_xlsx = _facts()
    MoneyFlow.objects.all().delete()
    run = run_import(GrantsImporter("ptc"), as_json)
    assert run.status == ImportStatus.SUCCEEDED, run.error

    assert _facts() == from_xlsx
    flows = {f.record_key: f for f in MoneyFlow.objects.all()}
    for grant in placed:
        flow = flows[grant["id"]]
        assert len(flow.raw["beneficiaryLocation"]) == 3
        assert flow.attributes["beneficiary_codes"][-2:] == [
            grant["recipientWardNameGeoCode"],
            grant["recipientDistrictGeoCode"],
        ]
    assert len(flows[placed[0]["id"]].raw["fundingOrganization"]) == 2
    assert any("2 grants name more than one funder" in w for w in run.warnings)


def test_items_on_a_sheet_of_their_own_follow_those_on_the_grants_sheet(tmp_path: Path) -> None:
    # The standard's other form: one row an item, joined to the grant by its Identifier (more
    # in test_giving_sheets).
    row = {**BASE, "Amount Awarded": 1000, "Beneficiary Location:Name": "Altrincham"}
    path = _write_xlsx(tmp_path / "two_sheets.xlsx", [row])
    book = load_workbook(path)
    locations = book.create_sheet("Beneficiary Location")
    locations.append(["Identifier", "Beneficiary Location:Name"])
    locations.append(["360G-made-1", "Sale"])
    book.create_sheet("Read me").append(["Written by hand"])
    book.save(path)

    grants_file = read_grants_file(path)

    assert [g["id"] for g in grants_file.grants] == ["360G-made-1"]
    assert grants_file.grants[0]["beneficiaryLocation"] == [
        {"name": "Altrincham"},
        {"name": "Sale"},
    ]
    assert grants_file.report.notes == [
        "sheet 'Read me' was not read: it has no 'Identifier' column, so its rows cannot be "
        "joined to grants"
    ]
