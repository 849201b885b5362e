"""GB-LAE codes load with their type and dates, each mapped to its GSS code; a broken mapping
file loads nothing, because a wrong mapping would link the wrong council."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from commonground.imports.engine import run_import
from commonground.imports.models import ImportStatus
from commonground.places.importers.gb_lae import GbLaeCodesImporter
from commonground.places.models import LocalAuthorityCode

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(places_dir: Path) -> Path:
    return places_dir / "local_authority_eng_gb_lae.csv"


@pytest.fixture
def mapping(places_dir: Path) -> Path:
    return places_dir / "gb_lae_to_gss.csv"


def test_every_code_loads_with_its_gss_code_type_and_dates(register: Path, mapping: Path) -> None:
    run = run_import(GbLaeCodesImporter(gss_mapping=mapping), register)

    assert run.status == ImportStatus.SUCCEEDED
    assert (run.rows_read, run.rows_loaded, run.rows_rejected) == (367, 367, 0)
    trafford = LocalAuthorityCode.objects.get(code="TRF")
    assert trafford.gss_code == "E08000009"
    assert trafford.authority_type == "MD"
    assert trafford.official_name == "Trafford Metropolitan Borough Council"
    assert (trafford.start_date, trafford.end_date) == (date(1974, 4, 1), None)
    old_county = LocalAuthorityCode.objects.get(code="BKM")
    assert old_county.end_date == date(2020, 3, 31)


def test_importing_twice_changes_nothing(register: Path, mapping: Path) -> None:
    run_import(GbLaeCodesImporter(gss_mapping=mapping), register)

    second = run_import(GbLaeCodesImporter(gss_mapping=mapping), register)

    assert (second.rows_loaded, second.rows_updated, second.rows_unchanged) == (0, 0, 367)


def test_a_bad_line_in_the_mapping_file_loads_nothing_and_names_it(
    register: Path, mapping: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "mapping.csv"
    lines = mapping.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[5] = "XYZ,not-a-code\n"
    broken.write_text("".join(lines))

    run = run_import(GbLaeCodesImporter(gss_mapping=broken), register)

    assert run.status == ImportStatus.FAILED
    assert "mapping.csv, row 6, field 'gss_code'" in run.error
    assert LocalAuthorityCode.objects.count() == 0


def test_a_missing_mapping_file_loads_nothing(register: Path, tmp_path: Path) -> None:
    run = run_import(GbLaeCodesImporter(gss_mapping=tmp_path / "absent.csv"), register)

    assert run.status == ImportStatus.FAILED
    assert "absent.csv" in run.error
    assert LocalAuthorityCode.objects.count() == 0


def test_a_row_with_an_impossible_date_is_rejected_by_field(
    register: Path, mapping: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "register.csv"
    lines = register.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("2020-04-01", "2020-13-01")
    broken.write_text("".join(lines))

    run = run_import(GbLaeCodesImporter(gss_mapping=mapping), broken)

    rejected = run.rejected_rows.get()
    assert (rejected.row_number, rejected.field) == (2, "start-date")
    assert LocalAuthorityCode.objects.count() == 366
