"""The FCA Mutuals Public Register download: each society becomes an organisation identified by
GB-MPR-<number>, of the co-operative and mutual sector whatever kind of society it is; its status,
dates and address are kept; and broken files are refused or reported by file, row and field.

No copy of the register is held (its licence is closed): the rows here are made up, in the
register's published column layout."""

from __future__ import annotations

import csv
import zipfile
from datetime import date
from pathlib import Path

import pytest

from commonground.imports.engine import run_import
from commonground.imports.models import ImportStatus
from commonground.organisations.models import IdentifierLink, Organisation
from commonground.organisations.records import OrganisationRecord, SectorClaim
from commonground.organisations.registers.fca_mutuals import FcaMutualsImporter
from commonground.organisations.services import organisations_upsert

pytestmark = pytest.mark.django_db

HEADER = [
    "Society Number",
    "Society Suffix",
    "Full Registation Number",  # sic: the register's spelling
    "Society Name",
    "Registered As",
    "Society Address",
    "Registration Date",
    "Deregistration Date",
    "Registration Act",
    "Standard Industrial Classification Code (SIC)",
    "Reporting Classification",
    "Society Status",
]
ROWS = [
    [
        "28116",
        "R",
        "28116R",
        "West Tytherley Village Store Association Limited",
        "Community Benefit Society",
        "The Shop, West Tytherley, Salisbury, SP5 1JY",
        "12/03/1999",
        "",
        "Co-operative and Community Benefit Societies Act 2014",
        "47110 - Retail sale in non-specialised stores",
        "",
        "Registered",
    ],
    [
        "149",
        "C",
        "149C",
        "Unify Credit Union Limited",
        "Credit Union",
        "1 Market Street, Wigan WN2 5EW",
        "01/06/1983",
        "",
        "Credit Unions Act 1979",
        "",
        "",
        "Registered",
    ],
    [
        "1",
        "B",
        "1B",
        "Example Building Society",
        "Building Society",
        "2 Bank Street, Sale, M33 7ZZ",
        "01/01/1900",
        "",
        "Building Societies Act 1986",
        "",
        "",
        "Registered",
    ],
    [
        "77",
        "F",
        "77F",
        "Example Friendly Society",
        "Friendly Society",
        "Somewhere",
        "05/05/1950",
        "31/12/2010",
        "Friendly Societies Act 1974",
        "",
        "",
        "Deregistered",
    ],
    [
        "7269",
        "",
        "7269",
        "Windfall Community Development Society Limited",
        "Co-operative Society",
        "3 Mill Lane, Leeds, LS1 1AA",
        "20/09/2016",
        "",
        "Co-operative and Community Benefit Societies Act 2014",
        "",
        "",
        "Registered",
    ],
]


def write(
    path: Path, rows: list[list[str]], header: list[str] = HEADER, encoding: str = "utf-8"
) -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_each_society_becomes_a_co_operative_or_mutual_organisation(tmp_path: Path) -> None:
    run = run_import(FcaMutualsImporter(), write(tmp_path / "SocietyList.csv", ROWS))

    assert run.status == ImportStatus.SUCCEEDED
    assert (run.rows_read, run.rows_loaded, run.rows_rejected) == (5, 5, 0)
    assert set(Organisation.objects.values_list("org_id", flat=True)) == {
        "GB-MPR-28116R",
        "GB-MPR-149C",
        "GB-MPR-1B",
        "GB-MPR-77F",
        "GB-MPR-7269",
    }
    assert set(Organisation.objects.values_list("sector", flat=True)) == {"cooperative_mutual"}
    union = Organisation.objects.get(org_id="GB-MPR-149C")
    assert union.legal_form == "Credit Union"
    assert union.sector_evidence[0]["field"] == "Registered As"
    assert "Credit Unions Act 1979" in union.sector_evidence[0]["rule"]


def test_status_dates_address_and_postcode_are_kept(tmp_path: Path) -> None:
    run_import(FcaMutualsImporter(), write(tmp_path / "SocietyList.csv", ROWS))

    shop = Organisation.objects.get(org_id="GB-MPR-28116R")
    assert (shop.status, shop.date_registered) == ("active", date(1999, 3, 12))
    assert (shop.address, shop.postcode) == ("The Shop, West Tytherley, Salisbury", "SP5 1JY")
    assert shop.activities.startswith("47110")
    friendly = Organisation.objects.get(org_id="GB-MPR-77F")
    assert (friendly.status, friendly.date_removed) == ("removed", date(2010, 12, 31))
    assert (friendly.address, friendly.postcode) == ("Somewhere", "")
    assert Organisation.objects.get(org_id="GB-MPR-149C").postcode == "WN2 5EW"


