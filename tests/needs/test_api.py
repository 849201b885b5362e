"""The needs API: anonymous writes 401, another organisation's writes 403 or 404, bad input 422
in the one error shape naming the field, and the journey from draft to invitation."""

from __future__ import annotations

import json

import pytest

from commonground.accounts import services as account_services
from commonground.needs.models import Need
from tests.needs.factories import need_data

pytestmark = pytest.mark.django_db


def call(client, method, path, world, who, body=None):
    kwargs = {}
    if who != "anonymous":
        _token, raw = account_services.api_token_create(world.people[who], "test")
        kwargs["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    if body is not None:
        kwargs["data"] = json.dumps(body)
        kwargs["content_type"] = "application/json"
    return getattr(client, method)(f"/api/v1{path}", **kwargs)


def test_a_commissioner_writes_and_publishes_a_need_through_the_api(client, needs_world) -> None:
    created = call(
        client, "post", "/needs", needs_world, "commissioner",
        {"organisation": "GB-LAE-TRF", **need_data()},
    )  # fmt: skip
    assert created.status_code == 201, created.content
    need_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    assert call(client, "get", f"/needs/{need_id}", needs_world, "anonymous").status_code == 404
    published = call(
        client, "patch", f"/needs/{need_id}", needs_world, "commissioner", {"status": "published"}
    )
    assert published.json()["status"] == "published"
    assert published.json()["notices"][0]["kind"] == "published"
    public = call(client, "get", f"/needs/{need_id}", needs_world, "anonymous")
    assert public.status_code == 200 and public.json()["appraisal"] is None


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/needs", {"organisation": "GB-LAE-TRF", "title": "x"}),
        ("patch", "/needs/{id}", {"title": "Mine now"}),
        ("post", "/needs/{id}/interests", {"organisation": "GB-CHC-9990101", "kind": "lead"}),
        ("post", "/needs/{id}/questions", {"organisation": "GB-CHC-9990101", "text": "When?"}),
    ],
)
def test_anonymous_writes_get_401(client, needs_world, method, path, body) -> None:
    need = needs_world.need()
    answer = call(client, method, path.format(id=need.pk), needs_world, "anonymous", body)
    assert answer.status_code == 401
    assert set(answer.json()) == {"detail", "field", "errors", "code"}


def test_another_organisations_writes_are_refused(client, needs_world) -> None:
    need = needs_world.need()
    draft = needs_world.need(published=False)
    patch = call(client, "patch", f"/needs/{need.pk}", needs_world, "provider", {"title": "Mine"})
    assert patch.status_code == 403
    # A change that changes nothing is refused all the same (it answered 200).
    assert (
        call(client, "patch", f"/needs/{need.pk}", needs_world, "provider", {}).status_code == 403
    )
    assert call(
        client, "patch", f"/needs/{draft.pk}", needs_world, "provider", {"title": "Mine"}
    ).status_code == 404  # fmt: skip
    create = call(
        client, "post", "/needs", needs_world, "provider",
        {"organisation": "GB-LAE-TRF", **need_data()},
    )  # fmt: skip
    assert create.status_code == 403
    as_other = call(
        client, "post", f"/needs/{need.pk}/interests", needs_world, "provider",
        {"organisation": "GB-CHC-9990102", "kind": "lead"},
    )  # fmt: skip
    assert as_other.status_code == 403
    for path in ("matches", "interests"):
        got = call(client, "get", f"/needs/{need.pk}/{path}", needs_world, "provider")
        assert got.status_code == 403
    need.refresh_from_db()
    assert need.title == "Later-life wellbeing service"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"place": "E99999999"}, "place"),
        ({"ward_codes": ["E05999999"]}, "ward_codes.0"),
        ({"route_codes": ["not_a_route"]}, "route_codes.0"),
        ({"route_codes": ["grant"] * 10_000}, "route_codes"),
        ({"kind": "auction"}, "kind"),
        ({"budget_min_pence": -1}, "budget_min_pence"),
    ],
)
def test_bad_input_gets_422_naming_the_field(client, needs_world, change, field) -> None:
    answer = call(
        client, "post", "/needs", needs_world, "commissioner",
        {"organisation": "GB-LAE-TRF", **need_data(**change)},
    )  # fmt: skip
    assert answer.status_code == 422
    assert answer.json()["field"] == field
    assert not Need.objects.exists()


