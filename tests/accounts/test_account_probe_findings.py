"""Sign-up does not reveal who has an account, and API tokens do not outlive a password that
someone else may have known (issue 20, items 4 and 5)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client, override_settings

from commonground.accounts.models import ApiToken
from commonground.accounts.services import api_token_create
from commonground.audit.models import AuditEvent

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new long passphrase"


def _sign_up(email: str, password: str = PASSWORD):
    mail.outbox.clear()
    response = Client().post("/account/sign-up/", {"email": email, "password": password})
    # The page, with the address itself taken out, and the shape of the mail queued.
    page = response.content.decode().replace(email, "ADDRESS")
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    queued = [(m.to, bool(m.body)) for m in mail.outbox]
    return response.status_code, page, queued


def test_signing_up_with_an_address_that_has_an_account_answers_exactly_as_a_new_one() -> None:
    UserFactory(email="taken@example.org")

    taken, new = _sign_up("taken@example.org"), _sign_up("fresh@example.org")

    assert taken[0] == new[0] == 200
    assert taken[1] == new[1] and "Check your email" in taken[1]
    assert taken[2] == [(["taken@example.org"], True)]  # one email to the address either way
    assert new[2] == [(["fresh@example.org"], True)]


def test_signing_up_with_a_taken_address_does_the_same_work_as_a_new_one() -> None:
    """The probe timed 0.05 s against 0.3 s: the difference was hashing the password and the
    writes. Both now check and hash the password and write one audit record."""
    UserFactory(email="taken@example.org")
    before = AuditEvent.objects.count()
    assert _sign_up("taken@example.org")[0] == 200
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.latest("pk").action == "account.sign_up_existing"
    # A weak password is refused for a taken address exactly as for a free one.
    weak_taken = _sign_up("taken@example.org", "password")
    weak_free = _sign_up("x@example.org", "password")
    assert weak_taken[0] == weak_free[0] == 200
    assert weak_taken[1] == weak_free[1] and "Create an account" in weak_taken[1]
    assert weak_taken[2] == weak_free[2] == []


def _tokens(user: User, *names: str) -> list[str]:
    return [api_token_create(user, name)[1] for name in names]


def _api_works(raw: str) -> bool:
    return Client().get("/api/v1/account/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_a_password_reset_stops_every_api_token_working(client) -> None:
    person = UserFactory(email="sam@example.org")
    raws = _tokens(person, "nightly export", "dashboard")
    assert all(_api_works(raw) for raw in raws)
    mail.outbox.clear()
    client.post("/account/password-reset/", {"email": "sam@example.org"})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert User.objects.get(pk=person.pk).check_password(NEW_PASSWORD)
    assert not any(_api_works(raw) for raw in raws)
    assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="api_token.revoke_on_password_reset").count() == 2


def _change_password(person: User, capture, **extra: str):
    client = Client()
    client.force_login(person)
    form = client.get("/account/password/")
    mail.outbox.clear()
    with capture(execute=True):
        done = client.post(
            "/account/password/",
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
                **extra,
            },
        )
    return form, done


def test_changing_a_password_offers_to_stop_the_tokens_and_the_notice_lists_them(
    django_capture_on_commit_callbacks,
) -> None:
    person = UserFactory(email="sam@example.org")
    raws = _tokens(person, "nightly export", "dashboard")

    form, done = _change_password(person, django_capture_on_commit_callbacks)

    assert "Also stop all my API tokens working" in form.text and "nightly export" in form.text
    assert done.status_code == 302
    assert all(_api_works(raw) for raw in raws)  # kept: the person did not ask
    notice = mail.outbox[0].body
    assert "These API tokens still work" in notice
    assert "nightly export (starts" in notice and "dashboard (starts" in notice


def test_changing_a_password_with_the_box_ticked_stops_every_token(
    django_capture_on_commit_callbacks,
) -> None:
    person = UserFactory(email="sam@example.org")
    raws = _tokens(person, "nightly export")

    _change_password(person, django_capture_on_commit_callbacks, revoke_tokens="on")

    assert not _api_works(raws[0])
    notice = mail.outbox[0].body
    assert "were stopped at the same time" in notice and "nightly export" in notice


@override_settings(COMMONGROUND_RATE_LIMITS={"password-reset-address": (2, 3600)})
def test_password_reset_emails_to_one_address_stop_at_the_limit_from_any_connection() -> None:
    UserFactory(email="sam@example.org")
    mail.outbox.clear()
    answers = [
        Client().post("/account/password-reset/", {"email": "sam@example.org"}, REMOTE_ADDR=ip)
        for ip in ("10.0.0.1", "10.0.0.2", "10.0.0.3")
    ]
    # An address without an account is limited the same way, so the limit reveals nothing.
    unknown = [
        Client().post("/account/password-reset/", {"email": "nobody@example.org"}).status_code
        for _ in range(3)
    ]

    assert [a.status_code for a in answers] == [302, 302, 429]
    assert int(answers[2]["Retry-After"]) > 0 and "Try again in" in answers[2].text
    assert len(mail.outbox) == 2
    assert unknown == [302, 302, 429]


@override_settings(COMMONGROUND_RATE_LIMITS={"password-reset-ip": (2, 3600)})
def test_password_reset_requests_from_one_connection_stop_at_the_limit() -> None:
    client = Client()
    answers = [
        client.post("/account/password-reset/", {"email": f"p{n}@example.org"}).status_code
        for n in range(3)
    ]
    assert answers == [302, 302, 429]


@override_settings(COMMONGROUND_RATE_LIMITS={"sign-up": (2, 3600)})
def test_sign_ups_from_one_connection_stop_at_the_limit() -> None:
    client = Client()
    answers = [
        client.post("/account/sign-up/", {"email": f"p{n}@example.org", "password": PASSWORD})
        for n in range(3)
    ]
    other = Client().post(
        "/account/sign-up/",
        {"email": "p9@example.org", "password": PASSWORD},
        REMOTE_ADDR="10.9.9.9",
    )
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert "Retry-After" in answers[2]
    assert User.objects.filter(email="p2@example.org").count() == 0
    assert other.status_code == 200