def test_the_corrected_column_spelling_and_a_zip_free_cp1252_file_are_accepted(
    tmp_path: Path,
) -> None:
    header = [("Full Registration Number" if h == "Full Registation Number" else h) for h in HEADER]
    rows = [list(r) for r in ROWS]
    rows[0][3] = "Café Society Limited"
    path = write(tmp_path / "SocietyList.csv", rows, header, encoding="cp1252")

    run = run_import(FcaMutualsImporter(), path)

    assert run.rows_loaded == 5
    assert Organisation.objects.filter(name="Café Society Limited").exists()


def test_a_society_joins_its_company_record_through_the_published_link(tmp_path: Path) -> None:
    IdentifierLink.objects.create(
        org_id_a="GB-MPR-7269", org_id_b="GB-COH-RS007269", dataset="links_mutual_company"
    )
    organisations_upsert(
        [
            OrganisationRecord(
                dataset="companies_house",
                record_key="RS007269",
                raw={},
                identifiers=["GB-COH-RS007269"],
                name="WINDFALL COMMUNITY DEVELOPMENT SOCIETY LIMITED",
                priority=20,
                sector_claims=[
                    SectorClaim("cooperative_mutual", "CompanyCategory", "Registered Society", "r")
                ],
            )
        ],
        None,
    )

    run_import(FcaMutualsImporter(), write(tmp_path / "SocietyList.csv", ROWS))

    org = Organisation.objects.get(identifiers__value="GB-COH-RS007269")
    assert set(org.identifiers.values_list("value", flat=True)) == {
        "GB-COH-RS007269",
        "GB-MPR-7269",
    }
    assert org.name == "Windfall Community Development Society Limited"  # the register wins
    assert Organisation.objects.count() == 5


def test_importing_twice_changes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path / "SocietyList.csv", ROWS)
    run_import(FcaMutualsImporter(), path)

    second = run_import(FcaMutualsImporter(), path)

    assert (second.rows_loaded, second.rows_updated, second.rows_unchanged) == (0, 0, 5)


def test_bad_rows_are_reported_by_row_and_field(tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[0][6] = "1999-13-45"
    rows[1][2] = "no/number"
    rows[2][3] = ""
    rows.append(["1"])  # a cut-off row
    rows.append(list(ROWS[4]))  # a duplicate
    path = write(tmp_path / "SocietyList.csv", rows)

    run = run_import(FcaMutualsImporter(), path)

    found = {(r.row_number, r.field) for r in run.rejected_rows.all()}
    assert found == {
        (2, "Registration Date"),
        (3, "Full Registration Number"),
        (4, "Society Name"),
        (7, ""),
        (8, ""),
    }
    assert run.rows_loaded == 2


def test_a_strict_import_of_a_bad_file_loads_nothing(tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[-1][7] = "yesterday"
    run = run_import(FcaMutualsImporter(), write(tmp_path / "SocietyList.csv", rows), strict=True)

    assert run.status == ImportStatus.FAILED
    assert "SocietyList.csv, row 6, field 'Deregistration Date'" in run.error
    assert Organisation.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"Society Name,Society Status\nA,Registered\n", "Full Registration Number"),
        (b"PK\x03\x04" + b"\x00" * 50, "binary"),
        (b"\xef\xbb\xbf" + b"Society Name\n", "missing required column"),
        (
            "\n".join([",".join(HEADER), "x\xff"]).encode("latin-1").replace(b"\xff", b"\x81"),
            "cannot be decoded",
        ),
    ],
)
def test_files_that_are_not_the_register_are_refused(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "SocietyList.csv"
    path.write_bytes(content)

    run = run_import(FcaMutualsImporter(), path)

    assert run.status == ImportStatus.FAILED
    assert "SocietyList.csv" in run.error and message in run.error
    assert Organisation.objects.count() == 0


def test_a_zip_given_as_the_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "SocietyList.csv"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("SocietyList.csv", "x")

    run = run_import(FcaMutualsImporter(), path)

    assert run.status == ImportStatus.FAILED
    assert "binary" in run.error
