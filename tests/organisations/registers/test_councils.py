"""Councils in England are in the atlas as public bodies under their GB-LAE identifiers, so the
money they pay and the partnerships they join can name them; the register is the evidence."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from commonground.imports.engine import run_import
from commonground.imports.models import ImportStatus
from commonground.organisations.models import Organisation, Sector, Status
from commonground.organisations.registers.councils import CouncilsImporter
from commonground.organisations.selectors import organisation_by_identifier

pytestmark = pytest.mark.django_db

ROWS = 367


@pytest.fixture
def register(shared_data: Path) -> Path:
    return shared_data / "places" / "local_authority_eng_gb_lae.csv"


def test_trafford_council_is_a_public_body_found_by_its_gb_lae_identifier(register) -> None:
    run = run_import(CouncilsImporter(), register)

    assert run.status == ImportStatus.SUCCEEDED
    assert (run.rows_read, run.rows_loaded, run.rows_rejected) == (ROWS, ROWS, 0)
    trafford = organisation_by_identifier("GB-LAE-TRF")
    assert trafford is not None
    assert trafford.name == "Trafford Metropolitan Borough Council"
    assert trafford.sector == Sector.PUBLIC_BODY
    assert trafford.legal_form == "Metropolitan district"
    assert trafford.status == Status.ACTIVE
    assert "register of local authorities" in str(trafford.sector_evidence)


def test_an_abolished_council_is_kept_as_removed_with_its_end_date(register) -> None:
    run_import(CouncilsImporter(), register)

    old = organisation_by_identifier("GB-LAE-BKM")

    assert old is not None and old.status == Status.REMOVED
    assert str(old.date_removed) == "2020-03-31"


def test_loading_the_register_again_changes_nothing(register) -> None:
    run_import(CouncilsImporter(), register)
    again = run_import(CouncilsImporter(), register)

    assert (again.rows_loaded, again.rows_updated, again.rows_unchanged) == (0, 0, ROWS)
    assert Organisation.objects.count() == ROWS


def test_an_unknown_council_type_rejects_that_row_naming_the_field(register, tmp_path) -> None:
    with open(register, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["local-authority-type"] = "PARISH"
    broken = tmp_path / "councils.csv"
    with open(broken, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    run = run_import(CouncilsImporter(), broken)

    assert run.rows_rejected == 1 and run.rows_loaded == ROWS - 1
    rejected = run.rejected_rows.get()
    assert (rejected.row_number, rejected.field) == (2, "local-authority-type")
    assert "'PARISH' is not a council type" in rejected.reason
