"""The profile API and the Open Referral UK services feed: public reads (the contact only for
commissioners and funders), writes with a member's Bearer token, one error shape naming the
field, 409 for the second of two saves, and every service valid against the HSDS 3 schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client
from jsonschema import Draft202012Validator, FormatChecker

from commonground.accounts import services as account_services
from commonground.profiles import services
from commonground.profiles.models import PartnershipProfile, Service
from tests.profiles.factories import SCHEMA_DIR, ProfileFactory, ServiceFactory, profile_data


def bearer(user) -> dict[str, str]:
    _token, raw = account_services.api_token_create(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def put(client: Client, org_id: str, data: dict, **headers: str):
    return client.put(
        f"/api/v1/organisations/{org_id}/profile",
        data=json.dumps(data),
        content_type="application/json",
        **headers,
    )


@pytest.fixture
def service_validator(shared_data: Path) -> Draft202012Validator:
    schema = json.loads((shared_data / SCHEMA_DIR / "service.json").read_text())
    return Draft202012Validator(schema, format_checker=FormatChecker())


def test_a_verified_member_writes_the_profile_with_services_and_reads_it_back(
    profile_world, client
) -> None:
    w = profile_world
    data = profile_data(
        services=[{"name": "Lunch club", "areas": ["E05015259"], "languages": ["English"]}]
    )
    response = put(client, w.charity.org_id, data, **bearer(w.owner))
    assert response.status_code == 201, response.content
    assert response["ETag"] == '"1"'
    answer = response.json()
    assert [r["code"] for r in answer["routes"]] == ["grant", "contract", "consortium_lead"]
    assert "community_asset_transfer" not in answer["routes"][0]["catalogue_routes"]
    assert answer["services"][0]["service_areas"][0]["name"] == "Urmston"
    assert answer["contact_email"] is None  # the owner is a provider, not a commissioner


def test_anonymous_writes_get_401_and_another_organisations_member_403(
    profile_world, client
) -> None:
    w = profile_world
    assert put(client, w.charity.org_id, profile_data()).status_code == 401
    refused = put(client, w.charity.org_id, profile_data(), **bearer(w.other_owner))
    assert refused.status_code == 403 and refused.json()["errors"]
    assert put(client, "GB-CHC-0000001", profile_data(), **bearer(w.owner)).status_code == 404
    assert not PartnershipProfile.objects.exists()


def test_an_unknown_place_or_route_is_refused_in_the_one_error_shape_naming_the_field(
    profile_world, client
) -> None:
    data = profile_data(
        routes=["grant", "franchise"], services=[{"name": "Club", "areas": ["E05999999"]}]
    )
    response = put(client, profile_world.charity.org_id, data, **bearer(profile_world.owner))
    assert response.status_code == 422
    answer = response.json()
    assert answer["field"] == "routes.1" and "franchise" in answer["detail"]
    assert [e["field"] for e in answer["errors"]] == ["routes.1", "services.0.areas.0"]
    assert set(answer) == {"detail", "field", "errors", "code"}


def test_the_second_of_two_saves_from_one_version_gets_409_and_changes_nothing(
    profile_world, client
) -> None:
    w = profile_world
    ProfileFactory(organisation=w.charity, staff=5, version=3)
    headers = bearer(w.owner)
    first = put(client, w.charity.org_id, profile_data(staff=6), HTTP_IF_MATCH='"3"', **headers)
    assert first.status_code == 200 and first["ETag"] == '"4"'
    second = put(client, w.charity.org_id, profile_data(staff=7), HTTP_IF_MATCH='"3"', **headers)
    assert second.status_code == 409 and second.json()["code"] == "changed"
    assert put(client, w.charity.org_id, profile_data(staff=8), **headers).status_code == 428
    assert PartnershipProfile.objects.get().staff == 6


def test_a_profile_save_from_before_a_service_was_changed_singly_gets_409(
    profile_world, client
) -> None:
    w = profile_world
    ProfileFactory(organisation=w.charity, staff=5, version=3)
    services.service_save(w.owner, w.charity, {"name": "Lunch club"}, version=3)
    headers = bearer(w.owner)
    stale = put(
        client,
        w.charity.org_id,
        profile_data(services=[]),
        HTTP_IF_MATCH='"3"',
        **headers,
    )
    assert stale.status_code == 409 and stale.json()["code"] == "changed"
    assert Service.objects.get().name == "Lunch club"  # not removed by the stale save


def test_the_contact_is_given_to_signed_in_commissioners_only(profile_world, client) -> None:
    w = profile_world
    ProfileFactory(organisation=w.charity, contact_email="partners@example.org")
    url = f"/api/v1/organisations/{w.charity.org_id}/profile"
    assert client.get(url).json()["contact_email"] is None
    client.force_login(w.commissioner)
    assert client.get(url).json()["contact_email"] == "partners@example.org"


def test_the_services_feed_is_paginated_and_every_service_is_valid_hsds_3(
    profile_world, client, service_validator
) -> None:
    w = profile_world
    for n in range(3):
        ServiceFactory(
            organisation=w.charity,
            name=f"Service {n}",
            places=[w.ward],
            url="https://example.org/s",
        )
    ServiceFactory(
        organisation=None, feed_organisation_name="A feed's organisation", name="Service 3"
    )
    page = client.get("/api/v1/services?per_page=2&page=2").json()
    assert (page["total_items"], page["total_pages"], page["page_number"]) == (4, 2, 2)
    assert page["last_page"] and not page["first_page"] and page["size"] == 2
    everything = client.get("/api/v1/services?per_page=100").json()["contents"]
    for service in everything:
        errors = [e.message for e in service_validator.iter_errors(service)]
        assert errors == [], (service["name"], errors)
    one = client.get(f"/api/v1/services/{everything[0]['id']}").json()
    assert one == everything[0] and "email" not in one
    assert one["organization"]["organization_identifiers"][0]["identifier_type"] == "org-id"


def test_an_unknown_service_is_404_in_the_one_error_shape(db, client) -> None:
    response = client.get("/api/v1/services/6f1d3c52-3a41-4e0c-9a4e-0c6b2f0a9d15")
    assert response.status_code == 404 and response.json()["field"] == "id"


def test_the_openapi_document_has_the_profile_and_service_operations(db, client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/organisations/{org_id}/profile"]) == {"get", "put"}
    assert "get" in paths["/api/v1/services"] and "get" in paths["/api/v1/services/{id}"]
