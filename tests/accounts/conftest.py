"""People and organisations for the account tests.

Organisations are written through the atlas service (organisations_upsert) from small records
labelled as synthetic; the sectors they need (public body, funder) have no register loaded yet.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.core import mail

from commonground.accounts import services
from commonground.accounts.models import Membership
from commonground.organisations.models import Organisation
from commonground.organisations.records import OrganisationRecord, SectorClaim
from commonground.organisations.services import organisations_upsert

PASSWORD = "correct horse battery staple"


def make_organisation(org_id: str, name: str, sector: str) -> Organisation:
    record = OrganisationRecord(
        dataset="synthetic_test",
        record_key=org_id,
        raw={"synthetic": True},
        identifiers=[org_id],
        name=name,
        sector_claims=[SectorClaim(sector, "test", sector, "synthetic test record")],
    )
    organisations_upsert([record], None)
    return Organisation.objects.get(org_id=org_id)


def verification_link(email: str) -> str:
    message = next(m for m in reversed(mail.outbox) if email in m.to)
    return re.search(r"https?://\S+", message.body).group(0)  # type: ignore[union-attr]


def make_user(email: str, *, verified: bool = True, staff: bool = False) -> User:
    user = services.account_sign_up(email, PASSWORD, site_url="http://testserver/")
    assert user is not None
    if verified:
        token = verification_link(email).rstrip("/").rsplit("/", 1)[1]
        services.email_verify(token)
    if staff:
        User.objects.filter(pk=user.pk).update(is_staff=True)
    user.refresh_from_db()
    return user


@pytest.fixture
def council() -> Organisation:
    return make_organisation(
        "GB-LAE-TRF", "Trafford Council (synthetic test record)", "public_body"
    )


@pytest.fixture
def charity() -> Organisation:
    return make_organisation("GB-CHC-9990001", "Sale Food Bank (synthetic test record)", "charity")


@pytest.fixture
def funder() -> Organisation:
    return make_organisation(
        "GB-CHC-9990002", "Stretford Trust (synthetic test record)", "social_finance"
    )


@pytest.fixture
def people(charity: Organisation) -> dict[str, User]:
    """The five people every authorisation test asks about, around one charity: a platform
    administrator, the charity's administrator, a member, an outsider (signed in, no link to the
    charity) and a person waiting to join."""
    staff = make_user("admin@platform.example", staff=True)
    org_admin = make_user("chair@charity.example")
    member = make_user("volunteer@charity.example")
    outsider = make_user("outsider@elsewhere.example")
    applicant = make_user("applicant@charity.example")
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


@pytest.fixture
def user_factory() -> Callable[..., User]:
    return make_user
