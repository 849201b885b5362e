"""Values larger than a profile can hold (a count past the database's integer, an address,
service name or web address longer than its column) are refused naming the field, on the page
and in the API alike, and nothing is saved: never a server error, on SQLite or PostgreSQL. So is
more than a profile holds (profiles.limits): too many services, areas, languages, routes or
quality marks, or text past its limit, by the same limits on the page and in the API."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from commonground.accounts import services as account_services
from commonground.profiles import limits
from commonground.profiles.models import PartnershipProfile, Service

from .factories import ServiceFactory, profile_data

TOO_LONG_ADDRESS = "a" * 64 + "@" + ("b" * 60 + ".") * 4 + "org"  # valid, 312 characters


def _put(client: Client, org_id: str, data: dict, user) -> object:
    _token, raw = account_services.api_token_create(user, "test")
    return client.put(
        f"/api/v1/organisations/{org_id}/profile",
        data=json.dumps(data),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )


def test_a_count_too_large_to_store_is_refused_on_the_profile_page(profile_world) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(profile_world.owner)
    form = profile_data(people_served_a_year="99999999999999999999", quality_marks="")
    form["routes"] = ["grant"]
    response = client.post(f"/organisations/{profile_world.charity.org_id}/profile/edit", form)
    assert response.status_code == 200
    assert "Give a whole number from 0 to 2,147,483,647" in response.content.decode()
    assert not PartnershipProfile.objects.exists()


def _services(count: int) -> list[dict]:
    return [{"name": f"Lunch club {n}"} for n in range(count)]


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
        ({"services": _services(limits.MAX_SERVICES + 1)}, "services"),
        (
            {"services": [{"name": "Club", "areas": ["E05015259"] * (limits.MAX_AREAS + 1)}]},
            "services.0.areas",
        ),
        (
            {"services": [{"name": "Club", "languages": ["Urdu"] * (limits.MAX_LANGUAGES + 1)}]},
            "services.0.languages",
        ),
        ({"services": [{"name": "Club", "languages": ["x" * 101]}]}, "services.0.languages.0"),
        ({"services": [{"name": "Club", "description": "x" * 4001}]}, "services.0.description"),
        ({"services": [{"name": "Club", "cost": "x" * 1001}]}, "services.0.cost"),
        ({"routes": ["grant"] * 1000}, "routes"),
        ({"summary": "x" * 4001}, "summary"),
        ({"asset_lock_evidence": "x" * 1001}, "asset_lock_evidence"),
        (
            {"quality_marks": [{"name": "Mark", "evidence": "Seen"}] * 21},
            "quality_marks",
        ),
        (
            {"quality_marks": [{"name": "Mark", "evidence": "x" * 1001}]},
            "quality_marks.0.evidence",
        ),
    ],
)
def test_a_value_or_list_larger_than_a_profile_holds_is_refused_in_the_api_naming_the_field(
    profile_world, change, field
) -> None:
    client = Client(raise_request_exception=False)
    data = profile_data(**change)
    response = _put(client, profile_world.charity.org_id, data, profile_world.owner)
    assert response.status_code == 422, response.content
    answer = response.json()
    assert answer["field"] == field
    assert set(answer) == {"detail", "field", "errors", "code"}
    assert not PartnershipProfile.objects.exists() and not Service.objects.exists()


def test_as_many_services_as_the_page_allows_are_kept_through_the_api(profile_world) -> None:
    client = Client(raise_request_exception=False)
    data = profile_data(services=_services(limits.MAX_SERVICES), routes=["grant", "grant"])
    response = _put(client, profile_world.charity.org_id, data, profile_world.owner)
    assert response.status_code == 201, response.content
    assert Service.objects.count() == limits.MAX_SERVICES
    assert PartnershipProfile.objects.get().routes == ["grant"]


def test_the_profile_page_refuses_another_service_past_the_limit(profile_world) -> None:
    w = profile_world
    ServiceFactory.create_batch(limits.MAX_SERVICES, organisation=w.charity)
    client = Client(raise_request_exception=False)
    client.force_login(w.owner)
    edit = client.get(f"/organisations/{w.charity.org_id}/profile/edit").content.decode()
    assert "Add a service" not in edit
    assert f"A profile can list at most {limits.MAX_SERVICES} services" in edit
    response = client.post(
        f"/organisations/{w.charity.org_id}/profile/services/add", {"name": "One more"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert f"A profile can list at most {limits.MAX_SERVICES} services" in page
    assert Service.objects.count() == limits.MAX_SERVICES


def test_a_service_under_the_limit_can_still_be_added_on_the_page(profile_world) -> None:
    w = profile_world
    ServiceFactory.create_batch(limits.MAX_SERVICES - 1, organisation=w.charity)
    client = Client(raise_request_exception=False)
    client.force_login(w.owner)
    edit = client.get(f"/organisations/{w.charity.org_id}/profile/edit").content.decode()
    assert "Add a service" in edit
    response = client.post(
        f"/organisations/{w.charity.org_id}/profile/services/add", {"name": "The last one"}
    )
    assert response.status_code == 302
    assert Service.objects.count() == limits.MAX_SERVICES


def test_too_many_languages_are_refused_on_the_service_page(profile_world) -> None:
    w = profile_world
    client = Client(raise_request_exception=False)
    client.force_login(w.owner)
    languages = ", ".join(f"Language {n}" for n in range(limits.MAX_LANGUAGES + 1))
    response = client.post(
        f"/organisations/{w.charity.org_id}/profile/services/add",
        {"name": "Club", "languages": languages},
    )
    page = response.content.decode()
    assert f"Give at most {limits.MAX_LANGUAGES} languages" in page
    assert 'id="languages-error"' in page  # the field's own error, beside it
    assert not Service.objects.exists()


def test_too_many_quality_marks_or_too_long_a_summary_are_refused_on_the_profile_page(
    profile_world,
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(profile_world.owner)
    marks = "\n".join(f"Mark {n} | awarded" for n in range(limits.MAX_QUALITY_MARKS + 1))
    form = profile_data(quality_marks=marks, summary="x" * 4001)
    form["routes"] = ["grant"]
    response = client.post(f"/organisations/{profile_world.charity.org_id}/profile/edit", form)
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Give at most {limits.MAX_QUALITY_MARKS} quality marks" in page
    assert "What you offer partners must be 4,000 characters or fewer" in page
    assert not PartnershipProfile.objects.exists()
