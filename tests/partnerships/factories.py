"""Partnerships and their members for tests, written as rows (their services are tested in
tests/partnerships)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from commonground.partnerships.models import Partnership, PartnershipMember
from tests.accounts.factories import UserFactory
from tests.places.factories import PlaceFactory


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
