"""Co-operatives UK open data loads one organisation per co-operative, claimed for the
co-operative and mutual sector with its listing as evidence, and places each where its postcode
is; broken copies are refused or reported by file, row and field."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from commonground.imports.engine import run_import
from commonground.imports.models import ImportStatus
from commonground.organisations.models import Organisation
from commonground.organisations.registers.coops_uk import CoopsUkImporter
from commonground.places.importers.postcodes import TraffordPostcodesImporter
from commonground.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db

ROWS = 7272


@pytest.fixture
def coops_csv(shared_data: Path) -> Path:
    return shared_data / "registers" / "coops_uk_open_data_2023q2.csv"


def rewrite(source: Path, target: Path, change) -> Path:  # type: ignore[no-untyped-def]
    with open(source, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    rows, fields = change(rows, fields)
    with open(target, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return target


def test_every_co_operative_becomes_one_organisation_of_the_co_operative_sector(
    coops_csv: Path,
) -> None:
    run = run_import(CoopsUkImporter(), coops_csv)

    assert run.status == ImportStatus.SUCCEEDED
    assert (run.rows_read, run.rows_loaded, run.rows_rejected) == (ROWS, ROWS, 0)
    assert Organisation.objects.count() == ROWS
    assert set(Organisation.objects.values_list("sector", flat=True)) == {"cooperative_mutual"}
    group = Organisation.objects.get(org_id="XI-COOPSUK-R000001")
    assert group.name == "The Co-operative Group"
    evidence = group.sector_evidence[0]
    assert (evidence["source"], evidence["field"], evidence["value"]) == (
        "coops_uk",
        "Legal Form",
        "Society",
    )
    assert (
        "Co-operatives UK" in evidence["rule"] and "Community Benefit Society" in evidence["rule"]
    )


def test_a_company_number_in_the_file_becomes_the_companies_house_identifier(
    coops_csv: Path,
) -> None:
    run_import(CoopsUkImporter(), coops_csv)

    loop = Organisation.objects.get(name="Loop Systems")
    assert list(loop.identifiers.values_list("value", flat=True)) == ["GB-COH-04496787"]
    assert Organisation.objects.filter(org_id__startswith="GB-COH-").count() == 915
    # A number written without its leading zeros is padded as Companies House writes it.
    assert not Organisation.objects.filter(org_id__regex=r"^GB-COH-[0-9]{1,7}$").exists()


def test_address_and_the_files_coordinates_are_kept_without_a_postcode_table(
    coops_csv: Path,
) -> None:
    run_import(CoopsUkImporter(), coops_csv)

    central = Organisation.objects.get(org_id="XI-COOPSUK-R000003")
    assert central.address == "Central House, Hermes Road, Lichfield, Staffordshire"
    assert central.postcode == "WS13 6RH"
    assert (central.latitude, central.longitude) == (52.691546, -1.809129)
    assert "Wholesale and retail trade" in central.activities


def test_the_27_co_operatives_with_trafford_postcodes_are_placed_in_trafford(
    coops_csv: Path, shared_data: Path
) -> None:
    trafford = Place.objects.create(
        gss_code="E08000009", name="Trafford", kind=PlaceKind.LOCAL_AUTHORITY
    )
    postcodes = run_import(
        TraffordPostcodesImporter(), shared_data / "places" / "trafford_postcodes.csv"
    )
    assert postcodes.status == ImportStatus.SUCCEEDED

    run_import(CoopsUkImporter(), coops_csv)

    in_trafford = Organisation.objects.filter(local_authority=trafford)
    assert in_trafford.count() == 27
    assert in_trafford.filter(name="Sale Credit Union", sector="cooperative_mutual").exists()
    assert set(in_trafford.values_list("org_id", flat=True)) >= {
        "GB-COH-04496787",
        "GB-COH-13333367",
    }


def test_importing_twice_changes_nothing(coops_csv: Path) -> None:
    run_import(CoopsUkImporter(), coops_csv)
    before = sorted(Organisation.objects.values_list("org_id", "name", "postcode", "latitude"))

    second = run_import(CoopsUkImporter(), coops_csv)

    assert (second.rows_loaded, second.rows_updated, second.rows_unchanged) == (0, 0, ROWS)
    assert (
        sorted(Organisation.objects.values_list("org_id", "name", "postcode", "latitude")) == before
    )


def test_bad_rows_are_reported_by_row_and_field(coops_csv: Path, tmp_path: Path) -> None:
    def spoil(rows, fields):  # type: ignore[no-untyped-def]
        rows[0]["Geo Container Latitude"] = "north"
        rows[1]["Companies House Number"] = "not a number"
        rows[2]["Name"] = ""
        rows[3]["Identifier"] = "R 0/1"
        rows.append(dict(rows[10]))  # a duplicate
        return rows, fields

    path = rewrite(coops_csv, tmp_path / "coops.csv", spoil)

    run = run_import(CoopsUkImporter(), path)

    assert run.status == ImportStatus.SUCCEEDED
    # Rows are numbered by physical line (addresses span lines), as a text editor shows them.
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        lines = [reader.line_num for _ in reader]
    found = {(r.row_number, r.field) for r in run.rejected_rows.all()}
    assert {
        (lines[0], "Geo Container Latitude"),
        (lines[1], "Companies House Number"),
        (lines[2], "Name"),
        (lines[3], "Identifier"),
    } <= found
    assert any("duplicate of row" in r.reason for r in run.rejected_rows.all())
    assert run.rows_loaded == ROWS - 4


def test_a_missing_column_loads_nothing_and_names_it(coops_csv: Path, tmp_path: Path) -> None:
    def drop(rows, fields):  # type: ignore[no-untyped-def]
        for row in rows:
            del row["Legal Form"]
        return rows, [f for f in fields if f != "Legal Form"]

    run = run_import(CoopsUkImporter(), rewrite(coops_csv, tmp_path / "coops.csv", drop))

    assert run.status == ImportStatus.FAILED
    assert "coops.csv, row 1" in run.error and "Legal Form" in run.error
    assert Organisation.objects.count() == 0


def test_a_byte_order_mark_and_an_extra_column_are_accepted(
    coops_csv: Path, tmp_path: Path
) -> None:
    def extend(rows, fields):  # type: ignore[no-untyped-def]
        for row in rows:
            row["Notes"] = "x"
        return rows, [*fields, "Notes"]

    path = rewrite(coops_csv, tmp_path / "coops.csv", extend)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

    run = run_import(CoopsUkImporter(), path)

    assert (run.status, run.rows_loaded) == (ImportStatus.SUCCEEDED, ROWS)
    assert any("Notes" in w for w in run.warnings)


def test_a_file_of_another_kind_or_not_text_is_refused(shared_data: Path, tmp_path: Path) -> None:
    other = run_import(
        CoopsUkImporter(), shared_data / "registers" / "trafford_charities_ccew_2023.csv"
    )
    binary = tmp_path / "coops.csv"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    not_text = run_import(CoopsUkImporter(), binary)

    assert other.status == ImportStatus.FAILED and "Identifier" in other.error
    assert not_text.status == ImportStatus.FAILED and "coops.csv" in not_text.error
    assert Organisation.objects.count() == 0


def test_labels_come_from_the_vocabulary_file_beside_the_csv(
    coops_csv: Path, tmp_path: Path
) -> None:
    alone = tmp_path / "coops.csv"
    shutil.copy(coops_csv, alone)  # no vocabulary file beside it

    run_import(CoopsUkImporter(), alone)

    group = Organisation.objects.get(org_id="XI-COOPSUK-R000001")
    assert "OS130" in group.sector_evidence[0]["rule"]


def test_each_co_operative_says_which_co_op_type_it_is_and_why_clubs_are_included(
    coops_csv: Path,
) -> None:
    run_import(CoopsUkImporter(), coops_csv)

    club = Organisation.objects.get(name="Sale Conservative Club")
    ownership = [e for e in club.sector_evidence if e["field"] == "Ownership Classification"]
    assert [e["value"] for e in ownership] == ["Consumers"]
    assert ownership[0]["rule"].startswith("Consumer co-operative: owned by the people who use it")
    assert "members' social, political and sports clubs" in ownership[0]["rule"]
    cricket = Organisation.objects.get(name="Lancashire County Cricket Club")
    assert any(
        e["value"] == "Community of Interest" and e["rule"].startswith("Community-owned")
        for e in cricket.sector_evidence
    )
    # The first piece of evidence is still the listing with the legal form.
    assert club.sector_evidence[0]["field"] == "Legal Form"
    # The co-op type is among the classifications the search embeds and matches by meaning.
    record = club.source_records.get(dataset="coops_uk")
    assert record.facts["classifications"] == ["Co-op type: Consumer co-operative"]


def test_a_co_operative_without_an_ownership_classification_claims_no_finer_type(
    coops_csv: Path, tmp_path: Path
) -> None:
    def blank(rows, fields):  # type: ignore[no-untyped-def]
        rows = rows[:2]
        for row in rows:
            row["Ownership Classification"] = ""
        return rows, fields

    run_import(CoopsUkImporter(), rewrite(coops_csv, tmp_path / "coops.csv", blank))
    for organisation in Organisation.objects.all():
        assert [e["field"] for e in organisation.sector_evidence] == ["Legal Form"]


def test_a_windows_1252_copy_whose_first_accent_is_past_the_first_megabyte_loads_whole(
    coops_csv: Path, tmp_path: Path
) -> None:
    # As Excel saves it: Windows-1252. The real file's first non-ASCII byte is at 1.2 MB.
    def accent_the_last(rows, fields):  # type: ignore[no-untyped-def]
        rows[-1]["Name"] = "Coopérative Café Ltd"
        return rows, fields

    utf8 = rewrite(coops_csv, tmp_path / "utf8.csv", accent_the_last)
    copy = tmp_path / "coops.csv"
    copy.write_bytes(utf8.read_text(encoding="utf-8").encode("cp1252", errors="replace"))
    assert copy.read_bytes().index("é".encode("cp1252")) > 1 << 20

    run = run_import(CoopsUkImporter(), copy)

    assert (run.status, run.rows_loaded, run.rows_rejected) == (ImportStatus.SUCCEEDED, ROWS, 0)
    assert Organisation.objects.filter(name="Coopérative Café Ltd").exists()


def test_a_utf8_file_with_one_damaged_byte_is_refused_at_its_row_not_read_as_windows_1252(
    coops_csv: Path, tmp_path: Path
) -> None:
    # The real file's accents are UTF-8; one byte damaged near the end must not turn every
    # accent before it into two wrong letters.
    data = coops_csv.read_bytes()
    last_line = data.rstrip(b"\r\n").rfind(b"\n") + 1
    assert not data[:last_line].isascii()  # UTF-8 accents come before the damaged byte
    damaged = tmp_path / "coops.csv"
    damaged.write_bytes(data[:last_line] + b"\xff" + data[last_line:])
    line = data[:last_line].count(b"\n") + 1

    run = run_import(CoopsUkImporter(), damaged)

    assert run.status == ImportStatus.FAILED
    assert "0xff" in run.error and str(line) in run.error
    assert Organisation.objects.count() == 0
