"""The money demo for tests: Trafford's places and charities, its grants (360Giving JSON), its
2026-27 supplier spend and the Contracts Finder notices, loaded through the real importers."""

from __future__ import annotations

from pathlib import Path

from commonground.imports.engine import run_import
from commonground.money.giving import GrantsImporter
from commonground.money.models import MoneyFlow
from commonground.money.ocds import ContractsImporter
from commonground.money.spend import SpendImporter
from commonground.organisations.models import LinkReview
from commonground.places.models import Place, PlaceKind
from tests.organisations.search_data import clear_trafford, load_trafford

GRANTS_PENCE = 129_143_654
SPEND_2026_27_PENCE = 9_589_694_189


TRAFFORD_NOTICE = "ocds-b5fd17raw-d72762d9-d49d-413b-9e1f-99e1b3b5430d.json"


def load_money_demo(shared_data: Path, *, spend: bool = True, all_notices: bool = True) -> None:
    load_trafford(shared_data)
    run_import(
        GrantsImporter("trafford_grants"),
        shared_data / "grants/trafford_council_grants_360giving.json",
    )
    if spend:
        run_import(
            SpendImporter(
                "trafford",
                metadata=shared_data / "spend/trafford-supplier-spend-csv-metadata.json",
            ),
            shared_data / "spend/trafford-supplier-spend-2026-27.zip",
        )
    notices = sorted((shared_data / "contracts/contracts_finder").glob("*.json"))
    if not all_notices:
        notices = [shared_data / "contracts/contracts_finder" / TRAFFORD_NOTICE]
    for path in notices:
        run_import(ContractsImporter(), path)


def clear_money_demo() -> None:
    MoneyFlow.objects.all()._raw_delete(MoneyFlow.objects.db)
    LinkReview.objects.all().delete()
    clear_trafford()
    Place.objects.filter(kind=PlaceKind.WARD).delete()
    Place.objects.all().delete()
