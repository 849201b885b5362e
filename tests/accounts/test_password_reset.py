"""A person who forgot their password gets a link by email and chooses a new one."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail

from commonground.audit.models import AuditEvent
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new long passphrase"


def test_a_reset_link_by_email_sets_a_new_password(client) -> None:
    UserFactory(email="sam@example.org")
    mail.outbox.clear()

    sent = client.post("/account/password-reset/", {"email": "Sam@example.org"})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    form = client.get(link, follow=True)
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert sent["Location"] == "/account/password-reset/sent/"
    assert mail.outbox[0].subject == "Reset your Common Ground password"
    assert "Choose a new password" in form.text
    assert done["Location"] == "/account/password-reset/done/"
    assert User.objects.get().check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="account.password_reset").count() == 1


def test_an_unknown_address_gets_the_same_page_and_no_email(client) -> None:
    response = client.post("/account/password-reset/", {"email": "nobody@example.org"})

    assert response["Location"] == "/account/password-reset/sent/"
    assert mail.outbox == []


def test_mismatched_new_passwords_are_an_error_in_plain_english(client) -> None:
    UserFactory(email="sam@example.org")
    mail.outbox.clear()
    client.post("/account/password-reset/", {"email": "sam@example.org"})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    form_url = client.get(link, follow=True).redirect_chain[-1][0]

    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": "other"})

    assert "The passwords do not match" in response.text
    assert "There is a problem" in response.text


def test_a_used_or_broken_link_says_it_has_not_worked(client) -> None:
    response = client.get("/account/password-reset/MQ/bad-token/")

    assert "The link has not worked" in response.text


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter your email address"),
        ("sam at example.org", "Enter an email address in the correct format"),
        ("sam\x00@example.org", "Null characters are not allowed"),
    ],
)
def test_a_missing_or_mistyped_address_is_an_error_on_the_form_not_a_server_error(
    typed: str, message: str
) -> None:
    from django.test import Client

    response = Client(raise_request_exception=False).post(
        "/account/password-reset/", {"email": typed}
    )

    assert response.status_code == 200
    assert message in response.text
    assert "govuk-input--error" in response.text
    assert mail.outbox == []
