"""GET /api/v1/routes and /api/v1/routes/{code}: the rules, open to anyone."""

from __future__ import annotations

import pytest

from commonground.commissioning.catalogue import ROUTE_CODES, rules

pytestmark = pytest.mark.django_db


def test_lists_every_route_with_its_rules(client):
    response = client.get("/api/v1/routes")
    assert response.status_code == 200
    body = response.json()
    assert [r["code"] for r in body] == list(ROUTE_CODES)
    grant = next(r for r in body if r["code"] == "grant")
    assert grant["family"] == "grant"
    assert grant["legal_basis"][0]["url"].startswith("http")
    assert {c["id"] for c in grant["conditions"]} >= {"no_services_in_return"}
    assert len(grant["principle_fit"]) == 9
    assert grant["rules_version"] == rules().version


def test_one_route(client):
    body = client.get("/api/v1/routes/psr_direct_award_c").json()
    assert body["name"] == "PSR direct award process C"
    assert body["unconfirmed"]
    assert any(c["unconfirmed"] for c in body["conditions"])


def test_unknown_route_is_404(client):
    assert client.get("/api/v1/routes/nonsense").status_code == 404


def test_openapi_describes_the_route_fields(client):
    schema = client.get("/api/v1/openapi.json").json()
    props = schema["components"]["schemas"]["RouteOut"]["properties"]
    assert all(p.get("description") for p in props.values())


def test_routes_name_their_precedent_case_studies(client):
    body = client.get("/api/v1/routes/alliance_contract").json()
    assert body["precedents"]
    assert all(p["url"].startswith("/case-studies/") for p in body["precedents"])
    assert client.get(body["precedents"][0]["url"]).status_code == 200
