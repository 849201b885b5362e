"""Reading a profile through the API with a Bearer token reads it as the token's person: a
commissioner's script sees the partnership contact as the commissioner does on the page, a
provider's does not, and a token that does not work is refused (401), never read as nobody."""

from __future__ import annotations

from django.test import Client

from commonground.accounts import services as account_services

from .factories import ProfileFactory


def _get(client: Client, org_id: str, **headers: str):
    return client.get(f"/api/v1/organisations/{org_id}/profile", **headers)


def _bearer(user) -> dict[str, str]:
    _token, raw = account_services.api_token_create(user, "script")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_commissioners_token_reads_the_contact_and_a_providers_does_not(
    profile_world, client
) -> None:
    w = profile_world
    ProfileFactory(organisation=w.charity, contact_email="partners@example.org")

    commissioner = _get(client, w.charity.org_id, **_bearer(w.commissioner))
    provider = _get(client, w.charity.org_id, **_bearer(w.other_owner))
    anonymous = _get(client, w.charity.org_id)

    assert commissioner.json()["contact_email"] == "partners@example.org"
    assert provider.json()["contact_email"] is None
    assert anonymous.json()["contact_email"] is None


def test_a_token_that_does_not_work_is_refused(profile_world, client) -> None:
    w = profile_world
    ProfileFactory(organisation=w.charity, contact_email="partners@example.org")

    response = _get(client, w.charity.org_id, HTTP_AUTHORIZATION="Bearer not-a-token")

    assert response.status_code == 401
    assert set(response.json()) == {"detail", "field", "errors", "code"}
