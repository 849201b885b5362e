"""`load_demo_partnerships` on the real Trafford atlas: one partnership, clearly an example, built
from real Trafford organisations, with a health-check round showing where perspectives diverge.
Re-running changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from commonground.partnerships import selectors
from commonground.partnerships.models import HealthCheckAnswer, Partnership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trafford")]


def test_the_demo_partnership_is_an_example_of_real_trafford_organisations_with_a_divergence():
    call_command("load_demo_partnerships", stdout=StringIO())
    partnership = Partnership.objects.get(is_example=True, place__gss_code="E08000009")
    org_ids = set(
        partnership.members.filter(organisation__isnull=False).values_list(
            "organisation__org_id", flat=True
        )
    )
    assert {"GB-CHC-1109047", "GB-CHC-1102075"} <= org_ids  # Age UK Trafford, Trafford Carers
    perspectives = set(partnership.members.values_list("perspective", flat=True))
    assert perspectives == {"commissioner", "provider", "funder", "community"}
    assert [c.to_stage for c in partnership.stage_changes.all()][-1] == partnership.stage

    lead = partnership.members.get(role="lead").user
    results = selectors.health_results(partnership, lead)
    latest = selectors.latest_shown(results)
    assert latest is not None and all(r.shown for r in results)
    trust = next(p for p in latest.principles if p.principle == "trust")
    views = {v.perspective: v.average for v in trust.perspectives}
    assert views["commissioner"] - views["provider"] >= 2
    assert trust.divergence is not None and trust.divergence >= 2


def test_loading_the_demo_twice_changes_nothing():
    call_command("load_demo_partnerships", stdout=StringIO())
    counts = (Partnership.objects.count(), HealthCheckAnswer.objects.count())
    out = StringIO()
    call_command("load_demo_partnerships", stdout=out)
    assert (Partnership.objects.count(), HealthCheckAnswer.objects.count()) == counts
    assert "already loaded" in out.getvalue()


def test_the_demo_partnership_links_its_leads_saved_appraisal_with_a_recommendation():
    call_command("load_demo_partnerships", stdout=StringIO())
    partnership = Partnership.objects.get(is_example=True, place__gss_code="E08000009")
    appraisal = partnership.appraisal
    assert appraisal is not None
    assert appraisal.author == partnership.members.get(role="lead").user
    assert appraisal.answers["authority_name"] == "Trafford Council"
    assert "GB-CHC-1109047" in appraisal.answers["partners"]
    assert appraisal.result["recommendation"][0]["code"] == "alliance_contract"
    assert "reservable_for_mutuals" in appraisal.result["unknown_answers"]


def test_the_demo_appraisal_page_links_back_to_the_partnership_for_its_lead(client):
    call_command("load_demo_partnerships", stdout=StringIO())
    partnership = Partnership.objects.get(is_example=True, place__gss_code="E08000009")
    client.force_login(partnership.members.get(role="lead").user)
    page = client.get(f"/appraisals/{partnership.appraisal_id}/").content.decode()
    assert f'href="/partnerships/{partnership.pk}/"' in page
    assert "Recommended route: Alliance contract" in page
