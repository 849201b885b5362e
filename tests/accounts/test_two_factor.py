"""Administrators can turn on two-factor sign-in with an authenticator app (TOTP, RFC 6238)."""

from __future__ import annotations

import base64
import json
import time

import pytest

from commonground.accounts import totp
from commonground.audit.models import AuditEvent
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize(
    ("unix_time", "code"),
    [(59, "287082"), (1111111109, "081804"), (1234567890, "005924"), (2000000000, "279037")],
)
def test_codes_match_the_rfc_6238_test_values(unix_time, code) -> None:
    assert totp.code_at(RFC_SECRET, unix_time // 30) == code


def test_a_code_is_accepted_one_step_either_side_and_never_twice() -> None:
    now = 1111111109
    counter = now // 30
    code = totp.code_at(RFC_SECRET, counter)

    assert totp.matching_counter(RFC_SECRET, code, now=now + 30) == counter
    assert totp.matching_counter(RFC_SECRET, code, now=now + 90) is None
    assert totp.matching_counter(RFC_SECRET, code, now=now, last_counter=counter) is None


def test_an_administrator_turns_it_on_and_then_needs_a_code_to_sign_in(client) -> None:
    staff = UserFactory(email="admin@platform.example", is_staff=True)
    client.force_login(staff)
    secret = client.get("/account/two-factor/").context["secret"]
    now = int(time.time() // 30)
    valid = {totp.code_at(secret, c) for c in range(now - 2, now + 3)}
    wrong_code = next(c for c in ("000000", "111111", "222222") if c not in valid)
    wrong = client.post("/account/two-factor/", {"code": wrong_code})
    turned_on = client.post(
        "/account/two-factor/", {"code": totp.code_at(secret, int(time.time() // 30))}
    )
    client.post("/account/sign-out/")

    password_step = client.post(
        "/account/sign-in/", {"email": "admin@platform.example", "password": PASSWORD}
    )
    not_yet = client.get("/account/")
    bad_code = client.post("/account/sign-in/code/", {"code": "12345x"})
    # The code used to turn it on cannot be used again; the next step's code can.
    good = client.post(
        "/account/sign-in/code/", {"code": totp.code_at(secret, int(time.time() // 30) + 1)}
    )

    assert "The security code is not correct" in wrong.text
    assert turned_on.status_code == 302
    assert password_step["Location"] == "/account/sign-in/code/"
    assert not_yet.status_code == 302
    assert "must only include numbers" in bad_code.text
    assert good.status_code == 302 and good["Location"] == "/account/"
    assert client.get("/account/").status_code == 200


def test_the_code_page_without_a_password_step_goes_back_to_sign_in(client) -> None:
    assert client.get("/account/sign-in/code/")["Location"] == "/account/sign-in/"


def test_starting_two_factor_setup_is_audited_without_the_secret(client) -> None:
    staff = UserFactory(email="admin@platform.example", is_staff=True)
    client.force_login(staff)

    secret = client.get("/account/two-factor/").context["secret"]

    events = AuditEvent.objects.filter(actor=staff, action="account.two_factor_setup")
    assert [(e.model, e.object_id) for e in events] == [("auth.user", str(staff.pk))]
    recorded = json.dumps(list(events.values()), default=str)
    assert secret not in recorded
