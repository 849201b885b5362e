"""Partnerships for any test: rows made directly, a whole partnership with a member from each
perspective made through the services, health check rounds and invitations."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import factory
from django.contrib.auth.models import User
from django.core import mail
from django.db import transaction
from django.utils import timezone

from commonground.accounts import services as account_services
from commonground.partnerships import services
from commonground.partnerships.models import (
    HealthCheckRound,
    Partnership,
    PartnershipInvitation,
    PartnershipMember,
    Principle,
)
from commonground.places.models import Place
from tests.accounts.factories import UserFactory
from tests.organisations.factories import OrganisationFactory
from tests.places.factories import PlaceFactory

# Everyone whose access the partnership pages and API are tested for.
WHO = ["anonymous", "outsider", "other_member", "observer", "member", "lead", "staff"]
INVITEE = "invitee@example.org"

# A council buying services for three years: enough for a route appraisal to link.
ROUTE_ANSWERS = {
    "nation": "england",
    "decision_date": "2026-06-01",
    "authority_type": "local_authority",
    "subject": "services",
    "estimated_value_pence": 125_000_000,
    "duration_months": 36,
    "council_receives_services": True,
}


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n} (synthetic)")
    purpose = "Synthetic test partnership"
    place = factory.SubFactory(PlaceFactory)
    created_by = factory.SubFactory(UserFactory)
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipMember

    partnership = factory.SubFactory(PartnershipFactory)
    user = factory.SubFactory(UserFactory)
    perspective = "commissioner"
    role = "member"
    joined_on = dt.date(2026, 1, 5)


@dataclass
class World:
    place: Place
    partnership: Partnership
    other: Partnership
    people: dict[str, User]


def partnership_world(place: Place) -> World:
    """A partnership led by a commissioner, with a provider member and a community observer,
    made through the services; another partnership; a platform administrator and an outsider."""
    people = {
        "outsider": UserFactory(email="outsider@example.org"),
        "other_member": UserFactory(email="other@example.org"),
        "observer": UserFactory(email="observer@example.org"),
        "member": UserFactory(email="member@example.org"),
        "lead": UserFactory(email="lead@example.org"),
        "staff": UserFactory(email="staff@example.org", is_staff=True),
    }
    partnership = services.partnership_create(
        people["lead"],
        name="Sale Community Wellbeing Partnership",
        purpose="Fewer people lonely in Sale.",
        place=place,
        perspective="commissioner",
    )
    services.partnership_add_member(
        people["lead"], partnership, user=people["member"], perspective="provider"
    )
    services.partnership_add_member(
        people["lead"],
        partnership,
        user=people["observer"],
        perspective="community",
        role="observer",
    )
    other = services.partnership_create(
        people["other_member"],
        name="Another partnership",
        purpose="Something else.",
        place=place,
        perspective="provider",
    )
    return World(place, partnership, other, people)


def all_answers(score: int = 3, comment: str = "") -> dict[str, tuple[int, str]]:
    return {p.value: (score, comment) for p in Principle}


def acting_officer(email: str, org_id: str, name: str, sector: str) -> User:
    """A person approved as an officer of an organisation (approved by a platform admin)."""
    organisation = OrganisationFactory(org_id=org_id, name=name, sector=sector)
    person = UserFactory(email=email)
    approver = User.objects.filter(is_staff=True).first() or UserFactory(
        email="approver@example.org", is_staff=True
    )
    request = account_services.membership_request(person, organisation, "officer", "")
    account_services.membership_approve(approver, request)
    return person


def closed_round_with(
    partnership: Partnership, lead: User, answers: list[tuple[User, int]]
) -> HealthCheckRound:
    health_round = services.health_check_round_open(lead, partnership, dt.date(2026, 1, 5))
    for person, score in answers:
        services.health_check_answer(person, health_round, all_answers(score, f"from {score}"))
    return services.health_check_round_close(lead, health_round)


def invite(
    world: World,
    email: str = INVITEE,
    role: str = "member",
    perspective: str = "funder",
    by: str = "lead",
) -> PartnershipInvitation:
    with transaction.atomic():
        return services.invitation_send(
            world.people[by],
            world.partnership,
            email=email,
            perspective=perspective,
            role=role,
            site_url="http://testserver/",
        )


def link_in_mail(email: str = INVITEE) -> str:
    message = next(m for m in reversed(mail.outbox) if m.to == [email])
    return re.search(r"http://testserver(/\S+)", message.body).group(1)  # type: ignore[union-attr]


def sent_link(
    world: World, capture_on_commit: Callable[..., Any], email: str = INVITEE, **kwargs: Any
) -> tuple[PartnershipInvitation, str]:
    """An invitation sent (its email too, once the transaction commits) and the emailed link."""
    with capture_on_commit(execute=True):
        invitation = invite(world, email, **kwargs)
    return invitation, link_in_mail(invitation.email)


def is_member(world: World, user: User) -> bool:
    return world.partnership.members.filter(user=user, left_on__isnull=True).exists()
