"""The Trafford place profile on the demo data: figures reconcile to the penny, and every
figure leads to flows that add up to it."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qsl

import pytest
from django.db.models import Sum

from commonground.money.flows import filtered_flows, flows_summary
from commonground.money.forms import filters_from_query
from commonground.money.models import MoneyFlow
from commonground.money.selectors import Figure, PlaceProfile, place_profile
from commonground.places.selectors import place_by_gss
from tests.money.factories import (
    GRANTS_PENCE,
    SPEND_2026_27_PENCE,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(money_demo: None) -> PlaceProfile:
    place = place_by_gss("E08000009")
    assert place is not None
    return place_profile(place)


def _flows_of(query: str) -> tuple[int, int]:
    filters, errors = filters_from_query(dict(parse_qsl(query)))
    assert not errors, errors
    summary = flows_summary(filtered_flows(filters))
    return summary.count, summary.total_pence


def _all_figures(profile: PlaceProfile) -> list[Figure]:
    figures = [profile.total, profile.not_linked_total]
    figures += profile.by_channel + profile.by_year + profile.by_sector + profile.by_locality
    figures += profile.not_linked
    for _, per_channel in profile.by_channel_year:
        figures += per_channel
    return figures


def test_channel_totals_are_the_published_totals_to_the_penny(profile: PlaceProfile) -> None:
    by_channel = {f.key: f.pence for f in profile.by_channel}
    assert by_channel["grant"] == GRANTS_PENCE
    assert by_channel["spend"] == SPEND_2026_27_PENCE
    contracts = MoneyFlow.objects.filter(channel="contract", place__gss_code="E08000009")
    assert by_channel["contract"] == contracts.aggregate(t=Sum("amount_pence"))["t"]


def test_every_breakdown_adds_up_to_the_total(profile: PlaceProfile) -> None:
    total = profile.total.pence
    for parts in (profile.by_channel, profile.by_year, profile.by_sector, profile.by_locality):
        assert sum(f.pence for f in parts) == total
        assert sum(f.count for f in parts) == profile.total.count
    assert sum(f.pence for _, per in profile.by_channel_year for f in per) == total
    assert sum(f.pence for f in profile.not_linked) == profile.not_linked_total.pence


def test_every_figure_leads_to_flows_that_add_up_to_it(profile: PlaceProfile) -> None:
    for figure in _all_figures(profile):
        assert _flows_of(figure.flows_query) == (figure.count, figure.pence), figure.label
    for _, recipients in profile.top_by_sector:
        for recipient in recipients:
            assert _flows_of(recipient.flows_query) == (recipient.count, recipient.pence)
    for ward in profile.grants_by_ward:
        assert _flows_of(ward.flows_query) == (ward.count, ward.pence), ward.ward.name


def test_concentration_is_the_sum_of_squared_recipient_shares(profile: PlaceProfile) -> None:
    totals: dict[str, int] = {}
    flows = MoneyFlow.objects.filter(place__gss_code="E08000009").exclude(
        recipient_link_method="redacted"
    )
    for org, key, pence in flows.values_list(
        "recipient_organisation_id", "recipient_key", "amount_pence"
    ):
        name = f"org:{org}" if org else key
        totals[name] = totals.get(name, 0) + pence
    positive = [p for p in totals.values() if p > 0]
    expected = sum((p * 100 / sum(positive)) ** 2 for p in positive)
    assert profile.hhi == pytest.approx(expected, abs=0.05)
    assert profile.distinct_recipients == len(totals)
    assert 0 < profile.hhi < 10_000


def test_payments_to_individuals_are_shown_as_withheld_and_not_as_recipients(
    profile: PlaceProfile,
) -> None:
    withheld = next(f for f in profile.by_sector if f.key == "withheld")
    assert withheld.count == 6000
    assert all(r.name != "Redacted" for _, rs in profile.top_by_sector for r in rs)


def test_grants_reach_wards_through_postcodes_and_linked_charities(
    profile: PlaceProfile,
) -> None:
    assert len(profile.grants_by_ward) == 21
    placed = [w for w in profile.grants_by_ward if w.count]
    assert placed, "some grants are placed in wards"
    assert sum(w.pence for w in profile.grants_by_ward) <= GRANTS_PENCE


def test_charities_linked_by_number_count_as_charity_money(profile: PlaceProfile) -> None:
    charity = next(f for f in profile.by_sector if f.key == "charity")
    linked = MoneyFlow.objects.filter(
        channel="grant", recipient_link_method="identifier", recipient_sector="charity"
    )
    assert linked.exists()
    assert charity.pence >= linked.aggregate(t=Sum("amount_pence"))["t"]


def test_dates_limit_the_profile(money_demo: None) -> None:
    place = place_by_gss("E08000009")
    assert place is not None
    profile = place_profile(place, date(2026, 4, 1), date(2026, 5, 31))
    assert {f.key for f in profile.by_channel} == {"spend"}
    assert profile.total.pence == SPEND_2026_27_PENCE
    assert [f.label for f in profile.by_year] == ["2026-27"]
