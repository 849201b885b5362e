"""The shortlists API: a person's own shortlists made, read, changed and taken into a
partnership; others get 404; refusals in the one error shape; every operation in OpenAPI."""

from __future__ import annotations

import json

import pytest

from commonground.accounts import services as account_services
from commonground.organisations.models import Shortlist
from tests.accounts.factories import UserFactory
from tests.organisations.factories import OrganisationFactory, shortlist_of

pytestmark = pytest.mark.django_db


def auth(user):  # type: ignore[no-untyped-def]
    _token, raw = account_services.api_token_create(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def send(client, method, path, user, body=None):  # type: ignore[no-untyped-def]
    kwargs = auth(user) if user is not None else {}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(f"/api/v1{path}", **kwargs)


def test_a_person_makes_a_shortlist_saves_organisations_and_reads_it_back(client) -> None:  # type: ignore[no-untyped-def]
    owner = UserFactory()
    organisation = OrganisationFactory(name="Sale Befrienders")
    made = send(client, "post", "/shortlists", owner, {"name": "Befriending"})
    assert made.status_code == 201
    shortlist_id = made.json()["id"]
    saved = send(
        client,
        "post",
        f"/shortlists/{shortlist_id}/organisations",
        owner,
        {"org_id": organisation.org_id, "note": "Home visits"},
    )
    assert saved.status_code == 201
    body = send(client, "get", f"/shortlists/{shortlist_id}", owner).json()
    assert body["size"] == 1
    assert body["organisations"][0]["org_id"] == organisation.org_id
    assert body["organisations"][0]["note"] == "Home visits"
    assert [s["name"] for s in send(client, "get", "/shortlists", owner).json()] == ["Befriending"]
    renamed = send(client, "patch", f"/shortlists/{shortlist_id}", owner, {"name": "Visits"})
    assert renamed.json()["name"] == "Visits"
    path = f"/shortlists/{shortlist_id}/organisations/{organisation.org_id}"
    assert send(client, "delete", path, owner).status_code == 204
    assert send(client, "delete", f"/shortlists/{shortlist_id}", owner).status_code == 204
    assert not Shortlist.objects.exists()


def test_refusals_name_the_field_and_clashes_are_409(client) -> None:  # type: ignore[no-untyped-def]
    owner = UserFactory()
    organisation = OrganisationFactory()
    shortlist = shortlist_of(owner, "Carers", [organisation])
    taken = send(client, "post", "/shortlists", owner, {"name": "carers"})
    assert taken.status_code == 409 and taken.json()["field"] == "name"
    twice = send(
        client,
        "post",
        f"/shortlists/{shortlist.pk}/organisations",
        owner,
        {"org_id": organisation.org_id},
    )
    assert twice.status_code == 409
    unknown = send(
        client, "post", f"/shortlists/{shortlist.pk}/organisations", owner, {"org_id": "GB-CHC-0"}
    )
    assert unknown.status_code == 422 and unknown.json()["field"] == "org_id"


def test_someone_elses_shortlist_is_not_found_and_no_token_is_401(client) -> None:  # type: ignore[no-untyped-def]
    shortlist = shortlist_of(UserFactory(), "Private", [OrganisationFactory()])
    stranger = UserFactory(is_staff=True)
    for method in ("get", "delete"):
        response = send(client, method, f"/shortlists/{shortlist.pk}", stranger)
        assert response.status_code == 404 and set(response.json()) >= {"detail", "code"}
    assert send(client, "get", "/shortlists", None).status_code == 401
    assert Shortlist.objects.filter(pk=shortlist.pk).exists()


def test_a_lead_adds_a_shortlist_to_a_partnership_and_a_member_may_not(
    client, partnership_world
) -> None:  # type: ignore[no-untyped-def]
    people = partnership_world.people
    partnership = partnership_world.partnership
    organisation = OrganisationFactory()
    shortlist = shortlist_of(people["lead"], "Lunch", [organisation])
    path = f"/partnerships/{partnership.pk}/members/from-shortlist"
    body = {"shortlist_id": shortlist.pk}
    theirs = shortlist_of(people["member"], "Member's", [organisation])
    refused = send(client, "post", path, people["member"], {"shortlist_id": theirs.pk})
    assert refused.status_code == 403
    not_yours = send(client, "post", path, people["lead"], {"shortlist_id": theirs.pk})
    assert not_yours.status_code == 422 and not_yours.json()["field"] == "shortlist_id"
    added = send(client, "post", path, people["lead"], body)
    assert added.status_code == 201
    assert [m["org_id"] for m in added.json()["added"]] == [organisation.org_id]
    again = send(client, "post", path, people["lead"], body).json()
    assert again["added"] == [] and again["already_members"] == [organisation.org_id]


def test_every_shortlist_operation_is_in_openapi(client) -> None:  # type: ignore[no-untyped-def]
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/shortlists"])
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/shortlists/{id}"])
    assert "post" in paths["/api/v1/partnerships/{id}/members/from-shortlist"]
