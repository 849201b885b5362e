"""A partnership with members from each perspective, another partnership, and the default
framework, for the social value tests. The partnerships are rows (their own services are tested
in tests/partnerships)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.management import call_command

from commonground.partnerships.models import Partnership
from commonground.places.models import Place
from commonground.social_value.models import Framework, Measure
from tests.accounts.factories import UserFactory
from tests.partnerships.factories import MemberFactory, PartnershipFactory


@dataclass
class World:
    partnership: Partnership
    other: Partnership
    framework: Framework
    people: dict[str, User]

    def measure(self, code: str) -> Measure:
        return Measure.objects.get(framework=self.framework, code=code)


def social_value_world() -> World:
    call_command("load_social_value_frameworks", stdout=io.StringIO())
    place = Place.objects.create(gss_code="E08000009", name="Trafford", kind="local_authority")
    people = {
        "staff": UserFactory(email="admin@platform.example", is_staff=True),
        "commissioner": UserFactory(email="commissioner@council.example"),
        "commissioner2": UserFactory(email="colleague@council.example"),
        "provider": UserFactory(email="worker@provider.example"),
        "funder": UserFactory(email="grants@funder.example"),
        "observer": UserFactory(email="watcher@community.example"),
        "outsider": UserFactory(email="outsider@elsewhere.example"),
        "other_member": UserFactory(email="member@otherpartnership.example"),
    }
    partnership = PartnershipFactory(
        name="Sale social prescribing (synthetic)", created_by=people["commissioner"], place=place
    )
    for who, perspective, role in (
        ("commissioner", "commissioner", "lead"),
        ("commissioner2", "commissioner", "member"),
        ("provider", "provider", "member"),
        ("funder", "funder", "accountable_body"),
        ("observer", "community", "observer"),
    ):
        MemberFactory(partnership=partnership, user=people[who], perspective=perspective, role=role)
    other = PartnershipFactory(
        name="Stretford youth (synthetic)", created_by=people["other_member"], place=place
    )
    MemberFactory(
        partnership=other, user=people["other_member"], perspective="provider", role="lead"
    )
    framework = Framework.objects.get(is_default=True)
    return World(partnership, other, framework, people)
