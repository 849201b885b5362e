"""A flow's identity is its content: the same payments, grants and awards under another file
name or dataset code change nothing, identical lines all count, and ledgers keyed the old way
are re-keyed with their double counts removed."""

from __future__ import annotations

import importlib
import shutil
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import CharField, Count, Sum, Value
from django.db.models.functions import Cast, Concat

from commonground.imports.engine import run_import
from commonground.imports.models import ImportStatus
from commonground.money.giving.importer import GrantsImporter
from commonground.money.models import MoneyFlow
from commonground.money.ocds import ContractsImporter
from commonground.money.spend import SpendImporter
from tests.money.factories import GRANTS_PENCE, SPEND_2026_27_PENCE

pytestmark = pytest.mark.django_db

SPEND_2026 = "spend/trafford-supplier-spend-2026-27.zip"
rekey = importlib.import_module("commonground.money.migrations.0005_flow_identity_from_content")


def _totals() -> dict[str, int]:
    return MoneyFlow.objects.aggregate(n=Count("id"), t=Sum("amount_pence"))


def test_the_unzipped_csv_of_an_imported_zip_changes_nothing_and_every_identical_line_counts(
    shared_data: Path, tmp_path: Path
) -> None:
    run = run_import(SpendImporter("trafford"), shared_data / SPEND_2026)
    assert (run.rows_loaded, run.rows_rejected) == (38_055, 0)
    # Trafford repeats lines exactly (7,727 of them, £4.15m): each is a payment of its own.
    repeats = next(w for w in run.warnings if "repeat an earlier line exactly" in w)
    assert repeats.split(": ", 1)[1].startswith("7727 lines")
    assert _totals() == {"n": 38_055, "t": SPEND_2026_27_PENCE}
    with zipfile.ZipFile(shared_data / SPEND_2026) as archive:
        csv_path = tmp_path / "spend-renamed.csv"
        csv_path.write_bytes(archive.read(archive.namelist()[0]))

    again = run_import(SpendImporter("trafford"), csv_path)

    assert again.status == ImportStatus.UNCHANGED, again.error
    assert (again.rows_loaded, again.rows_updated, again.rows_unchanged) == (0, 0, 38_055)
    assert _totals() == {"n": 38_055, "t": SPEND_2026_27_PENCE}


def test_one_grants_file_under_two_dataset_codes_is_counted_once(shared_data: Path) -> None:
    path = shared_data / "grants/trafford_council_grants_360giving.json"
    run_import(GrantsImporter("trafford_grants"), path)

    again = run_import(GrantsImporter("another_code"), path)

    assert (again.rows_loaded, again.rows_updated, again.rows_unchanged) == (0, 0, 555)
    assert any(
        "already in the ledger under the dataset 'trafford_grants'" in w for w in again.warnings
    )
    assert set(MoneyFlow.objects.values_list("dataset", flat=True)) == {"trafford_grants"}
    assert _totals()["t"] == GRANTS_PENCE


def test_one_contract_notice_under_two_dataset_codes_is_counted_once(
    shared_data: Path, tmp_path: Path
) -> None:
    notice = next(iter(sorted((shared_data / "contracts/contracts_finder").glob("*.json"))))
    run = run_import(ContractsImporter("contracts_finder"), notice)
    copy = tmp_path / "renamed.json"
    shutil.copy(notice, copy)

    again = run_import(ContractsImporter("another_code"), copy)

    assert again.rows_loaded == 0 and again.rows_unchanged == run.rows_loaded > 0


def test_a_ledger_keyed_by_file_name_is_re_keyed_and_its_double_counts_removed(
    shared_data: Path, tmp_path: Path
) -> None:
    run_import(SpendImporter("trafford"), shared_data / SPEND_2026)
    run_import(
        GrantsImporter("trafford_grants"),
        shared_data / "grants/trafford_council_grants_360giving.json",
    )
    keyed = dict(MoneyFlow.objects.values_list("pk", "record_key"))
    checksums = dict(MoneyFlow.objects.values_list("pk", "checksum"))
    spend = MoneyFlow.objects.filter(channel="spend")
    # As the ledger was before: spend keyed by the file's name, and the file loaded a second
    # time under another name (its first 100 lines).
    spend.update(record_key=Concat(Value("old-"), Cast("pk", CharField())), checksum="x")
    copies = list(spend.order_by("pk")[:100])
    for flow in copies:
        flow.pk, flow.record_key, flow.file_name = None, f"copy-{flow.row_number}", "copy.csv"
    MoneyFlow.objects.bulk_create(copies)
    assert _totals()["n"] == 38_055 + 555 + 100

    rekey.forwards(
        apps, SimpleNamespace(quote_name=connection.ops.quote_name, connection=connection)
    )

    assert dict(MoneyFlow.objects.values_list("pk", "record_key")) == keyed
    assert dict(MoneyFlow.objects.values_list("pk", "checksum")) == checksums
    assert _totals() == {"n": 38_055 + 555, "t": SPEND_2026_27_PENCE + GRANTS_PENCE}
    # The re-keyed ledger takes the file again as unchanged.
    again = run_import(SpendImporter("trafford"), shared_data / SPEND_2026)
    assert again.rows_unchanged == 38_055
