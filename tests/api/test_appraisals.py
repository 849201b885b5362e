"""POST /api/v1/appraisals and GET /api/v1/appraisals/{id}: the same answer as the pages,
anonymous appraisals stored nowhere, saved ones private, and bad answers refused with 400
naming the field."""

from __future__ import annotations

import json

import pytest

from commonground.accounts import services as account_services
from commonground.commissioning.answers import Answers
from commonground.commissioning.models import Appraisal
from tests.commissioning.factories import WHO, answers, by_code, run

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, raw = account_services.api_token_create(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client, body, **headers):
    return client.post(
        "/api/v1/appraisals", data=json.dumps(body), content_type="application/json", **headers
    )


OLDHAM = answers(
    decision_date="2019-03-14",
    estimated_value_pence=125_000_000,
    duration_months=36,
    light_touch_service=True,
    innovation_required=True,
)


def test_anonymous_post_returns_the_routes_and_saves_nothing(client):
    response = post(client, OLDHAM)
    assert response.status_code == 200
    body = response.json()
    assert body["saved"] is False and body["id"] is None
    assert Appraisal.objects.count() == 0
    route = next(r for r in body["routes"] if r["code"] == "innovation_partnership")
    assert route["status"] == "available"
    assert route["reasons"] and route["obligations"]
    assert {"code", "status", "reasons", "obligations"} <= set(route)


def test_the_api_gives_the_same_answer_as_the_engine_behind_the_pages(client):
    body = post(client, OLDHAM).json()
    expected = run(**{k: v for k, v in OLDHAM.items()})
    assert {r["code"]: r["status"] for r in body["routes"]} == {
        code: r["status"] for code, r in by_code(expected).items()
    }
    assert body["rules_version"] == expected["rules_version"]


def test_with_a_token_the_appraisal_is_saved_and_can_be_fetched(client, appraisal_people):
    response = post(client, OLDHAM, **bearer(appraisal_people.author))
    assert response.status_code == 200
    body = response.json()
    assert body["saved"] is True
    saved = Appraisal.objects.get(pk=body["id"])
    assert saved.author == appraisal_people.author
    fetched = client.get(f"/api/v1/appraisals/{body['id']}", **bearer(appraisal_people.author))
    assert fetched.status_code == 200
    assert fetched.json()["routes"] == body["routes"]


def test_a_bad_token_is_401(client):
    response = post(client, OLDHAM, HTTP_AUTHORIZATION="Bearer nonsense")
    assert response.status_code == 401


@pytest.mark.parametrize("who", WHO)
def test_get_a_saved_appraisal(client, appraisal_people, who):
    headers = {} if who == "anonymous" else bearer(appraisal_people.by_role[who])
    response = client.get(f"/api/v1/appraisals/{appraisal_people.appraisal.pk}", **headers)
    expected = {"anonymous": 401, "outsider": 404, "admin": 404, "author": 200, "shared_with": 200}
    assert response.status_code == expected[who]


def test_missing_appraisal_is_404(client, appraisal_people):
    assert (
        client.get("/api/v1/appraisals/999999", **bearer(appraisal_people.author)).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"colour": "blue"}, "colour"),
        ({"nation": "atlantis"}, "nation"),
        ({"estimated_value_pence": -1}, "estimated_value_pence"),
        ({"estimated_value_pence": "lots"}, "estimated_value_pence"),
        ({"supported_employment_share": 1.5}, "supported_employment_share"),
        ({"decision_date": "2015-06-01"}, "decision_date"),
        ({"decision_date": "yesterday"}, "decision_date"),
        ({"incumbent_performing_well": True}, "incumbent_performing_well"),
        ({"considerable_change": True}, "considerable_change"),
        ({"subject": "goods", "is_health_care_service": True}, "is_health_care_service"),
        ({"reservable_for_mutuals": True}, "reservable_for_mutuals"),
        ({"asset_listed_as_community_value": True}, "asset_listed_as_community_value"),
        ({"asset_undervalue_pence": 100}, "asset_undervalue_pence"),
        ({"patient_choice_applies": True}, "patient_choice_applies"),
    ],
)
def test_unknown_or_inconsistent_answers_are_400_naming_the_field(client, change, field):
    response = post(client, {**answers(), **change})
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == field
    assert field in body["detail"]


def test_a_missing_required_answer_is_400_naming_it(client):
    body = answers()
    del body["council_receives_services"]
    response = post(client, body)
    assert response.status_code == 400
    assert response.json()["field"] == "council_receives_services"


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b""])
def test_a_body_that_is_not_an_object_is_400(client, raw):
    response = client.post("/api/v1/appraisals", data=raw, content_type="application/json")
    assert response.status_code == 400


def test_openapi_publishes_every_answer_field_with_its_meaning(client):
    schema = client.get("/api/v1/openapi.json").json()
    post_op = schema["paths"]["/api/v1/appraisals"]["post"]
    body = post_op["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["properties"]) == set(Answers.model_fields)
    for name in (
        "nation",
        "decision_date",
        "authority_type",
        "subject",
        "is_health_care_service",
        "light_touch_service",
        "reservable_for_mutuals",
        "estimated_value_pence",
        "duration_months",
        "council_receives_services",
        "recipient_carries_on_economic_activity",
        "prior_subsidy_pence_3y",
        "involves_land_or_building",
        "asset_listed_as_community_value",
        "incumbent_exists",
        "incumbent_performing_well",
        "considerable_change",
        "only_one_capable_provider",
        "patient_choice_applies",
        "innovation_required",
        "outcomes_measurable",
        "social_investor_interest",
        "mutual_eligible",
        "supported_employment_share",
        "counterparty_is_public_body",
        "multiple_providers_to_integrate",
        "novel_or_prototype",
        "extreme_urgency_unforeseeable",
    ):
        assert body["properties"][name]["description"], name
    # 400: answers that do not fit the questions (422 is only for a query parameter holding a
    # NUL character, as on every operation: ADR 0059).
    assert "400" in post_op["responses"]


def test_available_routes_carry_precedents(client):
    body = post(client, {**OLDHAM, "multiple_providers_to_integrate": True}).json()
    alliance = next(r for r in body["routes"] if r["code"] == "alliance_contract")
    assert alliance["status"] == "available"
    assert any("/case-studies/" in p["url"] for p in alliance["precedents"])
