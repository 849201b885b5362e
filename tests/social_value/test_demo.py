"""The demo adds illustrative social value to the example partnership (after the partnerships
demo): some deliveries verified, some only claimed, one disputed; running it again changes
nothing; with no example partnership it says so and does nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from commonground.audit.models import AuditEvent
from commonground.partnerships.models import Partnership
from commonground.places.models import Place
from commonground.social_value import selectors
from commonground.social_value.models import Commitment, Delivery, ValueStatement

pytestmark = pytest.mark.django_db


def run(command: str) -> str:
    out = io.StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


def test_with_no_example_partnership_it_says_so_and_loads_nothing() -> None:
    assert "No example partnership" in run("load_demo_social_value")
    assert not Commitment.objects.exists()


def test_the_demo_shows_the_whole_cycle_and_is_idempotent() -> None:
    Place.objects.create(gss_code="E08000009", name="Trafford", kind="local_authority")
    run("load_demo_partnerships")
    partnership = Partnership.objects.get(is_example=True)
    assert "Loaded 4 commitments and 7 deliveries" in run("load_demo_social_value")
    statuses = sorted(Delivery.objects.values_list("status", flat=True))
    assert statuses.count("verified") == 4
    assert statuses.count("disputed") == 1
    assert "claimed" in statuses and "evidenced" in statuses
    assert ValueStatement.objects.count() == 3
    # Every verification was by someone else, from another perspective.
    for delivery in Delivery.objects.filter(status__in=["verified", "disputed"]):
        assert delivery.decided_by_id != delivery.claimed_by_id
        assert delivery.decider_perspective != delivery.claimant_perspective
    report = selectors.social_value_report(partnership)
    assert report.money == {
        "committed": 25_000_000,
        "verified": 6_125_000,
        "claimed": 0,
        "disputed": 0,
    }
    channels = set(
        AuditEvent.objects.filter(action__startswith="social_value.").values_list(
            "channel", flat=True
        )
    )
    assert channels >= {"command: load_demo_social_value"}

    counts = (Commitment.objects.count(), Delivery.objects.count(), AuditEvent.objects.count())
    assert "already loaded" in run("load_demo_social_value")
    assert (
        Commitment.objects.count(),
        Delivery.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
