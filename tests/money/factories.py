"""Money flows for tests, written as rows (the importers are tested with the real files)."""

from __future__ import annotations

import datetime as dt

import factory

from commonground.money.models import MoneyFlow
from tests.places.factories import PlaceFactory


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
    amount_pence = 125_000
    date = dt.date(2025, 6, 1)
    financial_year = 2025
    place = factory.SubFactory(PlaceFactory)
