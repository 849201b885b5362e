"""A year of council spend loads as one bulk load: the flows carry the links a separate linking
pass would give them, the ledger's indexes are as before, and a file that fails part-way leaves
the ledger (rows and indexes) as it was."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count, Sum

from commonground.imports.engine import run_import
from commonground.imports.models import ImportStatus
from commonground.imports.readers import estimate_rows
from commonground.money.loading import FlowLoader
from commonground.money.models import MoneyFlow
from commonground.money.services import flows_link_dataset
from commonground.money.spend import SpendImporter
from commonground.organisations.registers.councils import CouncilsImporter
from commonground.organisations.selectors import organisation_by_identifier
from tests.organisations.factories import load_trafford

pytestmark = pytest.mark.django_db

SPEND_2026 = "spend/trafford-supplier-spend-2026-27.zip"
LINK_COLUMNS = (
    "pk",
    "payer_organisation_id",
    "payer_link_method",
    "recipient_organisation_id",
    "recipient_link_method",
    "recipient_sector",
    "recipient_local_authority_id",
)


def _indexes() -> dict[str, Any]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, MoneyFlow._meta.db_table)
    return {
        name: (facts["columns"], facts["unique"])
        for name, facts in constraints.items()
        if facts["index"] or facts["unique"]
    }


def _cache_size() -> int | None:
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return int(cursor.fetchone()[0])


def _links() -> list[tuple[Any, ...]]:
    return list(MoneyFlow.objects.order_by("pk").values_list(*LINK_COLUMNS))


def test_spend_flows_carry_the_links_a_separate_linking_pass_gives(shared_data: Path) -> None:
    load_trafford(shared_data)  # charities to link recipients to
    run_import(CouncilsImporter(), shared_data / "places/local_authority_eng_gb_lae.csv")
    indexes = _indexes()

    run = run_import(SpendImporter("trafford"), shared_data / SPEND_2026)

    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert _indexes() == indexes
    flows = MoneyFlow.objects.filter(dataset="trafford_spend")
    # The paying council is linked by its GB-LAE identifier on every line.
    council = organisation_by_identifier("GB-LAE-TRF")
    assert council is not None
    assert set(flows.values_list("payer_organisation_id", "payer_link_method")) == {
        (council.pk, "identifier")
    }
    methods = dict(flows.values_list("recipient_link_method").annotate(n=Count("id")).order_by())
    assert methods["redacted"] == 6000 and methods["unresolved"] > 0
    assert methods.get("probabilistic", 0) + methods.get("review_pending", 0) > 0
    linked = flows.filter(recipient_link_method="probabilistic").select_related(
        "recipient_organisation"
    )
    for flow in linked[:20]:
        assert flow.recipient_organisation is not None
        assert flow.recipient_sector == flow.recipient_organisation.sector
    before = _links()

    # Linking every party of the dataset again finds nothing to change.
    flows_link_dataset("trafford_spend")

    assert _links() == before


def test_a_spend_file_failing_part_way_leaves_the_ledger_and_its_indexes_as_they_were(
    shared_data: Path, tmp_path: Path
) -> None:
    with zipfile.ZipFile(shared_data / SPEND_2026) as archive:
        lines = archive.read(archive.namelist()[0]).split(b"\n")
    # The ledger holds the first 5,000 lines; the whole file (under another name) is then a
    # load larger than the ledger, loaded in bulk, with a byte near its end that is not UTF-8.
    start = tmp_path / "trafford-spend-start.csv"
    start.write_bytes(b"\n".join(lines[:5001]))
    assert run_import(SpendImporter("trafford"), start).rows_loaded == 5000
    indexes, cache_size = _indexes(), _cache_size()
    totals = MoneyFlow.objects.aggregate(n=Count("id"), t=Sum("amount_pence"))
    links = _links()
    broken = len(lines) - 10
    lines[broken] = lines[broken].replace(b",", b",\xff", 1)
    path = tmp_path / "trafford-spend-broken.csv"
    path.write_bytes(b"\n".join(lines))
    expected = estimate_rows(path)
    assert expected is not None and expected >= FlowLoader.defer_indexes_from_rows
    assert expected > totals["n"]

    run = run_import(SpendImporter("trafford"), path)

    assert run.status == ImportStatus.FAILED
    assert f"row {broken + 1}" in run.error and "0xff" in run.error
    assert MoneyFlow.objects.aggregate(n=Count("id"), t=Sum("amount_pence")) == totals
    assert _links() == links
    assert _indexes() == indexes
    assert _cache_size() == cache_size
    # The ledger still takes the file once it is mended.
    lines[broken] = lines[broken].replace(b"\xff", b"")
    path.write_bytes(b"\n".join(lines))
    again = run_import(SpendImporter("trafford"), path)
    assert again.status == ImportStatus.SUCCEEDED, again.error
    # Less the header and the empty last line; the first 5,000 are the same payments.
    assert (again.rows_loaded, again.rows_unchanged) == (len(lines) - 2 - 5000, 5000)
    assert _indexes() == indexes


def test_a_spend_line_changed_in_a_new_edition_is_a_new_payment_linked_and_the_old_reported(
    shared_data: Path, tmp_path: Path
) -> None:
    load_trafford(shared_data)
    original = tmp_path / "trafford-spend.csv"
    with zipfile.ZipFile(shared_data / SPEND_2026) as archive:
        text = archive.read(archive.namelist()[0]).decode("utf-8-sig")
    header, first, *rest = text.split("\n")
    original.write_text("\n".join([header, first, *rest]), encoding="utf-8")
    run_import(SpendImporter("trafford"), original)
    # The first line now pays a charity in the register instead.
    columns = header.split(",")
    values = first.split(",")
    values[columns.index("BeneficiaryName")] = "Age UK Trafford"
    original.write_text("\n".join([header, ",".join(values), *rest]), encoding="utf-8")

    run = run_import(SpendImporter("trafford"), original)

    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_loaded, run.rows_updated) == (1, 0)
    # A line's identity is its content: the corrected line is a payment the ledger had not
    # seen, and the line it replaces, no longer in the file, is reported, not silently kept.
    assert any("1 payments" in w and "not in this file" in w for w in run.warnings)
    flow = MoneyFlow.objects.get(row_number=2, recipient_name="Age UK Trafford")
    assert flow.recipient_link_method in {"probabilistic", "review_pending"}
    assert flow.raw["BeneficiaryName"] == "Age UK Trafford"
