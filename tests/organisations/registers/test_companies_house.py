"""Companies House basic company data: the social-economy companies load (or every company, when
asked), sector evidence comes from the company category only, the large-file (DuckDB) path loads
exactly what the plain path loads, and broken files are refused or reported by file, row, field."""

from __future__ import annotations

import csv
import zipfile
from datetime import date
from pathlib import Path

import pytest

from commonground.imports.engine import run_import
from commonground.imports.models import ImportStatus
from commonground.organisations.models import Organisation, SourceRecord
from commonground.organisations.registers.companies_house import CompaniesHouseImporter

pytestmark = pytest.mark.django_db

SAMPLE_ROWS = 87
PRIVATE_LIMITED = 10  # the sample's private limited companies: not social economy


@pytest.fixture
def sample(shared_data: Path) -> Path:
    return shared_data / "registers" / "companies_house_basic_company_data_sample.csv"


def fast() -> CompaniesHouseImporter:
    """The importer with the DuckDB path used whatever the file's size."""
    importer = CompaniesHouseImporter()
    importer.fast_path_min_bytes = 0  # type: ignore[misc]
    return importer


def read_sample(sample: Path) -> tuple[list[str], list[list[str]]]:
    with open(sample, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, list(reader)


def write(path: Path, header: list[str], rows: list[list[str]], **kwargs: object) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, **kwargs)  # type: ignore[arg-type]
        writer.writerow(header)
        writer.writerows(rows)
    return path


def snapshot() -> list[tuple]:
    return sorted(
        Organisation.objects.values_list(
            "org_id",
            "name",
            "sector",
            "legal_form",
            "status",
            "date_registered",
            "postcode",
            "address",
            "activities",
        )
    )


def test_only_social_economy_companies_load_by_default_and_the_rest_are_skipped(
    sample: Path,
) -> None:
    run = run_import(CompaniesHouseImporter(), sample)

    assert run.status == ImportStatus.SUCCEEDED
    assert (run.rows_read, run.rows_loaded, run.rows_skipped, run.rows_rejected) == (
        SAMPLE_ROWS,
        SAMPLE_ROWS - PRIVATE_LIMITED,
        PRIVATE_LIMITED,
        0,
    )
    assert not Organisation.objects.filter(legal_form="Private Limited Company").exists()


def test_all_companies_loads_every_company(sample: Path) -> None:
    run = run_import(CompaniesHouseImporter(all_companies=True), sample)

    assert (run.rows_loaded, run.rows_skipped) == (SAMPLE_ROWS, 0)
    private = Organisation.objects.get(org_id="GB-COH-11990344")
    assert private.sector == "private_business"
    assert private.sector_evidence[0]["value"] == "Private Limited Company"


@pytest.mark.parametrize(
    ("org_id", "sector"),
    [
        ("GB-COH-11501421", "social_enterprise"),  # Community Interest Company
        ("GB-COH-IP28116R", "cooperative_mutual"),  # Registered Society
        ("GB-COH-NO000171", "cooperative_mutual"),  # Industrial and Provident Society
        ("GB-COH-CE001178", "charity"),  # CIO
        ("GB-COH-CS002251", "charity"),  # SCIO
        ("GB-COH-08089376", "unknown"),  # PRI/LBG/NSC guarantee company
        ("GB-COH-05483395", "unknown"),  # PRI/LTD BY GUAR/NSC guarantee company
        ("GB-COH-RC000634", "unknown"),  # Royal Charter Company
    ],
)
def test_sector_comes_from_the_company_category_alone(
    sample: Path, org_id: str, sector: str
) -> None:
    run_import(CompaniesHouseImporter(), sample)

    org = Organisation.objects.get(org_id=org_id)
    assert org.sector == sector
    assert org.legal_form  # the category is kept as the legal form
    assert all(e["field"] == "CompanyCategory" for e in org.sector_evidence)


