"""Partnership profiles and services for any test: rows made directly, and owners (approved
officers of the organisation) whom the services let change them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.contrib.auth.models import User
from django.utils import timezone

from commonground.accounts.models import Membership
from commonground.organisations.models import Organisation
from commonground.profiles.models import PartnershipProfile, Service
from tests.accounts.factories import UserFactory
from tests.organisations.factories import OrganisationFactory

SCHEMA_DIR = "openreferral/hsds3_schema"
EXAMPLES_DIR = "openreferral/hsds3_examples_fictional"


def member_of(
    organisation: Organisation, *, role: str = "officer", status: str = "approved", **kw: Any
) -> User:
    """A person with a confirmed address and a membership of `organisation`."""
    user = UserFactory(**kw)
    Membership.objects.create(
        user=user,
        organisation=organisation,
        role=role,
        status=status,
        requested_at=timezone.now(),
        decided_at=timezone.now() if status == "approved" else None,
    )
    return user


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipProfile

    organisation = factory.SubFactory(OrganisationFactory)
    summary = "We run lunch clubs and befriending for older people (synthetic)."
    open_to_partnership = "yes"
    routes = factory.LazyFunction(lambda: ["grant", "consortium_member"])
    people_served_a_year = 1200
    staff = 14
    volunteers = 80
    income_band = "100k_1m"
    contact_email = "partnerships@example.org"
    contact_consent_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)
    version = 1


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Befriending service {n} (synthetic)")
    description = "Weekly visits and calls for older people living alone."
    who_for = "People over 60 living alone"
    languages = factory.LazyFunction(lambda: ["English"])
    updated_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def places(self, create: bool, extracted: list[Any] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.places.set(extracted)


def a_year_and_a_day_ago() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=366)


def profile_data(**overrides: Any) -> dict[str, Any]:
    """What a profile form or PUT sends, valid as it stands."""
    data: dict[str, Any] = {
        "summary": "Later life wellbeing across Trafford (synthetic).",
        "open_to_partnership": "conditions",
        "conditions": "Full cost recovery.",
        "routes": ["grant", "contract", "consortium_lead"],
        "people_served_a_year": 4000,
        "staff": 60,
        "volunteers": 250,
        "income_band": "1m_10m",
        "asset_lock": True,
        "asset_lock_evidence": "Charitable objects; Charities Act 2011",
        "member_owned": False,
        "member_owned_evidence": "",
        "community_control": False,
        "community_control_evidence": "",
        "quality_marks": [{"name": "Investing in Volunteers", "evidence": "Awarded 2025"}],
        "contact_email": "partnerships@example.org",
        "contact_consent": True,
    }
    data.update(overrides)
    return data
