"""Organisations and the five people every authorisation test asks about (shared by all tests
through tests/conftest.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from commonground.accounts import services
from commonground.accounts.models import Membership
from commonground.organisations.models import Organisation
from tests.accounts.factories import UserFactory
from tests.organisations.factories import OrganisationFactory


@pytest.fixture
def council(db: None) -> Organisation:
    return OrganisationFactory(
        org_id="GB-LAE-TRF", name="Trafford Council (synthetic test record)", sector="public_body"
    )


@pytest.fixture
def charity(db: None) -> Organisation:
    return OrganisationFactory(
        org_id="GB-CHC-9990001", name="Sale Food Bank (synthetic test record)", sector="charity"
    )


@pytest.fixture
def funder(db: None) -> Organisation:
    return OrganisationFactory(
        org_id="GB-CHC-9990002",
        name="Stretford Trust (synthetic test record)",
        sector="social_finance",
    )


@pytest.fixture
def people(charity: Organisation) -> dict[str, User]:
    """Around one charity: a platform administrator, the charity's administrator, a member, an
    outsider (signed in, no link to the charity) and a person waiting to join."""
    staff = UserFactory(email="admin@platform.example", is_staff=True)
    org_admin = UserFactory(email="chair@charity.example")
    member = UserFactory(email="volunteer@charity.example")
    outsider = UserFactory(email="outsider@elsewhere.example")
    applicant = UserFactory(email="applicant@charity.example")
    claim = services.membership_request(org_admin, charity, "officer", "I chair the trustees")
    services.membership_approve(staff, claim)
    services.membership_approve(
        org_admin, services.membership_request(member, charity, "member", "")
    )
    services.membership_request(applicant, charity, "officer", "New project worker")
    return {
        "staff": staff,
        "org_admin": org_admin,
        "member": member,
        "outsider": outsider,
        "applicant": applicant,
    }


@pytest.fixture
def pending(people: dict[str, User]) -> Membership:
    return Membership.objects.get(user=people["applicant"], status="pending")
