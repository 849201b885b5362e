"""A lead takes a shortlist into a partnership: its organisations join as members."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from commonground.audit.models import AuditEvent
from commonground.partnerships import services
from commonground.partnerships.shortlists import partnership_add_shortlist
from tests.organisations.factories import OrganisationFactory, shortlist_of
from tests.partnerships.factories import World

pytestmark = pytest.mark.django_db


def test_a_lead_adds_every_shortlisted_organisation_and_keeps_existing_members(
    partnership_world: World,
) -> None:
    lead = partnership_world.people["lead"]
    partnership = partnership_world.partnership
    befrienders = OrganisationFactory(name="Befrienders")
    lunch = OrganisationFactory(name="Lunch club", sector="cooperative_mutual")
    services.partnership_add_member(lead, partnership, organisation=befrienders)
    shortlist = shortlist_of(lead, "Later life", [befrienders, lunch])

    taken = partnership_add_shortlist(lead, partnership, shortlist)

    assert [m.organisation for m in taken.added] == [lunch]
    assert taken.already == [befrienders]
    assert taken.summary() == "1 organisation added; 1 was already a member."
    current = partnership.members.filter(left_on__isnull=True, organisation__isnull=False)
    assert {m.organisation_id for m in current} == {befrienders.pk, lunch.pk}
    assert AuditEvent.objects.filter(action="partnership.member_add").count() >= 2


def test_only_a_lead_with_their_own_shortlist_takes_it_into_a_partnership(
    partnership_world: World,
) -> None:
    people = partnership_world.people
    partnership = partnership_world.partnership
    theirs = shortlist_of(people["member"], "A member's", [OrganisationFactory()])
    with pytest.raises(PermissionDenied):  # a member, not a lead
        partnership_add_shortlist(people["member"], partnership, theirs)
    with pytest.raises(PermissionDenied):  # a lead, but someone else's shortlist
        partnership_add_shortlist(people["lead"], partnership, theirs)
    assert not partnership.members.filter(organisation__isnull=False).exists()


def test_an_empty_shortlist_adds_nobody_and_says_so(partnership_world: World) -> None:
    lead = partnership_world.people["lead"]
    empty = shortlist_of(lead, "Nothing yet", [])
    with pytest.raises(services.PartnershipError, match="has no organisations"):
        partnership_add_shortlist(lead, partnership_world.partnership, empty)
