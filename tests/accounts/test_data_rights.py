"""A person downloads everything they entered as JSON and can delete their account; deletion
anonymises them without losing memberships or the audit trail."""

from __future__ import annotations

import datetime as dt
import json
import secrets

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from commonground.accounts import services
from commonground.accounts.models import ApiToken, Membership
from commonground.audit.models import AuditEvent
from commonground.commissioning.models import Appraisal, AppraisalInvitation
from commonground.engagement.models import Conversation, Participant
from commonground.partnerships.models import PartnershipInvitation
from commonground.partnerships.selectors import invitee_label
from tests.accounts.factories import PASSWORD, UserFactory
from tests.partnerships.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def test_the_download_holds_the_account_memberships_tokens_and_activity(client, people):
    services.api_token_create(people["member"], "script")
    client.force_login(people["member"])

    response = client.get("/account/download/")

    assert response["Content-Disposition"] == 'attachment; filename="common-ground-my-data.json"'
    data = json.loads(response.content)
    assert data["account"]["email"] == "volunteer@charity.example"
    assert [(m["organisation_id"], m["role"], m["status"]) for m in data["memberships"]] == [
        ("GB-CHC-9990001", "member", "approved")
    ]
    assert [t["name"] for t in data["api_tokens"]] == ["script"]
    assert "token_hash" not in json.dumps(data)
    assert {"membership.request", "api_token.create"} <= {a["action"] for a in data["activity"]}
    # Nothing of anyone else's.
    assert "chair@charity.example" not in response.text


def test_deleting_an_account_needs_the_password(client):
    client.force_login(UserFactory(email="sam@example.org"))

    response = client.post("/account/delete/", {"password": "wrong"})

    assert "The password is not correct" in response.text
    assert User.objects.get().is_active


def test_a_deleted_account_is_anonymised_and_its_records_stay_whole(client, people, charity):
    admin = people["org_admin"]
    services.api_token_create(admin, "script")
    events_before = AuditEvent.objects.count()
    decided = Membership.objects.get(user=people["member"])
    client.force_login(admin)

    response = client.post("/account/delete/", {"password": PASSWORD})

    assert "Your account has been deleted" in response.text
    admin.refresh_from_db()
    assert (admin.email, admin.is_active, admin.has_usable_password()) == ("", False, False)
    assert "chair" not in admin.username
    assert admin.profile.deleted_at is not None
    # Records kept, authored by the anonymous tombstone.
    assert AuditEvent.objects.count() == events_before + 1
    assert AuditEvent.objects.filter(actor=admin, action="membership.approve").exists()
    own = Membership.objects.get(user=admin, organisation=charity)
    assert own.status == "left"
    decided.refresh_from_db()
    assert decided.decided_by == admin and decided.status == "approved"
    assert not ApiToken.objects.filter(user=admin).exists()
    assert services.display_name(admin) == "Deleted account"
    # Signed out, cannot sign back in, and the address is free again.
    assert client.get("/account/").status_code == 302
    assert (
        client.post(
            "/account/sign-in/", {"email": "chair@charity.example", "password": PASSWORD}
        ).status_code
        == 200
    )
    assert UserFactory(email="chair@charity.example").pk != admin.pk


def test_the_audit_page_shows_a_deleted_author_as_a_deleted_account(client, people):
    services.account_delete(people["org_admin"])
    client.force_login(people["staff"])

    page = client.get("/audit/?action=membership.approve").text

    assert "Deleted account" in page and "chair@charity.example" not in page


def test_deleting_an_account_forgets_its_address_on_every_invitation():
    """Conversations, partnerships and appraisals invite an address, not an account: once the
    person deletes their account, no invitation keeps it, sent or answered, and one still
    waiting can no longer be accepted. Other people's invitations are untouched."""
    sam = UserFactory(email="sam@example.org")
    lead = UserFactory(email="lead@example.org")
    now = timezone.now()
    talk = Conversation.objects.create(
        title="Later life", kind="round_table", prompt="What helps?", convener=lead
    )
    joined = Participant.objects.create(
        conversation=talk,
        user=sam,
        display_name="Sam",
        perspective="community",
        invited_email="sam@example.org",
        invitation_accepted_at=now,
    )
    waiting = Participant.objects.create(
        conversation=Conversation.objects.create(
            title="Parks", kind="survey", prompt="Why?", convener=lead
        ),
        display_name="Sam",
        perspective="community",
        invited_email="Sam@Example.org",
    )
    other = Participant.objects.create(
        conversation=talk,
        display_name="Kim",
        perspective="community",
        invited_email="kim@example.org",
    )
    partnership = PartnershipFactory(created_by=lead)

    def partnership_invitation(
        email: str, status: str, responded_by: User | None = None
    ) -> PartnershipInvitation:
        return PartnershipInvitation.objects.create(
            partnership=partnership,
            email=email,
            perspective="funder",
            status=status,
            secret_hash=secrets.token_hex(32),
            invited_by=lead,
            created_at=now,
            expires_at=now + dt.timedelta(days=14),
            responded_by=responded_by,
        )

    answered = partnership_invitation("sam@example.org", "accepted", responded_by=sam)
    pending = partnership_invitation("sam@example.org", "pending")
    kims = partnership_invitation("kim@example.org", "pending")
    appraisal = Appraisal.objects.create(
        author=lead, decision_date=dt.date(2026, 6, 1), rules_version="test"
    )
    shared = AppraisalInvitation.objects.create(
        appraisal=appraisal,
        email="sam@example.org",
        secret_hash=secrets.token_hex(32),
        invited_by=lead,
        created_at=now,
        expires_at=now + dt.timedelta(days=14),
    )

    services.account_delete(sam)

    for row in (joined, waiting, other, answered, pending, kims, shared):
        row.refresh_from_db()
    assert (joined.invited_email, waiting.invited_email, other.invited_email) == (
        "",
        "",
        "kim@example.org",
    )
    assert joined.user == sam  # what Sam said stays, by a deleted account
    assert [(i.email, i.status) for i in (answered, pending, kims)] == [
        ("", "accepted"),
        ("", "revoked"),
        ("kim@example.org", "pending"),
    ]
    assert (shared.email, shared.status) == ("", "withdrawn")
    assert invitee_label(answered, lead) == "Deleted account"
    held = [
        *Participant.objects.values_list("invited_email", flat=True),
        *PartnershipInvitation.objects.values_list("email", flat=True),
        *AppraisalInvitation.objects.values_list("email", flat=True),
    ]
    assert not [address for address in held if address.lower() == "sam@example.org"]
