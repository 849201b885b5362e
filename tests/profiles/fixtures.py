"""Shared fixtures for the profiles tests (found by pytest through tests/conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User

from commonground.organisations.models import Organisation
from commonground.places.models import Place
from tests.accounts.factories import UserFactory
from tests.organisations.factories import OrganisationFactory
from tests.places.factories import PlaceFactory

from .factories import member_of


@dataclass
class ProfileWorld:
    trafford: Place
    ward: Place
    charity: Organisation
    other: Organisation
    council: Organisation
    owner: User  # an approved officer of the charity
    volunteer: User  # an approved member (not acting for it)
    pending: User  # asked to join, not approved
    outsider: User
    commissioner: User  # an approved officer of the council
    other_owner: User  # an approved officer of another organisation


@pytest.fixture
def profile_world(db: None) -> ProfileWorld:
    trafford = PlaceFactory()
    ward = PlaceFactory(gss_code="E05015259", name="Urmston", kind="ward", parent=trafford)
    charity = OrganisationFactory(name="Synthetic later life charity")
    other = OrganisationFactory(name="Synthetic other charity")
    council = OrganisationFactory(
        org_id="GB-LAE-TRF", name="Trafford Council", sector="public_body"
    )
    return ProfileWorld(
        trafford=trafford,
        ward=ward,
        charity=charity,
        other=other,
        council=council,
        owner=member_of(charity),
        volunteer=member_of(charity, role="member"),
        pending=member_of(charity, status="pending"),
        outsider=UserFactory(),
        commissioner=member_of(council),
        other_owner=member_of(other),
    )
