"""360Giving grants from the real files: CSV, JSON and XLSX import to the same grants."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db.models import Sum

from commonground.imports.engine import run_import
from commonground.imports.models import ImportStatus
from commonground.money.giving.importer import GrantsImporter
from commonground.money.models import MoneyFlow
from tests.money.factories import flow_facts

pytestmark = pytest.mark.django_db

TRAFFORD_TOTAL_PENCE = 129_143_654


def test_trafford_grants_csv_and_json_import_to_the_same_555_grants(shared_data: Path) -> None:
    run = run_import(
        GrantsImporter("trafford_grants"),
        shared_data / "grants/trafford_council_grants_360giving.csv",
    )
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_loaded, run.rows_rejected) == (555, 0)
    from_csv = flow_facts("trafford_grants")
    raw_csv = dict(
        MoneyFlow.objects.filter(dataset="trafford_grants").values_list("record_key", "raw")
    )
    total = MoneyFlow.objects.filter(dataset="trafford_grants").aggregate(t=Sum("amount_pence"))
    assert total["t"] == TRAFFORD_TOTAL_PENCE

    MoneyFlow.objects.all().delete()
    run = run_import(
        GrantsImporter("trafford_grants"),
        shared_data / "grants/trafford_council_grants_360giving.json",
    )
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_loaded, run.rows_rejected) == (555, 0)
    assert flow_facts("trafford_grants") == from_csv
    # The CSV's columns become exactly the grants of the JSON.
    assert raw_csv == dict(
        MoneyFlow.objects.filter(dataset="trafford_grants").values_list("record_key", "raw")
    )


def test_the_json_after_the_csv_changes_nothing(shared_data: Path) -> None:
    run_import(
        GrantsImporter("trafford_grants"),
        shared_data / "grants/trafford_council_grants_360giving.csv",
    )
    run = run_import(
        GrantsImporter("trafford_grants"),
        shared_data / "grants/trafford_council_grants_360giving.json",
    )
    assert (run.rows_loaded, run.rows_updated, run.rows_unchanged) == (0, 0, 555)


def test_a_b_charitable_trust_xlsx_imports_to_the_same_grants_as_its_json(
    shared_data: Path,
) -> None:
    run = run_import(
        GrantsImporter("ab_charitable_trust_grants"),
        shared_data / "grants/ab_charitable_trust_grants.xlsx",
    )
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_loaded, run.rows_rejected) == (783, 0)
    from_xlsx = flow_facts("ab_charitable_trust_grants")
    raw_xlsx = dict(
        MoneyFlow.objects.filter(dataset="ab_charitable_trust_grants").values_list(
            "record_key", "raw"
        )
    )
    MoneyFlow.objects.all().delete()
    run = run_import(
        GrantsImporter("ab_charitable_trust_grants"),
        shared_data / "grants/ab_charitable_trust_grants.json",
    )
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert flow_facts("ab_charitable_trust_grants") == from_xlsx
    raw_json = dict(
        MoneyFlow.objects.filter(dataset="ab_charitable_trust_grants").values_list(
            "record_key", "raw"
        )
    )
    # The whole grant, additional fields included, is the same as the official conversion.
    assert raw_xlsx == raw_json
