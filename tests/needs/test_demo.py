"""`load_demo_needs` on the real Trafford atlas: the example commissioner's published need for a
later-life wellbeing service, its matched organisations with reasons, an example provider's
interest and question answered to all, and the provider shortlisted and invited into the
example partnership. Re-running changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from commonground.needs import selectors
from commonground.needs.models import Need, NeedNotice
from commonground.partnerships.models import PartnershipInvitation
from tests.organisations.factories import OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trafford")]


def load() -> Need:
    OrganisationFactory(org_id="GB-LAE-TRF", name="Trafford Council", sector="public_body")
    call_command("load_demo_partnerships", stdout=StringIO())
    call_command("load_demo_needs", stdout=StringIO())
    return Need.objects.get(is_example=True)


def test_the_example_need_is_published_matched_answered_and_its_provider_invited() -> None:
    need = load()
    assert need.status == "published" and need.kind == "market_engagement"
    matches = selectors.matches_for(need, 10)
    names = [m.organisation.name for m in matches]
    assert "AGE UK TRAFFORD" in names and all(m.reasons for m in matches)
    interests = list(selectors.interests_of(need))
    assert len(interests) == 2
    invited = next(i for i in interests if i.status == "invited")
    assert invited.organisation.org_id == "GB-CHC-1146179"
    invitation = PartnershipInvitation.objects.get(pk=invited.invitation_id)
    assert invitation.partnership.is_example
    other = next(i for i in interests if i is not invited)
    seen = selectors.questions_for(need, other.submitted_by)
    assert len(seen) == 1 and seen[0].answer
    assert NeedNotice.objects.filter(need=need, kind="answer").count() == 1


def test_loading_the_example_need_twice_changes_nothing() -> None:
    load()
    out = StringIO()
    call_command("load_demo_needs", stdout=out)
    assert Need.objects.count() == 1
    assert "already loaded" in out.getvalue()