def test_a_company_keeps_its_dates_address_activities_and_status(sample: Path) -> None:
    run_import(CompaniesHouseImporter(all_companies=True), sample)

    org = Organisation.objects.get(org_id="GB-COH-SC365840")
    assert org.name == "ZION...A STAR IS BORN LTD"
    assert org.date_registered == date(2009, 9, 22)
    assert org.status == "active"
    assert org.postcode == "EH48 2QD"
    assert org.address == "CHISONYEZO 51 MALLACE AVENUE, ARMADALE, BATHGATE, WEST LOTHIAN"
    assert "47710 - Retail sale of clothing" in org.activities
    assert "70229" in org.activities
    assert org.identifiers.get().value == "GB-COH-SC365840"


def test_previous_names_become_other_names(sample: Path, tmp_path: Path) -> None:
    header, rows = read_sample(sample)
    names = [h.strip() for h in header]
    rows[0][names.index("PreviousName_1.CompanyName")] = "UNIQ FINANCE OLD NAME LTD"
    rows[0][names.index("PreviousName_1.CONDATE")] = "01/01/2019"
    path = write(tmp_path / "basic.csv", header, rows)

    run_import(CompaniesHouseImporter(all_companies=True), path)

    org = Organisation.objects.get(org_id="GB-COH-11990344")
    assert list(org.other_names.values_list("name", flat=True)) == ["UNIQ FINANCE OLD NAME LTD"]


def test_a_dissolved_company_is_dissolved_with_its_date(sample: Path, tmp_path: Path) -> None:
    header, rows = read_sample(sample)
    names = [h.strip() for h in header]
    cic = next(r for r in rows if r[names.index("CompanyNumber")] == "11501421")
    cic[names.index("CompanyStatus")] = "Dissolved"
    cic[names.index("DissolutionDate")] = "02/03/2021"
    path = write(tmp_path / "basic.csv", header, rows)

    run_import(CompaniesHouseImporter(), path)

    org = Organisation.objects.get(org_id="GB-COH-11501421")
    assert (org.status, org.date_removed) == ("dissolved", date(2021, 3, 2))


def test_the_large_file_path_loads_exactly_what_the_plain_path_loads(sample: Path) -> None:
    plain = run_import(CompaniesHouseImporter(), sample)
    plain_result = snapshot()
    plain_rows = sorted(SourceRecord.objects.values_list("record_key", "row_number", "checksum"))
    Organisation.objects.all().delete()

    quick = run_import(fast(), sample)

    assert (quick.rows_read, quick.rows_loaded, quick.rows_skipped, quick.rows_rejected) == (
        plain.rows_read,
        plain.rows_loaded,
        plain.rows_skipped,
        plain.rows_rejected,
    )
    assert snapshot() == plain_result
    assert (
        sorted(SourceRecord.objects.values_list("record_key", "row_number", "checksum"))
        == plain_rows
    )


def loaded_both_ways(path: Path) -> list[tuple]:
    """Each path's run counts, organisations and records, the plain path's first."""
    results = []
    for make_importer in (CompaniesHouseImporter, fast):
        run = run_import(make_importer(), path)
        records = sorted(SourceRecord.objects.values_list("record_key", "row_number", "raw"))
        rejected = sorted(run.rejected_rows.values_list("row_number", "reason"))
        counts = (run.status, run.rows_read, run.rows_loaded, run.rows_skipped, run.rows_rejected)
        results.append((counts, rejected, snapshot(), records))
        Organisation.objects.all().delete()
    return results