def test_a_stale_version_gets_409_and_nothing_is_overwritten(client, needs_world) -> None:
    need = needs_world.need()
    first = call(
        client, "patch", f"/needs/{need.pk}", needs_world, "commissioner",
        {"timeline": "Sooner", "version": need.version},
    )  # fmt: skip
    assert first.status_code == 200
    second = call(
        client, "patch", f"/needs/{need.pk}", needs_world, "commissioner",
        {"timeline": "Later", "version": need.version},
    )  # fmt: skip
    assert second.status_code == 409 and second.json()["field"] == "version"
    need.refresh_from_db()
    assert need.timeline == "Sooner"


def test_interests_questions_and_answers_through_the_api(client, needs_world) -> None:
    need = needs_world.need()
    interest = call(
        client, "post", f"/needs/{need.pk}/interests", needs_world, "provider",
        {"organisation": "GB-CHC-9990101", "kind": "lead", "message": "We can lead."},
    )  # fmt: skip
    assert interest.status_code == 201
    question = call(
        client, "post", f"/needs/{need.pk}/questions", needs_world, "provider",
        {"organisation": "GB-CHC-9990101", "text": "Is transport included?"},
    )  # fmt: skip
    assert question.status_code == 201
    assert call(client, "get", f"/needs/{need.pk}/questions", needs_world, "anonymous").json() == []
    answered = call(
        client, "post", f"/needs/{need.pk}/questions/{question.json()['id']}/answer",
        needs_world, "commissioner", {"answer": "Yes."},
    )  # fmt: skip
    assert answered.status_code == 200
    seen = call(client, "get", f"/needs/{need.pk}/questions", needs_world, "other_provider")
    assert [q["answer"] for q in seen.json()] == ["Yes."]
    owner = call(client, "get", f"/needs/{need.pk}/interests", needs_world, "commissioner")
    assert [i["org_id"] for i in owner.json()] == ["GB-CHC-9990101"]
    assert "officer@provider.example" not in owner.content.decode()


def test_a_closed_need_refuses_interest_with_its_closing_date(client, needs_world) -> None:
    need = needs_world.need()
    Need.objects.filter(pk=need.pk).update(closes_on="2026-01-09")
    answer = call(
        client, "post", f"/needs/{need.pk}/interests", needs_world, "provider",
        {"organisation": "GB-CHC-9990101", "kind": "interested"},
    )  # fmt: skip
    assert answer.status_code == 409
    assert "9 January 2026" in answer.json()["detail"] and answer.json()["field"] == "closes_on"


def test_every_needs_operation_is_in_the_openapi_document(client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/needs"])
    assert {"get", "patch"} <= set(paths["/api/v1/needs/{need_id}"])
    assert "get" in paths["/api/v1/needs/{need_id}/matches"]
    assert {"get", "post"} <= set(paths["/api/v1/needs/{need_id}/interests"])
    assert {"get", "post"} <= set(paths["/api/v1/needs/{need_id}/questions"])


def test_a_missing_place_or_too_many_wards_get_a_plain_422(client, needs_world) -> None:
    need = needs_world.need()
    cleared = call(
        client, "patch", f"/needs/{need.pk}", needs_world, "commissioner", {"place": None}
    )
    assert cleared.status_code == 422 and cleared.json()["field"] == "place"
    assert "None" not in cleared.json()["detail"]
    assert "Choose the local authority area" in cleared.json()["detail"]
    many = call(
        client, "patch", f"/needs/{need.pk}", needs_world, "commissioner",
        {"ward_codes": [f"E0{n:07d}" for n in range(5000)]},
    )  # fmt: skip
    assert many.status_code == 422 and many.json()["field"] == "ward_codes"
    assert "at most 200 wards" in many.json()["detail"]
    need.refresh_from_db()
    assert need.place.gss_code == "E08000009" and need.version == 2
