"""A convener who adds a participant by email address invites that address: the page, the
email and the audit trail are the same whether or not the address has an account, so the form
cannot be used to find out who has one (ADR 0015's rule, applied to conversations)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from commonground.audit.models import AuditEvent
from commonground.engagement import services
from commonground.engagement.models import Participant
from tests.accounts.factories import UserFactory
from tests.engagement.factories import World, client_for

Capture = Callable[..., Any]


@pytest.fixture(name="add")
def add_fixture(django_capture_on_commit_callbacks: Capture) -> Callable[..., tuple[str, str]]:
    """Adds a participant through the page, as a convener, and returns the page and the email
    with the name and address written out, so two answers can be compared."""

    def add(client: Client, world: World, name: str, email: str) -> tuple[str, str]:
        # Invitations are emailed once committed.
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/conversations/{world.private.pk}/participants/add/",
                {"display_name": name, "perspective": "community", "email": email},
                follow=True,
            )
        assert response.status_code == 200
        notice = re.search(r"notification-banner__heading\">([^<]*)<", response.content.decode())
        assert notice is not None
        page = notice.group(1).replace(email, "ADDRESS").replace(name, "NAME")
        return page, mail.outbox[-1].body.replace(email, "ADDRESS")

    return add


def test_adding_a_participant_by_email_answers_the_same_whether_or_not_the_address_has_an_account(
    engagement_world: World, add: Callable[..., tuple[str, str]]
) -> None:
    UserFactory(email="has.account@example.org")
    client = client_for(engagement_world.convener)
    known = add(client, engagement_world, "Kim", "has.account@example.org")
    unknown = add(client, engagement_world, "Lee", "no.account@example.org")
    assert known == unknown
    assert "We have sent an invitation to ADDRESS" in known[0]
    assert len(mail.outbox) == 2
    # Neither address is linked to an account until its owner accepts.
    invited = Participant.objects.filter(invited_email__endswith="account@example.org")
    assert [p.user_id for p in invited] == [None, None]
    records = AuditEvent.objects.filter(action="engagement.participant_add").order_by("pk")
    assert [sorted(r.after) for r in records][-2:] == [sorted(records.last().after)] * 2


def test_the_invited_person_signed_in_with_that_address_takes_part_and_nobody_else_can(
    engagement_world: World, add: Callable[..., tuple[str, str]]
) -> None:
    invitee = UserFactory(email="invitee@example.org")
    unconfirmed = UserFactory(email="later@example.org", verified=False)
    add(client_for(engagement_world.convener), engagement_world, "Sam", "Invitee@Example.org")
    add(client_for(engagement_world.convener), engagement_world, "Ash", "later@example.org")
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)  # type: ignore[union-attr]
    path = link.split("testserver", 1)[-1]
    conversation = f"/conversations/{engagement_world.private.pk}/"
    assert client_for(invitee).get(conversation).status_code == 404
    assert client_for(None).get(path).status_code == 302  # asked to sign in
    assert client_for(engagement_world.outsider).get(path).status_code == 404
    assert client_for(engagement_world.outsider).post(path).status_code == 404
    assert client_for(unconfirmed).get(path).status_code == 403  # asked to confirm first
    client = client_for(invitee)
    assert "Take part" in client.get(path).content.decode()
    assert client.post(path).status_code == 302
    assert client.get(conversation).status_code == 200
    assert Participant.objects.get(display_name="Sam").user == invitee
    assert client.get(path).status_code == 404  # used up
    assert AuditEvent.objects.filter(action="engagement.participant_accept").count() == 1


def test_an_address_is_invited_once_per_conversation(
    engagement_world: World, add: Callable[..., tuple[str, str]]
) -> None:
    client = client_for(engagement_world.convener)
    add(client, engagement_world, "Kim", "kim@example.org")
    response = client.post(
        f"/conversations/{engagement_world.private.pk}/participants/add/",
        {"display_name": "Kim again", "perspective": "community", "email": "KIM@example.org"},
    )
    assert "kim@example.org has already been invited" in response.content.decode()
    assert len(mail.outbox) == 1


def test_a_convener_invites_at_most_20_addresses_a_conversation_in_24_hours(
    engagement_world: World,
) -> None:
    for n in range(20):
        services.participant_add(
            engagement_world.convener,
            engagement_world.private,
            display_name=f"Person {n}",
            perspective="community",
            email=f"person{n}@example.org",
            site_url="http://testserver/",
        )
    with pytest.raises(ValidationError, match="20 invitations have been sent"):
        services.participant_add(
            engagement_world.convener,
            engagement_world.private,
            display_name="One more",
            perspective="community",
            email="one.more@example.org",
            site_url="http://testserver/",
        )
    # Participants recorded without an address do not count.
    services.participant_add(
        engagement_world.convener, engagement_world.private, display_name="Round table voice",
        perspective="community",
    )  # fmt: skip
