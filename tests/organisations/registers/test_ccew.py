"""The Charity Commission's full register download (13 zipped tables) loads one organisation per
main charity, enriched from the other-names, classification, area and annual-return tables, and
broken copies are refused or reported with the file, row and field named.

The rows are synthetic, in the real layout (shared data README)."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from commonground.imports.engine import run_import
from commonground.imports.models import ImportStatus
from commonground.organisations.models import Organisation, SourceRecord
from commonground.organisations.registers.ccew import CcewRegisterImporter

pytestmark = pytest.mark.django_db

Lines = list[str]


@pytest.fixture
def extract(shared_data: Path) -> Path:
    return shared_data / "registers" / "ccew_extract_layout_synthetic"


@pytest.fixture
def copy(extract: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "ccew"
    shutil.copytree(extract, folder)
    return folder


def charity_zip(folder: Path) -> Path:
    return folder / "publicextract.charity.zip"


def rewrite(folder: Path, table: str, change: Callable[[Lines], Lines]) -> None:
    """Edit one table of a copied download, keeping its zip and member name."""
    path = folder / f"publicextract.{table}.zip"
    member = f"publicextract.{table}.txt"
    with zipfile.ZipFile(path) as archive:
        lines = archive.read(member).decode("utf-8-sig").splitlines(keepends=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, "".join(change(lines)).encode("utf-8"))


def row_of(lines: Lines, charity_number: str, linked: str = "0") -> int:
    header = lines[0].rstrip("\r\n").split("\t")
    number, link = header.index("registered_charity_number"), header.index("linked_charity_number")
    for index, line in enumerate(lines):
        values = line.rstrip("\r\n").split("\t")
        if index and values[number] == charity_number and values[link] == linked:
            return index
    raise AssertionError(f"charity {charity_number} not in the table")


def set_field(line: str, header: str, field: str, value: str) -> str:
    names = header.rstrip("\r\n").split("\t")
    values = line.rstrip("\r\n").split("\t")
    values[names.index(field)] = value
    return "\t".join(values) + "\r\n"


def test_each_main_charity_is_one_organisation_and_linked_charities_are_skipped(
    extract: Path,
) -> None:
    run = run_import(CcewRegisterImporter(), charity_zip(extract))

    assert run.status == ImportStatus.SUCCEEDED
    # 572 rows: 200 main charities (linked_charity_number 0) and 372 linked charities.
    assert (run.rows_read, run.rows_loaded, run.rows_skipped, run.rows_rejected) == (
        572,
        200,
        372,
        0,
    )
    assert Organisation.objects.count() == 200
    assert Organisation.objects.filter(sector="charity").count() == 200


def test_a_charitable_company_has_its_register_facts_and_both_identifiers(extract: Path) -> None:
    run_import(CcewRegisterImporter(), charity_zip(extract))

    org = Organisation.objects.get(identifiers__value="GB-CHC-209617")
    assert set(org.identifiers.values_list("value", flat=True)) == {
        "GB-CHC-209617",
        "GB-COH-XX002802",
    }
    assert org.org_id == "GB-CHC-209617"
    assert org.name == "Mohammad town Health Foundation"
    assert (org.status, org.legal_form) == ("active", "Charitable company")
    assert org.date_registered == date(1962, 11, 8)
    assert (org.address, org.postcode) == ("Flat 8, Kateland", "HG20 3PR")
    # £153,000,000 for the year to 31 December 2021, in pence.
    assert (org.latest_income_pence, org.latest_income_date) == (15_300_000_000, date(2021, 12, 31))
    assert org.sector_evidence[0]["field"] == "registered_charity_number"


def test_other_names_classifications_and_areas_enrich_the_charity(extract: Path) -> None:
    run_import(CcewRegisterImporter(), charity_zip(extract))

    org = Organisation.objects.get(identifiers__value="GB-CHC-209617")
    assert "Gordon land Children Institute" in org.other_names.values_list("name", flat=True)
    facts = org.source_records.get(dataset="ccew_register").facts
    assert facts["classifications"] == [
        "What: Disability",
        "Who: People With Disabilities",
        "How: Provides Services",
        "How: Provides Advocacy/advice/information",
        "How: Sponsors Or Undertakes Research",
    ]
    assert facts["areas_of_operation"] == [
        "Region: Throughout England And Wales",
        "Country: Scotland",
        "Country: Northern Ireland",
    ]


def test_a_removed_charity_is_removed_with_its_date(extract: Path) -> None:
    run_import(CcewRegisterImporter(), charity_zip(extract))

    org = Organisation.objects.get(identifiers__value="GB-CHC-803276")
    assert (org.status, org.date_removed is not None) == ("removed", True)
    assert org.sector == "charity"
    assert "removed" in org.sector_evidence[0]["rule"]


def test_a_cio_is_recorded_as_a_cio(extract: Path) -> None:
    run_import(CcewRegisterImporter(), charity_zip(extract))

    cios = Organisation.objects.filter(legal_form="Charitable incorporated organisation (CIO)")
    # 43 rows say charity_is_cio True; those that are main charities are CIOs here.
    assert cios.exists()
    assert all(org.sector == "charity" for org in cios)


def test_a_newer_annual_return_gives_the_latest_income(copy: Path) -> None:
    def add_newer_return(lines: Lines) -> Lines:
        newer = set_field(
            set_field(lines[1], lines[0], "organisation_number", "209617"),
            lines[0],
            "fin_period_end_date",
            "2022-12-31 00:00:00.0000000",
        )
        return [*lines, set_field(newer, lines[0], "total_gross_income", "160000000.50")]

    rewrite(copy, "charity_annual_return_parta", add_newer_return)

    run_import(CcewRegisterImporter(), charity_zip(copy))

    org = Organisation.objects.get(identifiers__value="GB-CHC-209617")
    assert (org.latest_income_pence, org.latest_income_date) == (16_000_000_050, date(2022, 12, 31))


def test_importing_the_same_download_twice_changes_nothing(extract: Path) -> None:
    run_import(CcewRegisterImporter(), charity_zip(extract))
    before = sorted(Organisation.objects.values_list("org_id", "name", "status", "postcode"))

    second = run_import(CcewRegisterImporter(), charity_zip(extract))

    assert (second.rows_loaded, second.rows_updated, second.rows_unchanged) == (0, 0, 200)
    assert (
        sorted(Organisation.objects.values_list("org_id", "name", "status", "postcode")) == before
    )


def test_a_truncated_charity_table_loads_nothing_and_names_the_file(copy: Path) -> None:
    data = charity_zip(copy).read_bytes()
    charity_zip(copy).write_bytes(data[: len(data) // 2])

    run = run_import(CcewRegisterImporter(), charity_zip(copy))

    assert run.status == ImportStatus.FAILED
    assert "publicextract.charity.zip" in run.error and "truncated" in run.error
    assert Organisation.objects.count() == 0


def test_a_corrupted_compressed_stream_loads_nothing_and_names_the_file(copy: Path) -> None:
    # A flipped byte inside the deflate data fails in zlib, not in the zip's own checks.
    data = bytearray(charity_zip(copy).read_bytes())
    data[100] ^= 0xFF
    charity_zip(copy).write_bytes(bytes(data))

    run = run_import(CcewRegisterImporter(), charity_zip(copy))

    assert run.status == ImportStatus.FAILED
    assert "publicextract.charity.zip" in run.error and "corrupt" in run.error
    assert Organisation.objects.count() == 0


def test_a_truncated_auxiliary_table_loads_nothing_and_names_it(copy: Path) -> None:
    path = copy / "publicextract.charity_classification.zip"
    path.write_bytes(path.read_bytes()[:2000])

    run = run_import(CcewRegisterImporter(), charity_zip(copy))

    assert run.status == ImportStatus.FAILED
    assert "publicextract.charity_classification.zip" in run.error
    assert Organisation.objects.count() == 0


def test_a_missing_auxiliary_table_loads_nothing_and_says_which(copy: Path) -> None:
    (copy / "publicextract.charity_other_names.zip").unlink()

    run = run_import(CcewRegisterImporter(), charity_zip(copy))

    assert run.status == ImportStatus.FAILED
    assert "publicextract.charity_other_names.zip" in run.error and "missing" in run.error
    assert Organisation.objects.count() == 0


def test_an_archive_without_the_expected_table_is_refused(copy: Path) -> None:
    with zipfile.ZipFile(charity_zip(copy), "w") as archive:
        archive.writestr("readme.txt", "not the charity table")

    run = run_import(CcewRegisterImporter(), charity_zip(copy))

    assert run.status == ImportStatus.FAILED
    assert "charity.txt" in run.error and "readme.txt" in run.error


def test_a_table_in_an_unexpected_encoding_is_refused_with_its_line(copy: Path) -> None:
    path = charity_zip(copy)
    with zipfile.ZipFile(path) as archive:
        data = archive.read("publicextract.charity.txt")
    # 0x81 is neither UTF-8 nor Windows-1252.
    broken = data.replace(b"Mohammad town", b"Mohammad \x81town", 1)
    line = broken[: broken.index(b"\x81")].count(b"\n") + 1
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("publicextract.charity.txt", broken)

    run = run_import(CcewRegisterImporter(), path)

    assert run.status == ImportStatus.FAILED
    assert "encoding" in run.error and f"line {line}" in run.error
    assert Organisation.objects.count() == 0


def test_a_windows_1252_table_keeps_its_accented_letters(copy: Path) -> None:
    def accent(lines: Lines) -> Lines:
        index = row_of(lines, "209617")
        lines[index] = lines[index].replace("Mohammad town", "Mohammad tôwn")
        return lines

    rewrite(copy, "charity", accent)
    path = charity_zip(copy)
    with zipfile.ZipFile(path) as archive:
        text = archive.read("publicextract.charity.txt").decode("utf-8")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("publicextract.charity.txt", text.encode("cp1252"))

    run_import(CcewRegisterImporter(), path)

    assert Organisation.objects.get(identifiers__value="GB-CHC-209617").name == (
        "Mohammad tôwn Health Foundation"
    )


def test_a_table_missing_a_column_loads_nothing_and_names_the_column(copy: Path) -> None:
    rewrite(
        copy,
        "charity_annual_return_parta",
        lambda lines: [lines[0].replace("total_gross_income", "gross_income"), *lines[1:]],
    )

    run = run_import(CcewRegisterImporter(), charity_zip(copy))

    assert run.status == ImportStatus.FAILED
    assert "charity_annual_return_parta" in run.error and "total_gross_income" in run.error
    assert Organisation.objects.count() == 0


def test_an_extra_column_is_ignored_and_noted(copy: Path) -> None:
    rewrite(
        copy,
        "charity",
        lambda lines: [
            lines[0].rstrip("\r\n") + "\tnew_column\r\n",
            *(line.rstrip("\r\n") + "\tx\r\n" for line in lines[1:]),
        ],
    )

    run = run_import(CcewRegisterImporter(), charity_zip(copy))

    assert (run.status, run.rows_loaded) == (ImportStatus.SUCCEEDED, 200)
    assert any("new_column" in warning for warning in run.warnings)


def test_malformed_rows_are_reported_with_file_row_and_field_and_the_rest_load(
    copy: Path,
) -> None:
    positions: dict[str, int] = {}

    def break_charities(lines: Lines) -> Lines:
        status_row = row_of(lines, "209617")
        lines[status_row] = set_field(
            lines[status_row], lines[0], "charity_registration_status", "Pending"
        )
        short_row = row_of(lines, "803276")
        lines[short_row] = "\t".join(lines[short_row].split("\t")[:5]) + "\r\n"
        positions.update(status=status_row + 1, short=short_row + 1)
        return lines

    def break_income(lines: Lines) -> Lines:
        lines[1] = set_field(lines[1], lines[0], "total_gross_income", "lots")
        return lines

    rewrite(copy, "charity", break_charities)
    rewrite(copy, "charity_annual_return_parta", break_income)

    run = run_import(CcewRegisterImporter(), charity_zip(copy))

    assert run.status == ImportStatus.SUCCEEDED
    rejected = {(r.file_name, r.row_number, r.field) for r in run.rejected_rows.all()}
    charity_txt = "publicextract.charity.zip:publicextract.charity.txt"
    assert rejected == {
        (charity_txt, positions["status"], "charity_registration_status"),
        (charity_txt, positions["short"], ""),
        (
            "publicextract.charity_annual_return_parta.zip:"
            "publicextract.charity_annual_return_parta.txt",
            2,
            "total_gross_income",
        ),
    }
    assert Organisation.objects.count() == 198


def test_a_duplicate_charity_row_is_reported_not_loaded_twice(copy: Path) -> None:
    def duplicate(lines: Lines) -> Lines:
        return [*lines, lines[row_of(lines, "209617")]]

    rewrite(copy, "charity", duplicate)

    run = run_import(CcewRegisterImporter(), charity_zip(copy))

    assert run.rows_rejected == 1
    assert "duplicate of row" in run.rejected_rows.get().reason
    assert Organisation.objects.count() == 200


def test_duplicate_rows_in_an_auxiliary_table_count_once(copy: Path) -> None:
    rewrite(copy, "charity_other_names", lambda lines: [*lines, *lines[1:]])

    run_import(CcewRegisterImporter(), charity_zip(copy))

    facts = SourceRecord.objects.get(dataset="ccew_register", record_key="801395").facts
    assert facts["other_names"] == [
        "Andrew mouth International Development Group",
        "Henry bury Religion Foundation",
    ]


def test_a_strict_import_with_a_bad_row_loads_nothing(copy: Path) -> None:
    def bad_date(lines: Lines) -> Lines:
        index = row_of(lines, "209617")
        lines[index] = set_field(lines[index], lines[0], "date_of_registration", "1962-13-45")
        return lines

    rewrite(copy, "charity", bad_date)

    run = run_import(CcewRegisterImporter(), charity_zip(copy), strict=True)

    assert run.status == ImportStatus.FAILED
    assert "date_of_registration" in run.error and "nothing was loaded" in run.error
    assert Organisation.objects.count() == 0


def test_the_import_command_finds_the_download_in_the_mirror_and_reports_counts(
    extract: Path, settings: pytest.FixtureRequest
) -> None:
    settings.COMMONGROUND_DATA_MIRROR = str(extract.parents[1])
    out = StringIO()

    call_command("import_register", "ccew_register", stdout=out)

    assert "ccew_register: succeeded" in out.getvalue()
    assert "loaded 200" in out.getvalue() and "skipped 372" in out.getvalue()
    assert Organisation.objects.count() == 200


def test_the_import_command_lists_rejected_rows_and_fails_a_strict_run(copy: Path) -> None:
    def bad_status(lines: Lines) -> Lines:
        index = row_of(lines, "209617")
        lines[index] = set_field(lines[index], lines[0], "charity_registration_status", "?")
        return lines

    rewrite(copy, "charity", bad_status)
    out = StringIO()

    call_command("import_register", "ccew_register", "--file", str(charity_zip(copy)), stdout=out)
    assert "rejected: publicextract.charity.zip:publicextract.charity.txt, row" in out.getvalue()
    assert "field 'charity_registration_status'" in out.getvalue()

    with pytest.raises(CommandError, match="charity_registration_status"):
        call_command(
            "import_register",
            "ccew_register",
            "--file",
            str(charity_zip(copy)),
            "--strict",
            stdout=StringIO(),
        )


def test_a_stray_carriage_return_inside_a_text_field_is_read_as_a_space(copy: Path) -> None:
    def stray(lines: Lines) -> Lines:
        row = row_of(lines, "209617")
        lines[row] = set_field(lines[row], lines[0], "charity_activities", "Helps\rpeople")
        return lines

    rewrite(copy, "charity", stray)

    run = run_import(CcewRegisterImporter(), charity_zip(copy))

    assert (run.status, run.rows_loaded, run.rows_rejected) == (ImportStatus.SUCCEEDED, 200, 0)
    assert Organisation.objects.get(org_id="GB-CHC-209617").activities == "Helps people"
