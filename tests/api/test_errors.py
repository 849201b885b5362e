"""Every 4xx answer of the API has one shape, {"detail", "field", "errors", "code"}, whatever
refused the request: the schema, a handler, a missing token, a page not found (ADR 0020); and
OpenAPI documents that shape for every 4xx it lists."""

from __future__ import annotations

import pytest

from commonground.api.urls import api

pytestmark = pytest.mark.django_db

SHAPE = {"detail", "field", "errors", "code"}


def refusal(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == SHAPE
    assert isinstance(body["detail"], str) and body["detail"]
    assert body["errors"][0] == {"detail": body["detail"], "field": body["field"]}
    return body


def test_a_value_the_schema_refuses_names_its_query_parameter(client):
    body = refusal(client.get("/api/v1/organisations?page=0"), 422)
    assert body["field"] == "page"


def test_a_value_a_handler_refuses_names_its_query_parameter(client):
    body = refusal(client.get("/api/v1/money-flows?year=nineteen"), 422)
    assert body["field"] == "year"


def test_a_body_field_the_schema_refuses_is_named_without_its_wrapper(client):
    body = refusal(
        client.post("/api/v1/analysis/articulation", {"text": 5}, content_type="application/json"),
        422,
    )
    assert body["field"] == "text"


def test_a_request_without_a_token_names_no_field(client):
    body = refusal(client.get("/api/v1/account/me"), 401)
    assert body["field"] is None and body["code"] is None


def test_something_not_found_names_no_field(client):
    body = refusal(client.get("/api/v1/organisations/GB-CHC-0"), 404)
    assert "GB-CHC-0" in body["detail"]


def test_a_body_that_is_not_json_is_refused_in_the_same_shape(client):
    response = client.post("/api/v1/appraisals", "{", content_type="application/json")
    assert refusal(response, 400)["field"] is None


def test_openapi_gives_every_4xx_the_one_error_schema():
    document = api.get_openapi_schema()
    listed = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation["responses"].items():
                if str(status).startswith("4"):
                    listed += 1
                    schema = answer["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ApiError"}, (path, method)
    assert listed > 50
    assert set(document["components"]["schemas"]["ApiError"]["properties"]) == SHAPE
