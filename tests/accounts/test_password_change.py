"""A signed-in person can change their password; others are told nothing and keep nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core import mail

from commonground.audit.models import AuditEvent
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "kettle umbrella 91 orchard"


def _form(old: str = PASSWORD, new: str = NEW_PASSWORD, confirm: str | None = None) -> dict:
    return {"old_password": old, "new_password1": new, "new_password2": confirm or new}


def test_anonymous_visitors_are_sent_to_sign_in(client) -> None:
    response = client.get("/account/password/")

    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")


def test_a_person_changes_their_password_stays_signed_in_and_is_told_by_email(
    client, django_capture_on_commit_callbacks
) -> None:
    user = UserFactory(email="resident@trafford.example")
    client.force_login(user)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/password/", _form())

    assert response.status_code == 302 and response["Location"] == "/account/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and not user.check_password(PASSWORD)
    assert client.get("/account/").status_code == 200  # still signed in here
    [message] = mail.outbox
    assert message.to == ["resident@trafford.example"] and "changed" in message.subject
    event = AuditEvent.objects.get(action="account.password_change")
    assert event.actor_id == user.pk and event.object_id == str(user.pk)


def test_other_sessions_of_the_account_are_signed_out(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="officer@trafford.example")
    other = client.__class__()
    other.force_login(user)
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/password/", _form())

    assert other.get("/account/").status_code == 302  # sent to sign in again


def test_a_wrong_current_password_changes_nothing_and_says_why(client) -> None:
    user = UserFactory(email="provider@trafford.example")
    client.force_login(user)

    response = client.post("/account/password/", _form(old="not my password"))

    assert response.status_code == 200
    assert "The current password is not correct" in response.text
    assert "govuk-error-summary" in response.text
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="account.password_change").exists()


def test_a_weak_or_mismatched_new_password_is_refused(client) -> None:
    user = UserFactory(email="funder@trafford.example")
    client.force_login(user)

    weak = client.post("/account/password/", _form(new="password"))
    mismatched = client.post("/account/password/", _form(confirm="something else entirely 42"))

    assert "This password is too common" in weak.text
    assert "The two new passwords do not match" in mismatched.text
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_the_form_is_protected_by_csrf(client) -> None:
    from django.test import Client

    user = UserFactory(email="csrf@trafford.example")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)

    response = strict.post("/account/password/", _form())

    assert response.status_code == 403
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)
