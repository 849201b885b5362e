"""Answering invitations is limited per account (issue 20, item 6): the page and the API answer
429 with Retry-After over the limit, whatever the invitation."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings

from commonground.accounts.services import api_token_create
from commonground.partnerships import services
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

INVITEE = "invitee@example.org"


def _invite(world, partnership, by: str, capture) -> str:
    with capture(execute=True), transaction.atomic():
        services.invitation_send(
            world.people[by],
            partnership,
            email=INVITEE,
            perspective="funder",
            site_url="http://testserver/",
        )
    return re.search(r"http://testserver(/\S+)", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]


@override_settings(COMMONGROUND_RATE_LIMITS={"invitation-answer": (2, 3600)})
def test_answering_invitations_over_the_limit_gets_429(
    client, partnership_world, django_capture_on_commit_callbacks
) -> None:
    world = partnership_world
    invitee = UserFactory(email=INVITEE)
    client.force_login(invitee)
    capture = django_capture_on_commit_callbacks
    first = _invite(world, world.partnership, "lead", capture)
    second = _invite(world, world.other, "other_member", capture)
    answers = [
        client.post(first, {"answer": "accept"}).status_code,
        client.post(second, {"answer": "decline"}).status_code,
    ]
    third = _invite(world, world.other, "other_member", capture)  # again, after declining
    refused = client.post(third, {"answer": "accept"})
    raw = api_token_create(invitee, "tests")[1]
    token = third.rstrip("/").rsplit("/", 1)[1]
    api = client.post(f"/api/v1/invitations/{token}/accept", HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert answers == [302, 302]
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert api.status_code == 429 and "Retry-After" in api
    assert not world.other.members.filter(user=invitee, left_on__isnull=True).exists()
