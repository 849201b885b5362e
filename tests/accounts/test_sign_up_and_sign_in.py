"""People sign up and in with an email address and password; addresses are one account whatever
their case; repeated failures lock the address and the IP address for 15 minutes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone

from commonground.accounts.models import SignInFailure
from commonground.audit.models import AuditEvent
from tests.accounts.factories import PASSWORD, UserFactory, verification_link

pytestmark = pytest.mark.django_db


def sign_in(client, email: str, password: str, ip: str = "127.0.0.1", next_url: str = ""):
    data = {"email": email, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post("/account/sign-in/", data, REMOTE_ADDR=ip)


def test_signing_up_creates_an_account_and_emails_a_link_that_confirms_the_address(client) -> None:
    response = client.post(
        "/account/sign-up/", {"email": " Sam@Example.ORG ", "password": PASSWORD}
    )

    assert response.status_code == 200
    assert "Check your email" in response.text
    user = User.objects.get()
    assert (user.username, user.email) == ("sam@example.org", "sam@example.org")
    assert user.profile.email_verified_at is None
    link = verification_link("sam@example.org")

    confirmed = client.get(link.replace("http://testserver", ""))

    assert confirmed.status_code == 200
    assert "Email address confirmed" in confirmed.text
    user.refresh_from_db()
    assert user.profile.email_verified_at is not None
    assert list(AuditEvent.objects.filter(actor=user).values_list("action", flat=True)) == [
        "account.verify_email",
        "account.sign_up",
    ]


def test_a_tampered_verification_link_confirms_nothing(client) -> None:
    client.post("/account/sign-up/", {"email": "sam@example.org", "password": PASSWORD})
    link = verification_link("sam@example.org").replace("http://testserver", "")

    response = client.get(link[:-3] + "xyz/")

    assert response.status_code == 400
    assert User.objects.get().profile.email_verified_at is None


def test_an_address_in_another_case_is_the_same_account_and_its_owner_is_told(client) -> None:
    UserFactory(email="sam@example.org")
    mail.outbox.clear()

    response = client.post("/account/sign-up/", {"email": "SAM@example.org", "password": PASSWORD})

    assert "Check your email" in response.text  # the same page: nothing revealed
    assert User.objects.count() == 1
    assert mail.outbox[0].to == ["sam@example.org"]
    assert "already have one" in mail.outbox[0].body


def test_a_weak_password_is_refused_with_an_error_summary_and_an_inline_error(client) -> None:
    response = client.post(
        "/account/sign-up/", {"email": "sam@example.org", "password": "password"}
    )

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert 'class="govuk-error-message" id="password-error"' in response.text
    assert "too common" in response.text
    assert 'href="#id_password"' in response.text
    assert User.objects.count() == 0


def test_missing_answers_are_named_in_plain_english(client) -> None:
    response = client.post("/account/sign-up/", {"email": "not-an-email", "password": ""})

    assert "Enter an email address in the correct format, like name@example.com" in response.text
    assert "Enter a password" in response.text


def test_a_person_signs_in_whatever_the_case_of_their_address_and_the_sign_in_is_audited(
    client,
) -> None:
    user = UserFactory(email="sam@example.org")

    response = sign_in(client, "Sam@Example.org", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert client.get("/account/").context["user"] == user
    assert AuditEvent.objects.filter(actor=user, action="account.sign_in").count() == 1


def test_sign_in_returns_to_the_page_asked_for_but_never_to_another_site(client) -> None:
    UserFactory(email="sam@example.org")

    assert (
        sign_in(client, "sam@example.org", PASSWORD, next_url="/account/tokens/")["Location"]
        == "/account/tokens/"
    )
    client.logout()
    assert (
        sign_in(client, "sam@example.org", PASSWORD, next_url="https://evil.example/")["Location"]
        == "/account/"
    )


def test_a_wrong_password_gets_one_message_that_does_not_say_which_part_was_wrong(client) -> None:
    UserFactory(email="sam@example.org")

    wrong_password = sign_in(client, "sam@example.org", "not the password")
    no_account = sign_in(client, "nobody@example.org", "not the password", ip="127.0.0.2")

    message = "Enter the email address and password for your account"
    assert message in wrong_password.text and message in no_account.text
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_address_even_against_the_right_password(client) -> None:
    UserFactory(email="sam@example.org")
    for attempt in range(5):
        sign_in(client, "sam@example.org", "wrong", ip=f"10.0.0.{attempt + 1}")

    response = sign_in(client, "SAM@example.org", PASSWORD, ip="10.0.1.1")

    assert response.status_code == 200
    assert "too many failed attempts" in response.text
    assert "Try again in 15 minutes" in response.text
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="account.locked").count() == 1


def test_a_lock_ends_15_minutes_after_the_failure_that_caused_it(client) -> None:
    UserFactory(email="sam@example.org")
    long_ago = timezone.now() - dt.timedelta(minutes=16)
    SignInFailure.objects.bulk_create(
        SignInFailure(email="sam@example.org", ip="10.0.0.9", at=long_ago) for _ in range(5)
    )

    assert sign_in(client, "sam@example.org", PASSWORD)["Location"] == "/account/"


def test_a_lock_is_still_on_14_minutes_after_the_fifth_failure(client) -> None:
    UserFactory(email="sam@example.org")
    recent = timezone.now() - dt.timedelta(minutes=14)
    SignInFailure.objects.bulk_create(
        SignInFailure(email="sam@example.org", ip="10.0.0.9", at=recent) for _ in range(5)
    )

    assert "Try again in 1 minute" in sign_in(client, "sam@example.org", PASSWORD).text


def test_failures_spread_over_more_than_15_minutes_do_not_lock(client) -> None:
    UserFactory(email="sam@example.org")
    now = timezone.now()
    SignInFailure.objects.bulk_create(
        SignInFailure(email="sam@example.org", ip="10.0.0.9", at=now - dt.timedelta(minutes=m))
        for m in (1, 2, 3, 4, 20)
    )

    assert sign_in(client, "sam@example.org", PASSWORD)["Location"] == "/account/"


def test_five_failures_from_one_ip_address_lock_it_for_every_address_typed(client) -> None:
    UserFactory(email="sam@example.org")
    for attempt in range(5):
        sign_in(client, f"guess{attempt}@example.org", "wrong", ip="203.0.113.7")

    locked = sign_in(client, "sam@example.org", PASSWORD, ip="203.0.113.7")
    elsewhere = sign_in(client, "sam@example.org", PASSWORD, ip="203.0.113.8")

    assert "too many failed attempts" in locked.text
    assert elsewhere.status_code == 302


def test_signing_in_clears_the_address_failures(client) -> None:
    UserFactory(email="sam@example.org")
    for attempt in range(4):
        sign_in(client, "sam@example.org", "wrong", ip=f"10.0.0.{attempt + 1}")

    sign_in(client, "sam@example.org", PASSWORD, ip="10.0.2.1")

    assert not SignInFailure.objects.filter(email="sam@example.org").exists()


def test_sign_out_is_post_only_and_ends_the_session(client) -> None:
    user = UserFactory(email="sam@example.org")
    client.force_login(user)

    assert client.get("/account/sign-out/").status_code == 405
    assert client.get("/account/").status_code == 200
    response = client.post("/account/sign-out/")

    assert response.status_code == 302
    assert client.get("/account/").status_code == 302
    assert AuditEvent.objects.filter(actor=user, action="account.sign_out").exists()


def test_the_header_offers_sign_in_to_visitors_and_sign_out_to_people_signed_in(client) -> None:
    anonymous = client.get("/account/sign-in/").text
    client.force_login(UserFactory(email="sam@example.org"))
    signed_in = client.get("/account/").text

    assert 'href="/account/sign-up/"' in anonymous and "Sign out" not in anonymous
    assert (
        'action="/account/sign-out/"' in signed_in and 'href="/account/sign-in/"' not in signed_in
    )


def test_the_admin_sign_in_page_is_the_account_sign_in_page_with_its_lockout(client) -> None:
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/?next=/admin/"
