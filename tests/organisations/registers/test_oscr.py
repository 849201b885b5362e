"""The Scottish Charity Register download (OSCR) loads one organisation per charity, from the zip
OSCR serves or the CSV inside it. The rows are written here in OSCR's published column layout
(no copy of the register is available offline)."""

from __future__ import annotations

import csv
import zipfile
from datetime import date
from pathlib import Path

import pytest

from commonground.imports.engine import run_import
from commonground.imports.models import ImportStatus
from commonground.organisations.models import Organisation
from commonground.organisations.registers.oscr import OscrRegisterImporter

pytestmark = pytest.mark.django_db

HEADER = [
    "Charity Number",
    "Charity Name",
    "Registered Date",
    "Known As",
    "Charity Status",
    "Postcode",
    "Constitutional Form",
    "Previous Constitutional Form 1",
    "Geographical Spread",
    "Main Operating Location",
    "Purposes",
    "Beneficiaries",
    "Activities",
    "Objectives",
    "Principal Office/Trustees Address",
    "Website",
    "Most recent year income",
    "Most recent year expenditure",
    "Mailing cycle",
    "Year End",
    "Date annual return received",
    "Next year end date",
    "Donations and legacies income",
    "Charitable activities income",
    "Other trading activities income",
    "Investments income",
    "Other income",
    "Raising funds spending",
    "Charitable activities spending",
    "Other spending",
    "Parent charity name",
    "Parent charity number",
    "Parent charity country of registration",
    "Designated religious body",
    "Regulatory Type",
]


def oscr_row(**values: str) -> list[str]:
    row = dict.fromkeys(HEADER, "")
    row.update(
        {
            "Charity Number": "SC012345",
            "Charity Name": "Glen Community Trust",
            "Registered Date": "05/03/1998",
            "Known As": "The Glen Trust",
            "Charity Status": "Active",
            "Postcode": "pa34 4aa",
            "Constitutional Form": "SCIO (Scottish Charitable Incorporated Organisation)",
            "Purposes": "'The advancement of education','The relief of those in need by reason "
            "of age, ill health, disability, financial hardship or other disadvantage'",
            "Beneficiaries": "'Children or young people','Older people'",
            "Activities": "'It makes grants to individuals'",
            "Objectives": "Running the village hall and a lunch club for older people.",
            "Principal Office/Trustees Address": "Village Hall, Main Street, Oban",
            "Website": "https://glentrust.example.org",
            "Most recent year income": "48210",
            "Year End": "31/03/2024",
            "Regulatory Type": "Standard",
        }
    )
    row.update({k.replace("_", " "): v for k, v in values.items()})
    return [row[column] for column in HEADER]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def write_zip(path: Path, rows: list[list[str]]) -> Path:
    csv_path = write_csv(path.with_suffix(".csv"), rows)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(csv_path, "CharityExport-27-Nov-2026.csv")
    return path


def test_a_charity_row_becomes_an_organisation_with_its_register_facts(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "oscr_register.zip", [oscr_row()])

    run = run_import(OscrRegisterImporter(), path)

    assert (run.status, run.rows_loaded) == (ImportStatus.SUCCEEDED, 1)
    org = Organisation.objects.get()
    assert org.org_id == "GB-SC-SC012345"
    assert (org.name, org.sector, org.status) == ("Glen Community Trust", "charity", "active")
    assert org.legal_form == "Scottish charitable incorporated organisation (SCIO)"
    assert org.date_registered == date(1998, 3, 5)
    assert (org.address, org.postcode) == ("Village Hall, Main Street, Oban", "PA34 4AA")
    assert (org.latest_income_pence, org.latest_income_date) == (4_821_000, date(2024, 3, 31))
    assert org.activities.startswith("Running the village hall")
    assert list(org.other_names.values_list("name", flat=True)) == ["The Glen Trust"]
    facts = org.source_records.get().facts
    assert facts["classifications"] == [
        "What: The advancement of education",
        "What: The relief of those in need by reason of age, ill health, disability, "
        "financial hardship or other disadvantage",
        "Who: Children or young people",
        "Who: Older people",
        "How: It makes grants to individuals",
    ]


def test_the_csv_taken_out_of_the_zip_imports_the_same(tmp_path: Path) -> None:
    rows = [oscr_row(), oscr_row(Charity_Number="SC000001", Charity_Name="Second Charity")]
    run_import(OscrRegisterImporter(), write_zip(tmp_path / "oscr.zip", rows))

    second = run_import(OscrRegisterImporter(), write_csv(tmp_path / "oscr.csv", rows))

    assert (second.rows_loaded, second.rows_updated, second.rows_unchanged) == (0, 0, 2)
    assert Organisation.objects.count() == 2


