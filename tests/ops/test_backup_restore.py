"""A backup taken with scripts/ops/database.py restores the data exactly, on either database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from commonground.imports.engine import run_import
from commonground.imports.models import ImportRun, ImportStatus
from commonground.organisations.models import Identifier, Organisation, SourceRecord
from commonground.organisations.registers.trafford_charities import TraffordCharitiesImporter
from scripts.ops.database import RestoreFailed, backup, restore

PROJECT_DIR = Path(__file__).resolve().parents[2]


def _snapshot() -> dict:
    sample = Organisation.objects.get(identifiers__value="GB-CHC-214927")
    return {
        "organisations": Organisation.objects.count(),
        "identifiers": Identifier.objects.count(),
        "source_records": SourceRecord.objects.count(),
        "import_runs": ImportRun.objects.count(),
        "sample": {
            field.attname: getattr(sample, field.attname) for field in Organisation._meta.fields
        },
        "sample_identifiers": sorted(sample.identifiers.values_list("value", flat=True)),
    }


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_organisation_after_the_database_is_wiped(
    shared_data: Path, tmp_path: Path
) -> None:
    run = run_import(
        TraffordCharitiesImporter(), shared_data / "registers" / "trafford_charities_ccew_2023.csv"
    )
    assert run.status == ImportStatus.SUCCEEDED
    before = _snapshot()
    assert before["organisations"] == 736

    dump = backup(tmp_path / "commonground.backup")
    assert dump.stat().st_size > 0

    SourceRecord.objects.all().delete()
    Identifier.objects.all().delete()
    Organisation.objects.all().delete()
    ImportRun.objects.all().delete()
    assert Organisation.objects.count() == 0

    restore(dump)
    connection.close()  # read back through a fresh connection, as the app would

    assert _snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_restoring_a_file_that_is_not_a_backup_fails_and_changes_nothing(
    shared_data: Path, tmp_path: Path
) -> None:
    run_import(
        TraffordCharitiesImporter(), shared_data / "registers" / "trafford_charities_ccew_2023.csv"
    )
    not_a_backup = tmp_path / "notes.backup"
    not_a_backup.write_bytes(b"this is not a database backup\n" * 100)

    with pytest.raises(RestoreFailed, match=r"notes\.backup"):
        restore(not_a_backup)

    assert Organisation.objects.count() == 736


def test_the_backup_script_explains_itself() -> None:
    completed = subprocess.run(
        [sys.executable, str(PROJECT_DIR / "scripts" / "ops" / "database.py"), "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0
    assert "backup" in completed.stdout and "restore" in completed.stdout
