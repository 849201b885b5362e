"""Every private page and endpoint added by accounts and audit, asked by each kind of person:
anonymous, signed-in outsider, member, organisation admin and platform admin. Each gets exactly
what it should."""

from __future__ import annotations

import pytest

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "outsider", "member", "org_admin", "staff"]


def client_for(client, people, who):
    if who != "anonymous":
        client.force_login(people[who])
    return client


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(
    "path",
    [
        "/account/",
        "/account/tokens/",
        "/account/requests/",
        "/account/download/",
        "/account/delete/",
    ],
)
def test_own_account_pages_need_sign_in_and_show_only_the_persons_own(client, people, who, path):
    response = client_for(client, people, who).get(path)

    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/account/sign-in/?next=")
    else:
        assert response.status_code == 200
        if path == "/account/download/":
            assert response.json()["account"]["email"] == people[who].email


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("outsider", 403), ("member", 403), ("org_admin", 403), ("staff", 200)],
)
def test_the_audit_trail_is_for_platform_administrators_only(client, people, who, status):
    assert client_for(client, people, who).get("/audit/").status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("outsider", 404), ("member", 404), ("org_admin", 302), ("staff", 302)],
)
def test_approving_a_request(client, people, pending, who, status):
    response = client_for(client, people, who).post(f"/account/requests/{pending.pk}/approve/")

    assert response.status_code == status
    pending.refresh_from_db()
    assert pending.status == ("approved" if who in ("org_admin", "staff") else "pending")


def test_the_applicant_sees_their_request_but_cannot_approve_it(client, people, pending):
    client.force_login(people["applicant"])

    assert client.post(f"/account/requests/{pending.pk}/approve/").status_code == 403


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("outsider", 404), ("member", 404), ("org_admin", 302), ("staff", 302)],
)
def test_ending_someone_elses_pending_request(client, people, pending, who, status):
    response = client_for(client, people, who).post(f"/account/memberships/{pending.pk}/end/")

    assert response.status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("outsider", 404), ("member", 404), ("org_admin", 404), ("staff", 200)],
)
def test_two_factor_set_up_is_offered_to_platform_administrators(client, people, who, status):
    assert client_for(client, people, who).get("/account/two-factor/").status_code == status


def test_the_requests_page_lists_only_requests_the_person_may_decide(client, people, pending):
    for who, expected in [
        ("outsider", False),
        ("member", False),
        ("org_admin", True),
        ("staff", True),
    ]:
        client.force_login(people[who])
        assert ("an address at charity.example" in client.get("/account/requests/").text) is (
            expected
        )


def test_a_request_to_join_names_the_person_and_their_addresss_domain_never_the_address(
    client, people, pending
):
    # Issue 15: people are shown by name, never by email, even to those who decide.
    client.force_login(people["org_admin"])
    page = client.get("/account/requests/").text
    assert "applicant@charity.example" not in page
    assert "Unnamed account (an address at charity.example)" in page


def test_join_needs_sign_in(client, charity):
    response = client.get(f"/account/join/{charity.org_id}/")

    assert response.status_code == 302
    assert response["Location"] == f"/account/sign-in/?next=/account/join/{charity.org_id}/"


def test_a_deactivated_account_is_treated_as_signed_out(client):
    user = UserFactory(email="gone@example.org")
    client.force_login(user)
    user.is_active = False
    user.save()

    assert client.get("/account/").status_code == 302
