"""Values larger than a profile can hold (a count past the database's integer, an address,
service name or web address longer than its column) are refused naming the field, on the page
and in the API alike, and nothing is saved: never a server error, on SQLite or PostgreSQL."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from commonground.accounts import services as account_services
from commonground.profiles.models import PartnershipProfile, Service

from .factories import profile_data

TOO_LONG_ADDRESS = "a" * 64 + "@" + ("b" * 60 + ".") * 4 + "org"  # valid, 312 characters


def _put(client: Client, org_id: str, data: dict, user) -> object:
    _token, raw = account_services.api_token_create(user, "test")
    return client.put(
        f"/api/v1/organisations/{org_id}/profile",
        data=json.dumps(data),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"people_served_a_year": 10**20}, "people_served_a_year"),
        ({"staff": 3_000_000_000}, "staff"),
        ({"contact_email": TOO_LONG_ADDRESS}, "contact_email"),
        ({"services": [{"name": "x" * 501}]}, "services.0.name"),
        (
            {"services": [{"name": "Club", "url": "https://example.org/" + "a" * 500}]},
            "services.0.url",
        ),
    ],
)
def test_a_value_too_large_to_store_is_refused_in_the_api_naming_its_field(
    profile_world, change, field
) -> None:
    client = Client(raise_request_exception=False)
    data = profile_data(**change)
    response = _put(client, profile_world.charity.org_id, data, profile_world.owner)
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert not PartnershipProfile.objects.exists() and not Service.objects.exists()


def test_a_count_too_large_to_store_is_refused_on_the_profile_page(profile_world) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(profile_world.owner)
    form = profile_data(people_served_a_year="99999999999999999999", quality_marks="")
    form["routes"] = ["grant"]
    response = client.post(f"/organisations/{profile_world.charity.org_id}/profile/edit", form)
    assert response.status_code == 200
    assert "Give a whole number from 0 to 2,147,483,647" in response.content.decode()
    assert not PartnershipProfile.objects.exists()
