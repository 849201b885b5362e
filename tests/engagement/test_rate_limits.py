"""Signed-in statements and votes are limited per account, by page and by API, with 429 and
Retry-After (issue 20, item 6: the probe posted statements without any limit)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from commonground.engagement import services
from commonground.engagement.models import Statement, Vote
from tests.engagement.factories import World, client_for, token_for

pytestmark = pytest.mark.django_db


@override_settings(COMMONGROUND_RATE_LIMITS={"statement": (2, 600)})
def test_one_account_adding_statements_is_stopped_with_429_by_page_and_api(
    engagement_world: World,
) -> None:
    page = client_for(engagement_world.outsider)
    path = f"/conversations/{engagement_world.public.pk}/statements/add/"
    body = {"text": "Plan for ten years.", "perspective": "community"}
    # Different words each time: the same words sent twice are one statement, not two.
    answers = [
        page.post(path, {**body, "text": f"Plan for {n} years."}).status_code for n in (5, 10)
    ]
    refused = page.post(path, {**body, "text": "Plan for twenty years."})
    api = client_for(None).post(
        f"/api/v1/conversations/{engagement_world.public.pk}/statements",
        body,
        content_type="application/json",
        **token_for(engagement_world.outsider),
    )

    assert answers == [302, 302]
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Too many requests" in refused.text
    assert api.status_code == 429 and int(api["Retry-After"]) > 0
    assert "statements added per account" in api.json()["detail"]
    assert Statement.objects.filter(author=engagement_world.outsider).count() == 2
    # Another account is not affected, and the convener recording a round table is not counted.
    assert client_for(engagement_world.participant_user).post(path, body).status_code == 302
    for _ in range(3):
        services.statement_add(
            engagement_world.convener,
            engagement_world.public,
            text="Said aloud.",
            perspective="funder",
        )


@override_settings(COMMONGROUND_RATE_LIMITS={"vote": (2, 600)})
def test_one_account_voting_is_stopped_with_429(engagement_world: World) -> None:
    shared = services.shared_statement_add(
        engagement_world.convener, engagement_world.public, "We plan for ten years."
    )
    client = client_for(engagement_world.participant_user)
    path = f"/shared-statements/{shared.pk}/vote/"
    answers = [client.post(path, {"choice": choice}).status_code for choice in ("agree", "pass")]
    refused = client.post(path, {"choice": "disagree"})
    api = client_for(None).post(
        f"/api/v1/shared-statements/{shared.pk}/votes",
        {"choice": "disagree"},
        content_type="application/json",
        **token_for(engagement_world.participant_user),
    )

    assert answers == [302, 302]
    assert refused.status_code == 429 and "Retry-After" in refused
    assert api.status_code == 429 and "Retry-After" in api
    assert Vote.objects.get(voter=engagement_world.participant_user).choice == "pass"
