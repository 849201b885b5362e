"""The report: committed, verified, claimed-not-verified and disputed figures kept apart, per
measure and theme, in units and (where a proxy or the unit allows) in money to the penny."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from commonground.social_value import selectors, services
from commonground.social_value.importer import FrameworkDetails, framework_import
from commonground.social_value.models import Measure

pytestmark = pytest.mark.django_db

PERIOD = {"period_start": dt.date(2026, 4, 1), "period_end": dt.date(2027, 3, 31)}
CSV = (
    "theme_code,theme_name,outcome_code,outcome_name,measure_code,measure_name,unit,"
    "proxy_value_gbp,proxy_source,proxy_version\n"
    "W,Wellbeing,W1,Connected people,W1-A,Befriending hours,hours,12.37,Test proxy source,v1\n"
    "W,Wellbeing,W1,Connected people,W1-B,People supported,people,,,\n"
    "E,Economy,E1,Local spend,E1-A,Spend with local VCSEs,pounds,,,\n"
)


@pytest.fixture
def proxied(social_value_world, csv_file):
    run = framework_import(
        csv_file(CSV),
        FrameworkDetails(slug="test-proxies", version="1", name="Test (synthetic)", licence="OGL"),
    )
    assert run.status == "succeeded", run.error
    return {m.code: m for m in Measure.objects.filter(framework__slug="test-proxies")}


def _deliver(social_value_world, commitment, quantity, status, who="provider"):
    delivery = services.delivery_claim(
        social_value_world.people[who],
        commitment,
        quantity=quantity,
        unit=commitment.unit,
        period_start=dt.date(2026, 5, 1),
        period_end=dt.date(2026, 5, 31),
    )
    if status in ("evidenced", "verified"):
        services.evidence_add_link(
            social_value_world.people[who],
            delivery,
            url="https://example.org/e",
            description="Register",
        )
    if status in ("verified", "disputed"):
        services.delivery_decide(
            social_value_world.people["commissioner"], delivery, decision=status, note="Checked"
        )
    return delivery


def test_claimed_and_verified_are_summed_apart_to_the_penny(social_value_world, proxied) -> None:
    provider = social_value_world.people["provider"]
    hours = services.commitment_create(
        provider,
        social_value_world.partnership,
        measure=proxied["W1-A"],
        quantity="100",
        unit="hours",
        **PERIOD,
    )
    # A second commitment to the same measure adds to its committed figure.
    services.commitment_create(
        provider,
        social_value_world.partnership,
        measure=proxied["W1-A"],
        quantity="0.5",
        unit="hours",
        **PERIOD,
    )
    _deliver(social_value_world, hours, "10.25", "verified")
    _deliver(social_value_world, hours, "3.33", "verified")
    _deliver(social_value_world, hours, "7.5", "evidenced")
    _deliver(social_value_world, hours, "1.01", "claimed")
    _deliver(social_value_world, hours, "2", "disputed")

    report = selectors.social_value_report(social_value_world.partnership)
    (line,) = report.measure_lines
    assert line.units == {
        "committed": Decimal("100.50"),
        "verified": Decimal("13.58"),
        "claimed": Decimal("8.51"),
        "disputed": Decimal("2.00"),
    }
    # 100.5 × 1237p = 124318.5 → 124319; 13.58 × 1237 = 16798.46 → 16798;
    # 8.51 × 1237 = 10526.87 → 10527; 2 × 1237 = 2474.
    assert line.money == {
        "committed": 124319,
        "verified": 16798,
        "claimed": 10527,
        "disputed": 2474,
    }
    assert report.delivery_counts == {"claimed": 1, "evidenced": 1, "verified": 2, "disputed": 1}
    assert "proxy £12.37" in line.basis and "Test proxy source, v1" in line.basis


def test_money_counts_only_measures_with_a_proxy_or_in_pounds(social_value_world, proxied) -> None:
    provider = social_value_world.people["provider"]
    people = services.commitment_create(
        provider,
        social_value_world.partnership,
        measure=proxied["W1-B"],
        quantity="20",
        unit="people",
        **PERIOD,
    )
    hours = services.commitment_create(
        provider,
        social_value_world.partnership,
        measure=proxied["W1-A"],
        quantity="10",
        unit="hours",
        **PERIOD,
    )
    spend = services.commitment_create(
        provider,
        social_value_world.partnership,
        measure=proxied["E1-A"],
        quantity="15000.99",
        unit="pounds",
        **PERIOD,
    )
    _deliver(social_value_world, people, "5", "verified")
    _deliver(social_value_world, hours, "1", "verified")
    _deliver(social_value_world, spend, "1234.56", "verified")
    _deliver(social_value_world, spend, "100.01", "claimed")

    report = selectors.social_value_report(social_value_world.partnership)
    wellbeing, economy = report.themes
    assert wellbeing.measures_without_money == 1
    assert wellbeing.money == {"committed": 12370, "verified": 1237, "claimed": 0, "disputed": 0}
    assert economy.money == {
        "committed": 1500099,
        "verified": 123456,
        "claimed": 10001,
        "disputed": 0,
    }
    assert report.money == {
        "committed": 1512469,
        "verified": 124693,
        "claimed": 10001,
        "disputed": 0,
    }
    people_line = next(m for m in wellbeing.measures if m.measure.code == "W1-B")
    assert people_line.money is None and people_line.basis == "no proxy value"


def test_the_csv_has_claimed_and_verified_in_separate_labelled_columns(
    social_value_world, proxied
) -> None:
    hours = services.commitment_create(
        social_value_world.people["provider"],
        social_value_world.partnership,
        measure=proxied["W1-A"],
        quantity="4",
        unit="hours",
        **PERIOD,
    )
    _deliver(social_value_world, hours, "1", "verified")
    _deliver(social_value_world, hours, "2", "claimed")
    text = selectors.report_csv(selectors.social_value_report(social_value_world.partnership))
    (columns,) = list(csv.DictReader(io.StringIO(text)))
    assert columns["verified_quantity"] == "1.00"
    assert columns["claimed_quantity"] == "2.00"
    assert columns["verified_gbp"] == "12.37"
    assert columns["claimed_gbp"] == "24.74"
    assert columns["committed_gbp"] == "49.48"


def test_a_partnership_with_nothing_recorded_has_an_empty_report(social_value_world) -> None:
    report = selectors.social_value_report(social_value_world.partnership)
    assert report.themes == [] and report.money is None
