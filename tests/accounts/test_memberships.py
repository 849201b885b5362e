"""People ask to join organisations from the atlas; the first claim is approved by a platform
administrator and makes the claimant the organisation's administrator, who approves the rest."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from commonground.accounts import selectors, services
from commonground.accounts.models import Membership
from commonground.audit.models import AuditEvent
from commonground.imports.engine import run_import
from commonground.organisations.models import Organisation
from commonground.organisations.registers.trafford_charities import TraffordCharitiesImporter
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_person_asks_to_join_a_real_trafford_charity_from_the_atlas(client, shared_data: Path):
    run_import(
        TraffordCharitiesImporter(), shared_data / "registers" / "trafford_charities_ccew_2023.csv"
    )
    charity = Organisation.objects.get(identifiers__value="GB-CHC-214927")
    client.force_login(UserFactory(email="worker@example.org"))

    page = client.get(f"/account/join/{charity.org_id}/")
    response = client.post(
        f"/account/join/{charity.org_id}/", {"role": "officer", "note": "Project worker"}
    )

    assert charity.name in page.text
    assert response.status_code == 302
    membership = Membership.objects.get(organisation=charity)
    assert (membership.status, membership.role, membership.first_claim) == (
        "pending",
        "officer",
        True,
    )
    event = AuditEvent.objects.get(action="membership.request")
    assert event.after["status"] == "pending" and event.ip == "127.0.0.1"


def test_an_unknown_organisation_is_not_found(client) -> None:
    client.force_login(UserFactory(email="worker@example.org"))
    assert client.get("/account/join/GB-CHC-0000000/").status_code == 404


def test_joining_needs_a_confirmed_email_address(client, charity) -> None:
    client.force_login(UserFactory(email="worker@example.org", verified=False))

    response = client.post(f"/account/join/{charity.org_id}/", {"role": "officer"})

    assert "Confirm your email address" in response.text
    assert not Membership.objects.exists()


def test_choosing_no_role_is_an_error_in_plain_english(client, charity) -> None:
    client.force_login(UserFactory(email="worker@example.org"))

    response = client.post(f"/account/join/{charity.org_id}/", {"note": "hello"})

    assert "Select your role in the organisation" in response.text
    assert "There is a problem" in response.text


def test_nobody_can_ask_twice(charity) -> None:
    worker = UserFactory(email="worker@example.org")
    services.membership_request(worker, charity, "officer", "")

    with pytest.raises(services.AccountError):
        services.membership_request(worker, charity, "member", "")


def test_the_first_claim_is_approved_by_a_platform_administrator_and_makes_an_org_admin(
    charity,
) -> None:
    staff = UserFactory(email="admin@platform.example", is_staff=True)
    chair = UserFactory(email="chair@example.org")
    claim = services.membership_request(chair, charity, "officer", "")

    approved = services.membership_approve(staff, claim)

    assert (approved.status, approved.role, approved.decided_by) == ("approved", "admin", staff)
    event = AuditEvent.objects.get(action="membership.approve")
    assert (event.actor, event.before["status"], event.after["status"]) == (
        staff,
        "pending",
        "approved",
    )
    assert (event.before["role"], event.after["role"]) == ("officer", "admin")


def test_an_organisation_admin_cannot_approve_a_first_claim(charity, council) -> None:
    staff = UserFactory(email="admin@platform.example", is_staff=True)
    chair = UserFactory(email="chair@example.org")
    services.membership_approve(staff, services.membership_request(chair, charity, "officer", ""))
    council_claim = services.membership_request(
        UserFactory(email="officer@council.example"), council, "officer", ""
    )

    with pytest.raises(PermissionDenied):
        services.membership_approve(chair, council_claim)


def test_later_requests_are_approved_by_the_organisation_admin_with_the_role_asked_for(
    people, pending
) -> None:
    assert pending.first_claim is False

    approved = services.membership_approve(people["org_admin"], pending)

    assert (approved.status, approved.role) == ("approved", "officer")


def test_a_member_who_is_not_an_admin_cannot_approve(people, pending) -> None:
    with pytest.raises(PermissionDenied):
        services.membership_approve(people["member"], pending)
    with pytest.raises(PermissionDenied):
        services.membership_approve(people["outsider"], pending)
    with pytest.raises(PermissionDenied):
        services.membership_approve(people["applicant"], pending)


def test_nobody_approves_their_own_request_not_even_a_platform_administrator(charity) -> None:
    staff = UserFactory(email="admin@platform.example", is_staff=True)
    claim = services.membership_request(staff, charity, "officer", "")

    with pytest.raises(PermissionDenied):
        services.membership_approve(staff, claim)


def test_a_decided_request_cannot_be_decided_again(people, pending) -> None:
    services.membership_decline(people["org_admin"], pending)

    with pytest.raises(PermissionDenied):
        services.membership_approve(people["org_admin"], pending)


def test_the_org_admin_sees_and_approves_requests_on_the_requests_page(client, people, pending):
    client.force_login(people["org_admin"])

    listed = client.get("/account/requests/")
    response = client.post(f"/account/requests/{pending.pk}/approve/")

    assert "an address at charity.example" in listed.text and "New project worker" in listed.text
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "approved"


def test_perspectives_follow_the_organisations_people_belong_to(council, funder) -> None:
    staff = UserFactory(email="admin@platform.example", is_staff=True)
    officer = UserFactory(email="officer@council.example")
    grants = UserFactory(email="grants@trust.example")
    resident = UserFactory(email="resident@example.org")
    services.membership_approve(staff, services.membership_request(officer, council, "officer", ""))
    services.membership_approve(staff, services.membership_request(grants, funder, "officer", ""))

    assert selectors.perspectives_of(officer) == ["commissioner"]
    assert selectors.perspectives_of(grants) == ["funder"]
    assert selectors.perspectives_of(resident) == ["community"]


def test_a_person_can_leave_and_an_admin_can_remove_a_member(people, charity) -> None:
    membership = Membership.objects.get(user=people["member"], organisation=charity)

    services.membership_end(people["member"], membership)

    membership.refresh_from_db()
    assert membership.status == "left"
    assert selectors.perspectives_of(people["member"]) == ["community"]


def test_the_person_is_emailed_when_their_request_is_approved(
    client, people, pending, django_capture_on_commit_callbacks
) -> None:
    client.force_login(people["org_admin"])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/account/requests/{pending.pk}/approve/")

    [message] = mail.outbox
    assert message.to == ["applicant@charity.example"]
    assert "approved" in message.subject and pending.organisation.name in message.subject
    assert "Your role is Officer" in message.body
    assert "http://testserver/account/" in message.body


def test_the_person_is_emailed_when_their_request_is_declined(
    people, pending, django_capture_on_commit_callbacks
) -> None:
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decline(people["org_admin"], pending)

    [message] = mail.outbox
    assert "declined" in message.subject
    assert "was declined" in message.body


def test_no_email_is_sent_when_the_decision_is_refused(
    people, pending, django_capture_on_commit_callbacks
) -> None:
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        services.membership_approve(people["member"], pending)

    assert mail.outbox == []