@pytest.mark.parametrize("breaks", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("where", ["inside", "at the end"])
def test_values_holding_line_breaks_load_on_the_large_file_path_as_on_the_plain_path(
    sample: Path, tmp_path: Path, breaks: str, where: str
) -> None:
    header, rows = read_sample(sample)
    names = [h.strip() for h in header]
    category, line2 = names.index("CompanyCategory"), names.index("RegAddress.AddressLine2")
    social = [i for i, r in enumerate(rows) if r[category] != "Private Limited Company"]
    private = [i for i, r in enumerate(rows) if r[category] == "Private Limited Company"]
    # Social-economy companies' addresses span lines in their quoted values (twice for one),
    # a later private company's too, and the rows after them are ordinary. (Before the first
    # such social-economy row, the large-file path counts a skipped row's lines as rows read.)
    value = "UNIT 4" + breaks + ("BLOCK B" if where == "inside" else "")
    rows[social[3]][line2] = value
    rows[social[5]][line2] = value
    rows[social[5]][names.index("RegAddress.POBox")] = "PO BOX" + breaks + "12"
    moved = rows.pop(private[0])  # the sample's private companies come first: one goes last
    moved[line2] = value
    rows.append(moved)
    path = write(tmp_path / "basic.csv", header, rows)

    plain, quick = loaded_both_ways(path)

    assert plain[0][:3] == (ImportStatus.SUCCEEDED, SAMPLE_ROWS, SAMPLE_ROWS - PRIVATE_LIMITED)
    assert quick == plain


@pytest.mark.parametrize("make_importer", [CompaniesHouseImporter, fast])
def test_a_file_of_no_social_economy_company_fails_saying_nothing_was_loaded(
    sample: Path, tmp_path: Path, make_importer
) -> None:
    header, rows = read_sample(sample)
    category = [h.strip() for h in header].index("CompanyCategory")
    private = [r for r in rows if r[category] == "Private Limited Company"]
    path = write(tmp_path / "basic.csv", header, private)

    run = run_import(make_importer(), path)

    assert run.status == ImportStatus.FAILED
    assert run.error == (
        f"basic.csv: nothing was loaded: all {PRIVATE_LIMITED} rows were skipped as not wanted"
    )
    assert Organisation.objects.count() == 0


@pytest.mark.parametrize("make_importer", [CompaniesHouseImporter, fast])
def test_the_zipped_download_loads_like_the_csv(
    sample: Path, tmp_path: Path, make_importer
) -> None:
    archive = tmp_path / "BasicCompanyDataAsOneFile-2026-11-01.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        handle.write(sample, "BasicCompanyDataAsOneFile-2026-11-01.csv")

    run = run_import(make_importer(), archive)

    assert run.status == ImportStatus.SUCCEEDED
    assert run.rows_loaded == SAMPLE_ROWS - PRIVATE_LIMITED
    assert (
        SourceRecord.objects.filter(
            file_name__endswith=".zip:BasicCompanyDataAsOneFile-2026-11-01.csv"
        ).count()
        == run.rows_loaded
    )


@pytest.mark.parametrize("make_importer", [CompaniesHouseImporter, fast])
def test_a_truncated_zip_loads_nothing_and_says_so(
    sample: Path, tmp_path: Path, make_importer
) -> None:
    archive = tmp_path / "basic.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        handle.write(sample, "basic.csv")
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])

    run = run_import(make_importer(), archive)

    assert run.status == ImportStatus.FAILED
    assert "basic.zip" in run.error and "truncated or corrupt" in run.error
    assert Organisation.objects.count() == 0


def test_importing_twice_changes_nothing(sample: Path) -> None:
    run_import(CompaniesHouseImporter(), sample)
    before = snapshot()

    second = run_import(fast(), sample)

    assert (second.rows_loaded, second.rows_updated, second.rows_unchanged) == (
        0,
        0,
        SAMPLE_ROWS - PRIVATE_LIMITED,
    )
    assert snapshot() == before


@pytest.mark.parametrize("make_importer", [CompaniesHouseImporter, fast])
def test_bad_rows_are_reported_by_row_and_field_and_the_rest_load(
    sample: Path, tmp_path: Path, make_importer
) -> None:
    header, rows = read_sample(sample)
    names = [h.strip() for h in header]
    social = [
        i
        for i, r in enumerate(rows)
        if r[names.index("CompanyCategory")] != "Private Limited Company"
    ]
    rows[social[0]][names.index("IncorporationDate")] = "2019-05-10"  # not dd/mm/yyyy
    rows[social[1]][names.index("CompanyNumber")] = ""
    rows[social[2]] = rows[social[2]][:20]  # a cut-off row
    rows.append(list(rows[social[3]]))  # a duplicate
    path = write(tmp_path / "basic.csv", header, rows)

    run = run_import(make_importer(), path)

    assert run.status == ImportStatus.SUCCEEDED
    reported = {(r.row_number, r.field): r.reason for r in run.rejected_rows.all()}
    assert set(reported) == {
        (social[0] + 2, "IncorporationDate"),
        (social[1] + 2, "CompanyNumber"),
        (social[2] + 2, ""),
        (len(rows) + 1, ""),
    }
    assert "20 fields; the header has 55" in reported[(social[2] + 2, "")]
    assert f"duplicate of row {social[3] + 2}" in reported[(len(rows) + 1, "")]
    assert run.rows_loaded == SAMPLE_ROWS - PRIVATE_LIMITED - 3


