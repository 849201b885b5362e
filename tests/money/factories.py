"""Money for tests: flows written as rows (the importers are tested with the real files), and
the money demo (Trafford's places and charities, its grants as 360Giving JSON, its 2026-27
supplier spend and the Contracts Finder notices) loaded through the real importers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import factory

from commonground.imports.engine import run_import
from commonground.money import attribution
from commonground.money.giving.importer import GrantsImporter
from commonground.money.models import MoneyFlow
from commonground.money.ocds import ContractsImporter
from commonground.money.spend import SpendImporter
from commonground.organisations.models import LinkReview
from commonground.places.models import Place, PlaceKind
from tests.organisations.factories import clear_trafford, load_trafford
from tests.places.factories import PlaceFactory

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


def flow_facts(dataset: str) -> list[tuple]:
    """Every fact stored for a dataset's flows, in record order: two loads compare equal."""
    return list(
        MoneyFlow.objects.filter(dataset=dataset)
        .order_by("record_key")
        .values_list(
            "record_key",
            "amount_pence",
            "date",
            "payer_name",
            "payer_key",
            "recipient_name",
            "recipient_key",
            "recipient_identifiers",
            "purpose",
            "category",
            "checksum",
        )
    )


class MoneyFlowFactory(factory.django.DjangoModelFactory):
    """A grant in 2025-26 from a payer to a recipient in Trafford (synthetic)."""

    class Meta:
        model = MoneyFlow

    channel = "grant"
    dataset = "synthetic_test"
    record_key = factory.Sequence(lambda n: f"flow-{n}")
    payer_name = "A funder (synthetic)"
    payer_key = factory.LazyAttribute(lambda flow: flow.payer_name.lower())
    recipient_name = "A recipient (synthetic)"
    recipient_key = factory.LazyAttribute(lambda flow: flow.recipient_name.lower())
    recipient_organisation = None
    recipient_link_method = ""
    amount_pence = 125_000
    date = dt.date(2025, 6, 1)
    financial_year = 2025
    place = factory.SubFactory(PlaceFactory)
    # Stored as the ledger's writers store them (ADR 0034): the rule the name matches, and the
    # level its link and that rule give.
    recipient_form_rule = factory.LazyAttribute(
        lambda flow: attribution.form_rule_code(
            flow.recipient_name, flow.recipient_link_method == "redacted"
        )
    )
    recipient_attribution = factory.LazyAttribute(
        lambda flow: attribution.level(
            attribution.is_linked(
                getattr(flow.recipient_organisation, "pk", None), flow.recipient_link_method
            ),
            flow.recipient_form_rule,
        )
    )
