"""The Trafford charity file loads as one organisation per charity, idempotently, and bad copies
of it are refused or reported with the file, row and field named."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from commonground.imports.engine import run_import
from commonground.imports.models import ImportStatus
from commonground.organisations.models import Identifier, Organisation, SourceRecord
from commonground.organisations.registers.trafford_charities import TraffordCharitiesImporter

pytestmark = pytest.mark.django_db


@pytest.fixture
def charities_csv(shared_data: Path) -> Path:
    return shared_data / "registers" / "trafford_charities_ccew_2023.csv"


def test_every_charity_in_the_file_becomes_one_organisation(charities_csv: Path) -> None:
    run = run_import(TraffordCharitiesImporter(), charities_csv)

    assert run.status == ImportStatus.SUCCEEDED
    assert (run.rows_read, run.rows_loaded, run.rows_rejected) == (736, 736, 0)
    assert Organisation.objects.count() == 736
    assert SourceRecord.objects.filter(dataset="trafford_charities").count() == 736


def test_a_charitable_company_is_one_organisation_with_both_identifiers(
    charities_csv: Path,
) -> None:
    run_import(TraffordCharitiesImporter(), charities_csv)

    org = Organisation.objects.get(identifiers__value="GB-CHC-214927")
    assert set(org.identifiers.values_list("value", flat=True)) == {
        "GB-CHC-214927",
        "GB-COH-00738693",
    }
    assert org.sector == "charity"
    assert org.sector_evidence[0]["field"] == "registered_charity_number"


def test_importing_the_same_file_twice_changes_nothing(charities_csv: Path) -> None:
    run_import(TraffordCharitiesImporter(), charities_csv)
    before = sorted(Organisation.objects.values_list("org_id", "name", "sector", "postcode"))

    second = run_import(TraffordCharitiesImporter(), charities_csv)

    assert (second.rows_loaded, second.rows_updated, second.rows_unchanged) == (0, 0, 736)
    assert (
        sorted(Organisation.objects.values_list("org_id", "name", "sector", "postcode")) == before
    )
    assert Identifier.objects.filter(value__startswith="GB-CHC-").count() == 736


def test_a_file_missing_a_required_column_loads_nothing_and_names_the_column(
    charities_csv: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "charities.csv"
    lines = charities_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    broken.write_text(lines[0].replace("charity_name", "name_of_charity") + "".join(lines[1:]))

    run = run_import(TraffordCharitiesImporter(), broken)

    assert run.status == ImportStatus.FAILED
    assert "charities.csv" in run.error and "charity_name" in run.error
    assert Organisation.objects.count() == 0


def test_a_malformed_row_is_reported_and_the_rest_load(charities_csv: Path, tmp_path: Path) -> None:
    broken = tmp_path / "charities.csv"
    lines = charities_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = "not-a-number," + lines[3].split(",", 1)[1]
    broken.write_text("".join(lines))

    run = run_import(TraffordCharitiesImporter(), broken)

    assert run.status == ImportStatus.SUCCEEDED
    assert run.rows_rejected == 1
    rejected = run.rejected_rows.get()
    assert (rejected.row_number, rejected.field) == (4, "registered_charity_number")
    assert Organisation.objects.count() == 735


def test_a_strict_import_with_a_bad_row_loads_nothing(charities_csv: Path, tmp_path: Path) -> None:
    broken = tmp_path / "charities.csv"
    with open(charities_csv, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[-1]["date_of_registration"] = "31/31/2020"
    with open(broken, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    run = run_import(TraffordCharitiesImporter(), broken, strict=True)

    assert run.status == ImportStatus.FAILED
    assert "date_of_registration" in run.error and "nothing was loaded" in run.error
    assert Organisation.objects.count() == 0


def test_a_file_that_is_not_utf8_or_cp1252_text_is_refused(tmp_path: Path) -> None:
    binary = tmp_path / "charities.csv"
    binary.write_bytes(b"PK\x03\x04\x00\x00garbage")

    run = run_import(TraffordCharitiesImporter(), binary)

    assert run.status == ImportStatus.FAILED
    assert "charities.csv" in run.error and "binary" in run.error


def test_a_duplicate_row_is_reported_not_loaded_twice(charities_csv: Path, tmp_path: Path) -> None:
    copy = tmp_path / "charities.csv"
    shutil.copy(charities_csv, copy)
    with open(copy, "a", encoding="utf-8") as handle:
        handle.write(charities_csv.read_text(encoding="utf-8").splitlines()[1] + "\n")

    run = run_import(TraffordCharitiesImporter(), copy)

    assert run.rows_rejected == 1
    assert "duplicate of row 2" in run.rejected_rows.get().reason
    assert Organisation.objects.count() == 736


def test_a_file_with_only_its_header_fails_saying_nothing_was_loaded(
    charities_csv: Path, tmp_path: Path
) -> None:
    header_only = tmp_path / "charities.csv"
    header_only.write_text(charities_csv.read_text(encoding="utf-8").splitlines()[0] + "\n")

    run = run_import(TraffordCharitiesImporter(), header_only)

    assert run.status == ImportStatus.FAILED
    assert run.error == "charities.csv: nothing was loaded: the file has no rows"


def test_a_file_whose_every_row_is_refused_fails_naming_the_field_and_a_row(
    charities_csv: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "charities.csv"
    lines = charities_csv.read_text(encoding="utf-8").splitlines(keepends=True)[:4]
    broken.write_text(lines[0] + "".join("x," + line.split(",", 1)[1] for line in lines[1:]))

    run = run_import(TraffordCharitiesImporter(), broken)

    assert run.status == ImportStatus.FAILED
    assert run.error.startswith("charities.csv: nothing was loaded: all 3 rows were refused")
    assert "'registered_charity_number'" in run.error and "charities.csv, row 2" in run.error
    assert Organisation.objects.count() == 0
