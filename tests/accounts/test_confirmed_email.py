"""What other people see needs a confirmed email address (issue 20, item 3; ADR 0023).

The probe found that an account which never confirmed its address could create API tokens,
convene conversations, start partnerships and post statements. Each of these is now refused on
the server, by page and by API, and the page says why and how to confirm.
"""

from __future__ import annotations

import pytest
from django.test import Client

from commonground.accounts import permissions
from commonground.accounts import services as account_services
from commonground.accounts.models import ApiToken
from commonground.engagement import services as engagement_services
from commonground.engagement.models import Conversation, Statement
from commonground.partnerships.models import Partnership
from commonground.places.models import Place

from .factories import UserFactory

pytestmark = pytest.mark.django_db

CONFIRM_PAGE = "Confirm your email address first"


@pytest.fixture
def unconfirmed():
    return UserFactory(email="typed@example.net", verified=False)


@pytest.fixture
def browser(unconfirmed) -> Client:
    client = Client()
    client.force_login(unconfirmed)
    return client


@pytest.fixture
def public_conversation():
    convener = UserFactory(email="convener@example.net")
    return engagement_services.conversation_create(
        convener,
        title="Open consultation (test)",
        kind="consultation",
        prompt="What matters?",
        visibility="public",
    )


def _token_for(user) -> str:
    """A token made before tokens needed a confirmed address (as the probe's account had)."""
    from commonground.accounts import tokens

    raw = tokens.new_api_token()
    ApiToken.objects.create(
        user=user,
        name="old",
        prefix=raw[:10],
        token_hash=tokens.hash_api_token(raw),
        created_at="2026-01-01T00:00Z",
    )
    return raw


@pytest.mark.parametrize(
    "path", ["/conversations/new/", "/partnerships/new/"], ids=["convene", "partnership"]
)
def test_an_unconfirmed_account_is_told_to_confirm_before_it_convenes_or_starts_a_partnership(
    browser: Client, path: str
) -> None:
    page = browser.get(path)
    assert page.status_code == 403
    assert CONFIRM_PAGE in page.text and "Send the link again" in page.text
    assert browser.post(path, {"title": "x", "name": "x"}).status_code == 403
    assert not Conversation.objects.exists() and not Partnership.objects.exists()


def test_an_unconfirmed_account_cannot_create_an_api_token_and_the_page_says_why(
    browser: Client,
) -> None:
    page = browser.get("/account/tokens/")
    assert "Confirm your email address before you create a token" in page.text
    refused = browser.post("/account/tokens/", {"name": "script"})
    assert refused.status_code == 403 and CONFIRM_PAGE in refused.text
    assert not ApiToken.objects.exists()


def test_an_unconfirmed_account_cannot_add_a_statement_by_page_or_api(
    browser: Client, unconfirmed, public_conversation
) -> None:
    path = f"/conversations/{public_conversation.pk}/statements/add/"
    page = browser.post(path, {"text": "Hello", "perspective": "community"})
    assert page.status_code == 403 and CONFIRM_PAGE in page.text

    api = Client().post(
        f"/api/v1/conversations/{public_conversation.pk}/statements",
        {"text": "Hello", "perspective": "community"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {_token_for(unconfirmed)}",
    )
    assert api.status_code == 403
    assert api.json()["detail"] == permissions.CONFIRM_FIRST
    assert not Statement.objects.exists()


def test_an_unconfirmed_account_cannot_convene_or_start_a_partnership_through_the_api(
    unconfirmed,
) -> None:
    Place.objects.create(gss_code="E08000009", name="Trafford", kind="local_authority")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {_token_for(unconfirmed)}"}
    convene = Client().post(
        "/api/v1/conversations",
        {"title": "Mine", "kind": "survey", "prompt": "Why?", "visibility": "public"},
        content_type="application/json",
        **headers,
    )
    partnership = Client().post(
        "/api/v1/partnerships",
        {"name": "Mine", "purpose": "Why", "place_gss": "E08000009", "perspective": "community"},
        content_type="application/json",
        **headers,
    )
    assert (convene.status_code, partnership.status_code) == (403, 403)
    assert convene.json()["detail"] == partnership.json()["detail"] == permissions.CONFIRM_FIRST


def test_once_confirmed_the_same_person_convenes(unconfirmed) -> None:
    with pytest.raises(permissions.EmailNotConfirmed):
        engagement_services.conversation_create(
            unconfirmed, title="Mine", kind="survey", prompt="Why?"
        )
    profile = account_services.profile_for(unconfirmed)
    profile.email_verified_at = "2026-01-01T00:00Z"
    profile.save()
    unconfirmed.refresh_from_db()
    made = engagement_services.conversation_create(
        unconfirmed, title="Mine", kind="survey", prompt="Why?"
    )
    assert made.convener == unconfirmed


def test_the_rules_ask_for_a_confirmed_address_for_everything_others_see(unconfirmed) -> None:
    confirmed = UserFactory(email="confirmed@example.net")
    rules = [
        permissions.can_convene,
        permissions.can_create_api_token,
        permissions.can_create_partnership,
    ]
    assert [rule(unconfirmed) for rule in rules] == [False, False, False]
    assert [rule(confirmed) for rule in rules] == [True, True, True]
