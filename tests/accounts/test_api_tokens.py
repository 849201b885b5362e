"""People create API tokens, shown once and stored hashed, and revoke them; scripts use them as
`Authorization: Bearer …` on the private API, which refuses anything else with 401."""

from __future__ import annotations

import re

import pytest
from ninja.testing import TestClient

from commonground.accounts import services
from commonground.accounts.models import ApiToken
from commonground.accounts.tokens import hash_api_token
from commonground.api.v1.account import router
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

api = TestClient(router)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_new_token_is_shown_once_and_only_its_hash_is_kept(client) -> None:
    client.force_login(UserFactory(email="sam@example.org"))

    created = client.post("/account/tokens/", {"name": "Monthly report"})
    later = client.get("/account/tokens/")

    raw = re.search(r"cg_[A-Za-z0-9_-]{40,}", created.text).group(0)  # type: ignore[union-attr]
    token = ApiToken.objects.get()
    assert token.token_hash == hash_api_token(raw) and raw not in token.token_hash
    assert raw not in later.text and "Monthly report" in later.text
    assert created["Cache-Control"] == "no-store"


def test_a_token_without_a_name_is_refused(client) -> None:
    client.force_login(UserFactory(email="sam@example.org"))

    response = client.post("/account/tokens/", {"name": ""})

    assert "Enter a name for the token" in response.text
    assert not ApiToken.objects.exists()


def test_a_script_with_a_live_token_acts_as_its_owner() -> None:
    user = UserFactory(email="sam@example.org")
    _, raw = services.api_token_create(user, "script")

    response = api.get("/me", headers=bearer(raw))

    assert response.status_code == 200
    assert response.json()["email"] == "sam@example.org"
    assert response.json()["perspectives"] == ["community"]
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer cg_not-a-real-token"}, {"Authorization": "Basic abc"}],
)
def test_the_private_api_answers_401_without_a_live_token(headers) -> None:
    assert api.get("/me", headers=headers).status_code == 401


def test_a_revoked_token_stops_working(client) -> None:
    user = UserFactory(email="sam@example.org")
    token, raw = services.api_token_create(user, "script")
    client.force_login(user)

    client.post(f"/account/tokens/{token.pk}/revoke/")

    assert api.get("/me", headers=bearer(raw)).status_code == 401


def test_the_token_of_a_deactivated_account_stops_working() -> None:
    user = UserFactory(email="sam@example.org")
    _, raw = services.api_token_create(user, "script")
    user.is_active = False
    user.save()

    assert api.get("/me", headers=bearer(raw)).status_code == 401


def test_nobody_can_revoke_or_even_find_someone_elses_token(client) -> None:
    token, raw = services.api_token_create(UserFactory(email="sam@example.org"), "script")
    client.force_login(UserFactory(email="other@example.org"))

    response = client.post(f"/account/tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    assert api.get("/me", headers=bearer(raw)).status_code == 200


def test_through_the_api_an_org_admin_approves_and_others_are_refused(people, pending) -> None:
    tokens = {who: services.api_token_create(user, "t")[1] for who, user in people.items()}
    url = f"/membership-requests/{pending.pk}/approve"

    assert api.post(url).status_code == 401
    assert api.post(url, headers=bearer(tokens["outsider"])).status_code == 404
    assert api.post(url, headers=bearer(tokens["member"])).status_code == 404
    assert api.post(url, headers=bearer(tokens["applicant"])).status_code == 403
    listed = api.get("/membership-requests", headers=bearer(tokens["org_admin"])).json()
    assert [r["person"] for r in listed] == ["Unnamed account (an address at charity.example)"]
    assert api.get("/membership-requests", headers=bearer(tokens["member"])).json() == []
    approved = api.post(url, headers=bearer(tokens["org_admin"]))
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
