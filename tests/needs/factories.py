"""Needs for any test: a commissioner's council, providers that answer, and needs made through
the services (drafts or published)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from commonground.accounts.models import Membership, MembershipStatus
from commonground.needs import services
from commonground.needs.models import Need
from commonground.organisations.models import Organisation
from commonground.places.models import Place, PlaceKind
from tests.accounts.factories import UserFactory
from tests.organisations.factories import OrganisationFactory

TRAFFORD = "E08000009"
URMSTON = "E05015259"
# Everyone whose access to a need the tests ask about.
WHO = ["anonymous", "outsider", "joiner", "provider", "other_provider", "commissioner"]


def member_of(user: User, organisation: Organisation, role: str = "officer") -> Membership:
    return Membership.objects.create(
        user=user,
        organisation=organisation,
        role=role,
        status=MembershipStatus.APPROVED,
        requested_at=timezone.now(),
        decided_at=timezone.now(),
    )


def trafford_with_urmston() -> Place:
    trafford = Place.objects.filter(gss_code=TRAFFORD, kind=PlaceKind.LOCAL_AUTHORITY).first()
    if trafford is None:
        trafford = Place.objects.create(
            gss_code=TRAFFORD, name="Trafford", kind=PlaceKind.LOCAL_AUTHORITY
        )
    if not Place.objects.filter(gss_code=URMSTON).exists():
        Place.objects.create(gss_code=URMSTON, name="Urmston", kind=PlaceKind.WARD, parent=trafford)
    return trafford


def need_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Later-life wellbeing service",
        "outcomes": "Older people stay well, connected and independent at home for longer.",
        "who_for": "People over 65 living alone in Trafford, and their carers.",
        "place": TRAFFORD,
        "ward_codes": [URMSTON],
        "budget_min_pence": 20_000_000,
        "budget_max_pence": 35_000_000,
        "timeline": "From April 2027, for three years",
        "route_codes": ["grant", "light_touch_flexible"],
        "kind": "call_for_interest",
        "visibility": "public",
        "closes_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
    }
    data.update(changes)
    return data


@dataclass
class NeedsWorld:
    place: Place
    council: Organisation
    provider_org: Organisation
    other_org: Organisation
    people: dict[str, User]

    def need(self, published: bool = True, **changes: Any) -> Need:
        need = services.need_create(self.people["commissioner"], self.council, need_data(**changes))
        if published:
            need = services.need_publish(self.people["commissioner"], need)
        return need


def needs_world() -> NeedsWorld:
    """A council with a commissioner; two charities, each with an officer who answers for it;
    a person who only belongs to a charity as a volunteer; and an outsider with no organisation."""
    place = trafford_with_urmston()
    council = OrganisationFactory(
        org_id="GB-LAE-TRF", name="Trafford Council", sector="public_body"
    )
    provider_org = OrganisationFactory(
        org_id="GB-CHC-9990101", name="Urmston Later Life Friends (synthetic)", sector="charity"
    )
    other_org = OrganisationFactory(
        org_id="GB-CHC-9990102", name="Sale Youth Club (synthetic)", sector="charity"
    )
    people = {
        "commissioner": UserFactory(email="commissioner@council.example"),
        "provider": UserFactory(email="officer@provider.example"),
        "other_provider": UserFactory(email="officer@other.example"),
        "joiner": UserFactory(email="volunteer@other.example"),
        "outsider": UserFactory(email="outsider@nowhere.example"),
    }
    member_of(people["commissioner"], council)
    member_of(people["provider"], provider_org)
    member_of(people["other_provider"], other_org)
    member_of(people["joiner"], other_org, role="member")
    return NeedsWorld(place, council, provider_org, other_org, people)