def test_a_former_charity_is_removed_with_its_ceased_date(tmp_path: Path) -> None:
    header = [*HEADER, "Ceased Date", "Reason for Removal"]
    row = [*oscr_row(Charity_Status="Removed"), "14/06/2019 00:00", "Wound up"]

    run_import(OscrRegisterImporter(), write_csv(tmp_path / "former.csv", [row], header))

    org = Organisation.objects.get()
    assert (org.status, org.date_removed) == ("removed", date(2019, 6, 14))
    assert "removed" in org.sector_evidence[0]["rule"]


def test_placeholder_dates_and_withheld_postcodes_are_treated_as_missing(tmp_path: Path) -> None:
    row = oscr_row(Registered_Date="01/01/1970", Postcode="XX0 0XX")

    run_import(OscrRegisterImporter(), write_csv(tmp_path / "oscr.csv", [row]))

    org = Organisation.objects.get()
    assert (org.date_registered, org.postcode) == (None, "")


def test_bad_rows_are_reported_with_row_and_field(tmp_path: Path) -> None:
    rows = [
        oscr_row(),
        oscr_row(Charity_Number="12345"),
        oscr_row(Charity_Number="SC000002", Year_End="2024-13-01"),
        oscr_row(Charity_Number="SC000003", Most_recent_year_income="about 5k"),
        oscr_row(),
    ]

    run = run_import(OscrRegisterImporter(), write_csv(tmp_path / "oscr.csv", rows))

    rejected = {(r.row_number, r.field) for r in run.rejected_rows.all()}
    assert rejected == {
        (3, "Charity Number"),
        (4, "Year End"),
        (5, "Most recent year income"),
        (6, ""),  # the duplicate of row 2
    }
    assert "duplicate of row 2" in run.rejected_rows.get(row_number=6).reason
    assert Organisation.objects.count() == 1


def test_a_file_missing_a_column_loads_nothing_and_names_it(tmp_path: Path) -> None:
    header = [c for c in HEADER if c != "Charity Status"]
    row = [v for c, v in zip(HEADER, oscr_row(), strict=True) if c != "Charity Status"]

    run = run_import(OscrRegisterImporter(), write_csv(tmp_path / "oscr.csv", [row], header))

    assert run.status == ImportStatus.FAILED
    assert "oscr.csv" in run.error and "Charity Status" in run.error
    assert Organisation.objects.count() == 0


def test_a_truncated_zip_loads_nothing(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "oscr.zip", [oscr_row()])
    path.write_bytes(path.read_bytes()[:60])

    run = run_import(OscrRegisterImporter(), path)

    assert run.status == ImportStatus.FAILED
    assert "oscr.zip" in run.error and "truncated" in run.error


def test_importing_the_same_file_twice_changes_nothing(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "oscr.csv", [oscr_row()])
    run_import(OscrRegisterImporter(), path)

    second = run_import(OscrRegisterImporter(), path)

    assert (second.rows_loaded, second.rows_updated, second.rows_unchanged) == (0, 0, 1)


def test_a_zip_damaged_inside_its_compressed_data_is_named_as_a_corrupt_archive(
    tmp_path: Path,
) -> None:
    rows = [oscr_row(Charity_Number=f"SC{n:06d}", Charity_Name=f"Trust {n}") for n in range(2000)]
    path = write_zip(tmp_path / "oscr.zip", rows)
    damaged = bytearray(path.read_bytes())
    middle = len(damaged) // 2
    damaged[middle : middle + 50] = bytes(b ^ 0xFF for b in damaged[middle : middle + 50])
    path.write_bytes(bytes(damaged))

    run = run_import(OscrRegisterImporter(), path)

    assert run.status == ImportStatus.FAILED
    assert run.error.startswith("oscr.zip: the archive is corrupt")
    assert "download it again" in run.error
    assert Organisation.objects.count() == 0


def test_a_zip_holding_two_csv_files_is_refused_naming_both(tmp_path: Path) -> None:
    current = write_csv(tmp_path / "current.csv", [oscr_row()])
    former = write_csv(tmp_path / "former.csv", [oscr_row(Charity_Number="SC000002")])
    path = tmp_path / "oscr.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(current, "CharityExport.csv")
        archive.write(former, "FormerCharities.csv")

    run = run_import(OscrRegisterImporter(), path)

    assert run.status == ImportStatus.FAILED
    assert run.error.startswith("oscr.zip: the archive holds 2 CSV files")
    assert "CharityExport.csv" in run.error and "FormerCharities.csv" in run.error
    assert Organisation.objects.count() == 0
