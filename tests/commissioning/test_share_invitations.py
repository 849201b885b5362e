"""Sharing an appraisal is limited, so Common Ground cannot be used to send mail in bulk or to
pester one address, and an invitation not yet answered can be withdrawn: its link stops
working and nothing is shared. Both are audited, and only the author can do either."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from commonground.audit.models import AuditEvent
from commonground.commissioning import services
from commonground.commissioning.models import AppraisalInvitation

pytestmark = pytest.mark.django_db


def _share_url(appraisal) -> str:
    return reverse("commissioning:appraisal-share", args=[appraisal.pk])


def _link(email: str) -> str:
    body = next(m.body for m in reversed(mail.outbox) if m.to == [email])
    line = next(x for x in body.splitlines() if "/appraisals/shared/" in x)
    return line.strip().replace("http://testserver", "")


def test_one_address_is_sent_at_most_three_invitations_a_day_for_an_appraisal(
    client, appraisal_people, django_capture_on_commit_callbacks
):
    client.force_login(appraisal_people.author)
    url = _share_url(appraisal_people.appraisal)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(services.SHARES_PER_ADDRESS):
            assert client.post(url, {"email": "pestered@example.org"}).status_code == 302
        refused = client.post(url, {"email": "pestered@example.org"})
    assert refused.status_code == 429
    assert "the most allowed" in refused.content.decode()
    assert "You can send another in 24 hours" in refused.content.decode()
    assert [m.to for m in mail.outbox].count(["pestered@example.org"]) == 3
    # A day later the oldest has left the window.
    AppraisalInvitation.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    assert client.post(url, {"email": "pestered@example.org"}).status_code == 302


def test_one_person_sends_at_most_thirty_invitations_a_day(client, appraisal_people):
    author, appraisal = appraisal_people.author, appraisal_people.appraisal
    now = timezone.now()
    for i in range(services.SHARES_PER_SENDER - 1):  # one was sent when it was shared
        AppraisalInvitation.objects.create(
            appraisal=appraisal,
            email=f"person{i}@example.org",
            secret_hash=f"{i:064d}",
            invited_by=author,
            created_at=now - dt.timedelta(hours=1),
            expires_at=now + dt.timedelta(days=13),
        )
    client.force_login(author)
    refused = client.post(_share_url(appraisal), {"email": "one-more@example.org"})
    assert refused.status_code == 429
    assert "You have sent 30 invitations in the last 24 hours" in refused.content.decode()
    assert not AppraisalInvitation.objects.filter(email="one-more@example.org").exists()


def test_the_author_withdraws_a_pending_invitation_and_its_link_stops_working(
    client, appraisal_people, django_capture_on_commit_callbacks
):
    appraisal = appraisal_people.appraisal
    client.force_login(appraisal_people.author)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_share_url(appraisal), {"email": "outsider@example.org"})
    invitation = appraisal.invitations.get(email="outsider@example.org", status="pending")
    page = client.get(reverse("commissioning:appraisal", args=[appraisal.pk])).content.decode()
    assert "Invitations waiting for an answer" in page and "outsider@example.org" in page
    withdraw = reverse("commissioning:share-withdraw", args=[appraisal.pk, invitation.pk])
    assert client.post(withdraw).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "withdrawn"
    assert AuditEvent.objects.filter(
        action="appraisal.share_withdraw", after={"invitation": invitation.pk}
    ).exists()
    client.force_login(appraisal_people.outsider)
    link = _link("outsider@example.org")
    answer = client.post(link, {"answer": "accept"})
    assert answer.status_code == 410 and "withdrawn" in answer.content.decode()
    assert appraisal_people.outsider.pk not in appraisal.shared_with_ids


@pytest.mark.parametrize(
    ("who", "status"), [("shared_with", 403), ("outsider", 404), ("admin", 404)]
)
def test_only_the_author_withdraws_an_invitation(client, appraisal_people, who, status):
    appraisal = appraisal_people.appraisal
    invitation = AppraisalInvitation.objects.create(
        appraisal=appraisal,
        email="someone@example.org",
        secret_hash="f" * 64,
        invited_by=appraisal_people.author,
        created_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(days=14),
    )
    client.force_login(appraisal_people.by_role[who])
    withdraw = reverse("commissioning:share-withdraw", args=[appraisal.pk, invitation.pk])
    assert client.post(withdraw).status_code == status
    invitation.refresh_from_db()
    assert invitation.status == "pending"
    page = client.get(reverse("commissioning:appraisal", args=[appraisal.pk])).content.decode()
    assert "someone@example.org" not in page  # nobody but the author sees the addresses
