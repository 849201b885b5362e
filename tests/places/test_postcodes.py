"""Postcodes load from the Trafford ONSPD subset and from the national NSPL / ONSPD layouts
(CSV or the zip as published), normalised, with terminated postcodes kept and marked."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from commonground.imports.engine import run_import
from commonground.imports.models import ImportStatus
from commonground.places.importers.postcodes import (
    NationalPostcodesImporter,
    TraffordPostcodesImporter,
)
from commonground.places.models import Postcode
from tests.places.factories import nspl_rows, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def nspl_csv(shared_data: Path, tmp_path: Path) -> Path:
    return write_csv(tmp_path / "NSPL_FEB_2025_UK.csv", nspl_rows(shared_data))


def test_every_trafford_postcode_loads_with_its_ward_and_location(places_dir: Path) -> None:
    run = run_import(TraffordPostcodesImporter(), places_dir / "trafford_postcodes.csv")

    assert run.status == ImportStatus.SUCCEEDED
    assert (run.rows_read, run.rows_loaded, run.rows_rejected) == (11264, 11264, 0)
    postcode = Postcode.objects.get(postcode="M15 4AB")
    assert (postcode.local_authority_code, postcode.ward_code) == ("E08000009", "E05015247")
    assert (postcode.lsoa_code, postcode.msoa_code) == ("E01034001", "E02001259")
    assert (postcode.latitude, postcode.longitude) == pytest.approx((53.465578, -2.26046))
    assert postcode.import_run_id == run.pk


def test_loading_the_trafford_postcodes_twice_changes_nothing(places_dir: Path) -> None:
    run_import(TraffordPostcodesImporter(), places_dir / "trafford_postcodes.csv")

    second = run_import(TraffordPostcodesImporter(), places_dir / "trafford_postcodes.csv")

    assert (second.rows_loaded, second.rows_updated, second.rows_unchanged) == (0, 0, 11264)


def test_the_national_nspl_layout_loads_every_row_and_marks_terminated_postcodes(
    nspl_csv: Path,
) -> None:
    run = run_import(NationalPostcodesImporter(), nspl_csv)

    assert run.status == ImportStatus.SUCCEEDED
    assert (run.rows_read, run.rows_loaded, run.rows_rejected) == (15, 15, 0)
    terminated = Postcode.objects.get(postcode="NG7 3LF")
    assert (terminated.introduced, terminated.terminated) == (date(2008, 2, 1), date(2009, 1, 1))
    live = Postcode.objects.get(postcode="EX36 4AT")
    assert live.terminated is None and live.introduced == date(1980, 1, 1)
    assert (live.local_authority_code, live.ward_code) == ("E07000043", "E05012435")
    assert (live.lsoa_code, live.msoa_code) == ("E01020135", "E02004187")
    assert (live.latitude, live.longitude) == pytest.approx((51.01467, -3.83317))


def test_the_onspd_column_names_load_the_same_postcodes(shared_data: Path, tmp_path: Path) -> None:
    onspd = write_csv(
        tmp_path / "ONSPD_FEB_2025_UK.csv",
        nspl_rows(shared_data),
        rename={"laua": "oslaua", "ward": "osward", "cty": "oscty"},
    )

    run = run_import(NationalPostcodesImporter(), onspd)

    assert (run.rows_loaded, run.rows_rejected) == (15, 0)
    assert Postcode.objects.get(postcode="LE3 3PZ").ward_code == "E05005417"


def test_the_national_file_loads_from_the_zip_as_published(nspl_csv: Path, tmp_path: Path) -> None:
    archive = tmp_path / "NSPL_FEB_2025.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("Documents/readme.txt", "user guide")
        handle.write(nspl_csv, "Data/NSPL_FEB_2025_UK.csv")

    run = run_import(NationalPostcodesImporter(), archive)

    assert (run.status, run.rows_loaded) == (ImportStatus.SUCCEEDED, 15)


def test_small_batches_load_the_same_as_one(nspl_csv: Path) -> None:
    importer = NationalPostcodesImporter()
    importer.batch_size = 4  # type: ignore[misc]

    run = run_import(importer, nspl_csv)

    assert (run.rows_loaded, Postcode.objects.count()) == (15, 15)


def test_a_file_without_postcode_columns_is_refused_and_names_them(tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("code,name\nE08000009,Trafford\n")

    run = run_import(NationalPostcodesImporter(), other)

    assert run.status == ImportStatus.FAILED
    assert "other.csv" in run.error and "pcds" in run.error and "laua" in run.error


def test_bad_rows_are_rejected_by_row_and_column(shared_data: Path, tmp_path: Path) -> None:
    rows = nspl_rows(shared_data)
    rows[0]["pcds"] = "NOT A POSTCODE"
    rows[1]["dointr"] = "2016-13"
    rows[2]["lat"] = "fifty"
    # ONSPD's mark for "no grid reference" is a location we must not use, not an error.
    rows[3]["lat"], rows[3]["long"] = "99.999999", "0.000000"

    run = run_import(NationalPostcodesImporter(), write_csv(tmp_path / "nspl.csv", rows))

    assert list(run.rejected_rows.values_list("row_number", "field")) == [
        (2, "pcds"),
        (3, "dointr"),
        (4, "lat"),
    ]
    unplaced = Postcode.objects.get(postcode=rows[3]["pcds"])
    assert unplaced.latitude is None and unplaced.longitude is None


def test_a_postcode_file_with_only_its_header_fails_saying_nothing_was_loaded(
    places_dir: Path, tmp_path: Path
) -> None:
    header = (places_dir / "trafford_postcodes.csv").read_text(encoding="utf-8").splitlines()[0]
    header_only = tmp_path / "trafford_postcodes.csv"
    header_only.write_text(header + "\n")

    run = run_import(TraffordPostcodesImporter(), header_only)

    assert run.status == ImportStatus.FAILED
    assert run.error == "trafford_postcodes.csv: nothing was loaded: the file has no rows"


@pytest.mark.parametrize("rows", ["", "1,2,3\n"], ids=["no rows", "only unreadable rows"])
def test_a_file_of_another_kind_is_refused_by_its_header_whatever_its_rows(
    tmp_path: Path, rows: str
) -> None:
    other = tmp_path / "NSPL_FEB_2025_UK.csv"
    other.write_text("code,name\n" + rows)

    run = run_import(NationalPostcodesImporter(), other)

    assert run.status == ImportStatus.FAILED
    assert run.error.startswith("NSPL_FEB_2025_UK.csv, row 1: this is not an ONSPD or NSPL file")
    assert run.rows_rejected == 0
