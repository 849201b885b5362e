"""Council spend files: every line loaded, totals to the penny, re-import changes nothing."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Count, Sum

from commonground.imports.engine import run_import
from commonground.imports.models import ImportStatus
from commonground.money.models import MoneyFlow
from commonground.money.spend import SpendImporter
from commonground.money.spend_layouts import SpendLayout, csvw_column_titles, layouts

pytestmark = pytest.mark.django_db


def _amount_column_total_pence(path: Path) -> tuple[int, int]:
    """Sum of the Amount column read independently of the importer (exact decimals)."""
    with zipfile.ZipFile(path) as archive, archive.open(archive.namelist()[0]) as member:
        rows = list(csv.DictReader(io.TextIOWrapper(member, encoding="utf-8-sig")))
    return int(sum(Decimal(r["Amount"]) for r in rows) * 100), len(rows)


def test_trafford_2026_27_spend_total_equals_the_amount_column_and_reimport_changes_nothing(
    shared_data: Path,
) -> None:
    path = shared_data / "spend/trafford-supplier-spend-2026-27.zip"
    expected_pence, lines = _amount_column_total_pence(path)
    importer = SpendImporter(
        "trafford", metadata=shared_data / "spend/trafford-supplier-spend-csv-metadata.json"
    )
    run = run_import(importer, path)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_read, run.rows_loaded, run.rows_rejected) == (lines, lines, 0)
    flows = MoneyFlow.objects.filter(dataset="trafford_spend")
    assert flows.aggregate(t=Sum("amount_pence"))["t"] == expected_pence == 9_589_694_189
    # Lines sharing a transaction number are all kept, and the repeats are reported.
    assert any("transaction numbers appear on more than one line" in w for w in run.warnings)
    # Payments to individuals are kept, shown as withheld, never linked.
    redacted = flows.filter(recipient_name="Redacted")
    assert redacted.count() == 6000
    assert set(redacted.values_list("recipient_link_method", flat=True)) == {"redacted"}
    before = list(flows.order_by("pk").values_list("pk", "checksum", "updated_at"))

    again = run_import(
        SpendImporter(
            "trafford", metadata=shared_data / "spend/trafford-supplier-spend-csv-metadata.json"
        ),
        path,
    )
    assert (again.rows_loaded, again.rows_updated, again.rows_unchanged) == (0, 0, lines)
    assert list(flows.order_by("pk").values_list("pk", "checksum", "updated_at")) == before


def test_the_csvw_metadata_describes_the_columns_the_layout_uses(shared_data: Path) -> None:
    titles = csvw_column_titles(shared_data / "spend/trafford-supplier-spend-csv-metadata.json")
    assert set(layouts()["trafford"].required_columns()) <= set(titles)


def test_another_councils_layout_is_configuration(tmp_path: Path) -> None:
    layout = SpendLayout.from_config(
        "example",
        {
            "dataset": "example_spend",
            "publisher": "Example Borough Council",
            "publisher_identifiers": ["GB-LAE-EXA"],
            "columns": {
                "beneficiary": "Supplier Name",
                "amount": "Amount £",
                "date": "Date Paid",
                "transaction": "Ref",
            },
        },
    )
    path = tmp_path / "example.csv"
    path.write_text(
        "Supplier Name,Amount £,Date Paid,Ref\n"
        '"Age UK Trafford","£1,234.50",31/03/2025,A1\n'
        '"Credit note Ltd",(250.00),2025-04-01,A2\n'
        '"Stationers Ltd","-£10.01",1 Apr 2025,A3\n',
        encoding="utf-8",
    )
    run = run_import(SpendImporter(layout), path)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    amounts = dict(
        MoneyFlow.objects.filter(dataset="example_spend").values_list(
            "recipient_name", "amount_pence"
        )
    )
    assert amounts == {
        "Age UK Trafford": 123_450,
        "Credit note Ltd": -25_000,
        "Stationers Ltd": -1001,
    }


def test_bad_spend_rows_are_rejected_with_reasons_and_nothing_else_is_lost(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "BeneficiaryName,Amount,PaymentDate,TransactionNumber,Purpose,ProclassLabel,"
        "OrganisationalUnit\n"
        "Good Ltd,100.00,2025-04-01,1,x,y,z\n"
        ",50.00,2025-04-01,2,x,y,z\n"
        "Bad Amount Ltd,12.345,2025-04-01,3,x,y,z\n"
        "Bad Amount Ltd,lots,2025-04-01,4,x,y,z\n"
        "Bad Date Ltd,10.00,31st March,5,x,y,z\n"
        "Good Ltd,100.00,2025-04-01,1,x,y,z\n",
        encoding="utf-8",
    )
    layout = SpendLayout.from_config(
        "t",
        {
            **_trafford_config(),
            "member_suffix": None,
            "optional": ["vat_number", "irrecoverable_vat", "period_end", "beneficiary_id"],
        },
    )
    run = run_import(SpendImporter(layout), path)
    assert run.status == ImportStatus.PARTIAL
    assert (run.rows_read, run.rows_loaded, run.rows_rejected) == (6, 2, 4)
    reasons = {r.row_number: (r.field, r.reason) for r in run.rejected_rows.all()}
    assert reasons[3] == ("BeneficiaryName", "the beneficiary name is empty")
    assert reasons[4][0] == "Amount" and "fractions of a penny" in reasons[4][1]
    assert reasons[5][0] == "Amount" and "not an amount of money" in reasons[5][1]
    assert reasons[6][0] == "PaymentDate" and "YYYY-MM-DD" in reasons[6][1]
    counts = MoneyFlow.objects.aggregate(n=Count("id"), t=Sum("amount_pence"))
    assert counts == {"n": 2, "t": 20_000}


def _trafford_config() -> dict:
    import json

    from commonground.money.spend_layouts import LAYOUTS_FILE

    return json.loads(LAYOUTS_FILE.read_text())["trafford"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("trafford_council_grants_360giving.csv", "360Giving grants file"),
    ],
)
def test_a_file_from_another_standard_is_refused_clearly(
    shared_data: Path, name: str, expected: str
) -> None:
    run = run_import(SpendImporter("trafford"), shared_data / "grants" / name)
    assert run.status == ImportStatus.FAILED
    assert expected in run.error
    assert MoneyFlow.objects.count() == 0


def test_a_truncated_zip_is_refused_and_nothing_is_loaded(
    shared_data: Path, tmp_path: Path
) -> None:
    data = (shared_data / "spend/trafford-supplier-spend-2026-27.zip").read_bytes()
    path = tmp_path / "trafford-supplier-spend-2026-27.zip"
    path.write_bytes(data[: len(data) // 2])
    run = run_import(SpendImporter("trafford"), path)
    assert run.status == ImportStatus.FAILED
    assert "trafford-supplier-spend-2026-27.zip" in run.error
    assert MoneyFlow.objects.count() == 0
