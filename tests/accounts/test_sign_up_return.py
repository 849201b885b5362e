"""Someone who signs up on the way to something (an invitation, a page that needs an account)
is brought back to it by the link that confirms their address; only paths on this site are
followed, so a crafted sign-up link cannot send people elsewhere."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

EMAIL = "newcomer@example.org"
RETURN_TO = "/partnerships/7/invitations/abc/"


def emailed_link(email: str = EMAIL) -> str:
    message = next(m for m in reversed(mail.outbox) if email in m.to)
    return re.search(r"http://testserver(/\S+)", message.body).group(1)  # type: ignore[union-attr]


def test_the_confirmation_link_leads_back_to_where_the_person_was_going(client) -> None:
    form = client.get("/account/sign-up/", {"next": RETURN_TO})
    assert f'name="next" value="{RETURN_TO}"' in form.text

    sent = client.post(
        "/account/sign-up/", {"email": EMAIL, "password": PASSWORD, "next": RETURN_TO}
    )
    confirmed = client.get(emailed_link())

    assert "/account/sign-in/?next=%2Fpartnerships%2F7%2Finvitations%2Fabc%2F" in sent.text
    assert confirmed.status_code == 200
    assert f'href="{RETURN_TO}">Continue</a>' in confirmed.text


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/", "//evil.example/path", "javascript:alert(1)"]
)
def test_a_return_address_off_this_site_is_ignored(client, elsewhere) -> None:
    form = client.get("/account/sign-up/", {"next": elsewhere})
    client.post("/account/sign-up/", {"email": EMAIL, "password": PASSWORD, "next": elsewhere})
    link = emailed_link()
    confirmed = client.get(link)

    assert "evil" not in form.text and "javascript" not in form.text
    assert "next=" not in link
    assert "Continue</a>" not in confirmed.text
    assert "Go to your account" in confirmed.text


def test_without_a_return_address_confirming_leads_to_the_account(client) -> None:
    client.post("/account/sign-up/", {"email": EMAIL, "password": PASSWORD})
    link = emailed_link()

    assert "next=" not in link
    assert "Go to your account" in client.get(link).text


def test_someone_who_already_has_an_account_is_sent_a_sign_in_link_that_returns_them(
    client,
) -> None:
    UserFactory(email=EMAIL)
    mail.outbox.clear()

    client.post("/account/sign-up/", {"email": EMAIL, "password": PASSWORD, "next": RETURN_TO})

    assert "/account/sign-in/?next=%2Fpartnerships%2F7%2Finvitations%2Fabc%2F" in (
        mail.outbox[0].body
    )
