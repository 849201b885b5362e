"""Contracts Finder notices (OCDS 1.1 release packages), and record packages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db.models import Sum

from commonground.imports.engine import run_import
from commonground.imports.models import ImportStatus
from commonground.money.models import MoneyFlow
from commonground.money.ocds import ContractsImporter, split_pence

pytestmark = pytest.mark.django_db

TRAFFORD_NOTICE = "ocds-b5fd17raw-d72762d9-d49d-413b-9e1f-99e1b3b5430d.json"


def test_a_shared_award_is_split_to_the_penny_and_keeps_the_vcse_flags(
    shared_data: Path,
) -> None:
    path = shared_data / "contracts/contracts_finder" / TRAFFORD_NOTICE
    run = run_import(ContractsImporter(), path)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    flows = MoneyFlow.objects.filter(dataset="contracts_finder")
    assert flows.count() == 6
    assert flows.aggregate(t=Sum("amount_pence"))["t"] == 57_909_300  # the award's £579,093
    age_uk = flows.get(recipient_name="Age UK Trafford")
    assert age_uk.channel == "contract"
    assert age_uk.payer_name == "Trafford Council"
    assert age_uk.attributes["vcse"] is True
    assert age_uk.attributes["sme"] is False
    assert age_uk.attributes["shared_award"] is True
    assert age_uk.attributes["procedure"] == "Open procedure"
    assert age_uk.recipient_postcode == "M41 9EH"  # from the address lines
    assert age_uk.json_path == "/releases/0/awards/0/suppliers/0"
    assert age_uk.date.isoformat() == "2020-03-23"


def test_every_notice_imports_and_reimport_changes_nothing(shared_data: Path) -> None:
    paths = sorted((shared_data / "contracts/contracts_finder").glob("*.json"))
    expected = 0
    for path in paths:
        release = json.loads(path.read_text())["releases"][0]
        expected += sum(
            round(a["value"]["amount"] * 100) for a in release["awards"] if a.get("suppliers")
        )
        run = run_import(ContractsImporter(), path)
        assert run.status == ImportStatus.SUCCEEDED, run.error
        assert run.rows_rejected == 0
    assert MoneyFlow.objects.aggregate(t=Sum("amount_pence"))["t"] == expected
    again = run_import(ContractsImporter(), paths[0])
    assert again.rows_loaded == again.rows_updated == 0


def test_a_record_package_uses_the_compiled_release(shared_data: Path, tmp_path: Path) -> None:
    release = json.loads((shared_data / "contracts/contracts_finder" / TRAFFORD_NOTICE).read_text())
    record_package = {
        "version": "1.1",
        "records": [
            {"ocid": release["releases"][0]["ocid"], "compiledRelease": release["releases"][0]}
        ],
    }
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record_package))
    run = run_import(ContractsImporter(), path)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert MoneyFlow.objects.get(recipient_name="Age UK Trafford").json_path == (
        "/records/0/compiledRelease/awards/0/suppliers/0"
    )


def test_a_360giving_file_is_refused_as_contracts(shared_data: Path) -> None:
    run = run_import(
        ContractsImporter(), shared_data / "grants/trafford_council_grants_360giving.json"
    )
    assert run.status == ImportStatus.FAILED
    assert "360Giving grants file, not OCDS" in run.error


def test_split_pence_adds_up_exactly() -> None:
    assert split_pence(1000, 3) == [334, 333, 333]
    assert split_pence(-1000, 3) == [-334, -333, -333]
    assert sum(split_pence(57_909_300, 7)) == 57_909_300


def test_a_release_with_a_malformed_buyer_tender_or_value_is_refused_naming_the_field(
    shared_data: Path, tmp_path: Path
) -> None:
    package = json.loads((shared_data / "contracts/contracts_finder" / TRAFFORD_NOTICE).read_text())
    good = package["releases"][0]
    breakages = {
        "buyer": lambda r: r.update(buyer="Trafford Council"),
        "tender": lambda r: r.update(tender="Healthy Lifestyle RFQ"),
        "tender.items": lambda r: r["tender"].update(items={"id": "1"}),
        "value": lambda r: r["awards"][0].update(value=579093),
    }
    releases = [good]
    for number, breaks in enumerate(breakages.values()):
        release = json.loads(json.dumps(good))
        release["ocid"] = f"{good['ocid']}-{number}"
        breaks(release)
        releases.append(release)
    package["releases"] = releases
    path = tmp_path / "notices.json"
    path.write_text(json.dumps(package))
    run = run_import(ContractsImporter(), path)
    assert run.status == ImportStatus.PARTIAL, run.error
    assert (run.rows_loaded, run.rows_rejected) == (6, 4 * 6)
    assert {row.field for row in run.rejected_rows.all()} == set(breakages)
    assert MoneyFlow.objects.aggregate(t=Sum("amount_pence"))["t"] == 57_909_300


def test_suppliers_without_ids_each_get_their_share_of_the_award(
    shared_data: Path, tmp_path: Path
) -> None:
    package = json.loads((shared_data / "contracts/contracts_finder" / TRAFFORD_NOTICE).read_text())
    for supplier in package["releases"][0]["awards"][0]["suppliers"]:
        del supplier["id"]
    path = tmp_path / "no-supplier-ids.json"
    path.write_text(json.dumps(package))
    run = run_import(ContractsImporter(), path)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_loaded, run.rows_rejected) == (6, 0)
    assert MoneyFlow.objects.aggregate(t=Sum("amount_pence"))["t"] == 57_909_300
    again = run_import(ContractsImporter(), path)
    assert again.status == ImportStatus.UNCHANGED