@pytest.mark.parametrize("make_importer", [CompaniesHouseImporter, fast])
def test_a_file_with_a_byte_order_mark_and_blank_lines_loads(
    sample: Path, tmp_path: Path, make_importer
) -> None:
    text = sample.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    path = tmp_path / "basic.csv"
    path.write_text("\ufeff" + "".join(lines[:30]) + "\n" + "".join(lines[30:]), encoding="utf-8")

    run = run_import(make_importer(), path)

    assert run.status == ImportStatus.SUCCEEDED
    assert (run.rows_loaded, run.rows_rejected) == (SAMPLE_ROWS - PRIVATE_LIMITED, 0)


@pytest.mark.parametrize("make_importer", [CompaniesHouseImporter, fast])
def test_a_file_of_another_kind_is_refused_naming_the_missing_columns(
    tmp_path: Path, shared_data: Path, make_importer
) -> None:
    other = shared_data / "registers" / "trafford_charities_ccew_2023.csv"

    run = run_import(make_importer(), other)

    assert run.status == ImportStatus.FAILED
    assert "trafford_charities_ccew_2023.csv, row 1" in run.error
    assert "CompanyNumber" in run.error
    assert Organisation.objects.count() == 0


@pytest.mark.parametrize("make_importer", [CompaniesHouseImporter, fast])
def test_a_file_that_is_not_text_in_a_known_encoding_loads_nothing(
    sample: Path, tmp_path: Path, make_importer
) -> None:
    data = sample.read_bytes()
    path = tmp_path / "basic.csv"
    # Valid UTF-8 at first, then a byte that is neither UTF-8 nor Windows-1252, far down.
    path.write_bytes(data + b'"BROKEN \x81 LTD"' + data.splitlines(keepends=True)[5][14:])

    run = run_import(make_importer(), path)

    assert run.status == ImportStatus.FAILED
    assert "basic.csv" in run.error
    assert Organisation.objects.count() == 0


def test_a_missing_column_loads_nothing(sample: Path, tmp_path: Path) -> None:
    header, rows = read_sample(sample)
    index = [h.strip() for h in header].index("CompanyCategory")
    path = write(
        tmp_path / "basic.csv",
        header[:index] + header[index + 1 :],
        [r[:index] + r[index + 1 :] for r in rows],
    )

    run = run_import(fast(), path)

    assert run.status == ImportStatus.FAILED
    assert "missing required column(s): CompanyCategory" in run.error


def test_an_extra_column_is_noted_and_ignored(sample: Path, tmp_path: Path) -> None:
    header, rows = read_sample(sample)
    path = write(tmp_path / "basic.csv", [*header, "Extra"], [[*r, "x"] for r in rows])

    run = run_import(fast(), path)

    assert run.rows_loaded == SAMPLE_ROWS - PRIVATE_LIMITED
    assert any("Extra" in w for w in run.warnings)


@pytest.mark.parametrize("make_importer", [CompaniesHouseImporter, fast])
def test_a_bad_byte_beyond_the_first_megabyte_is_refused_naming_its_row(
    sample: Path, tmp_path: Path, make_importer
) -> None:
    header, rows = read_sample(sample)
    names = [h.strip() for h in header]
    number = names.index("CompanyNumber")
    private = [r for r in rows if r[names.index("CompanyCategory")] == "Private Limited Company"]
    filler = []
    for n in range(3000):  # about 1.5 MB of private companies, skipped by default
        row = list(private[n % len(private)])
        row[number] = f"{90000000 + n}"
        filler.append(row)
    path = write(tmp_path / "basic.csv", header, rows + filler)
    bad_row = len(rows) + len(filler) + 2
    with open(path, "ab") as handle:
        handle.write(b'"BAD \xff NAME","99999999"' + b',""' * 53 + b"\r\n")

    run = run_import(make_importer(), path)

    assert run.status == ImportStatus.FAILED
    assert f"basic.csv, row {bad_row}" in run.error
    assert Organisation.objects.count() == 0
