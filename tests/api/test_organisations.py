"""The organisations API: the same search as the page, described fully by its OpenAPI document."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from django.test import Client

from tests.organisations.factories import TRAFFORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trafford")]

AGE_UK = "GB-CHC-1109047"
AGE_UK_COMPANY = "GB-COH-05384301"


@pytest.fixture
def openapi(client: Client) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def assert_matches(openapi: dict[str, Any], path: str, status: str, body: Any) -> None:
    """Validate a response body against the schema the OpenAPI document gives for it."""
    schema = openapi["paths"][path]["get"]["responses"][status]["content"]["application/json"][
        "schema"
    ]
    document = {**schema, "components": openapi["components"]}
    jsonschema.validate(body, document, cls=jsonschema.Draft202012Validator)


def test_the_openapi_document_lists_both_paths_with_their_parameters(openapi) -> None:
    search = openapi["paths"]["/api/v1/organisations"]["get"]
    detail = openapi["paths"]["/api/v1/organisations/{org_id}"]["get"]

    assert {p["name"] for p in search["parameters"]} == {
        "q",
        "place",
        "postcode",
        "distance",
        "sector",
        "status",
        "legal_form",
        "income",
        "relation",
        "sort",
        "page",
        "page_size",
    }
    sector = next(p for p in search["parameters"] if p["name"] == "sector")
    assert sector["schema"]["type"] == "array"
    assert [p["name"] for p in detail["parameters"]] == ["org_id"]
    assert {"200", "422"} <= set(search["responses"])
    assert {"200", "404"} <= set(detail["responses"])


def test_search_results_match_the_page_and_the_schema(client: Client, openapi) -> None:
    response = client.get("/api/v1/organisations", {"q": "age uk", "place": TRAFFORD})
    body = response.json()

    assert response.status_code == 200
    assert_matches(openapi, "/api/v1/organisations", "200", body)
    first = body["results"][0]
    assert (first["org_id"], first["name"]) == (AGE_UK, "AGE UK TRAFFORD")
    assert first["ward"]["name"] == "Urmston"
    assert first["local_authority"]["gss_code"] == TRAFFORD
    assert first["url"] == f"/api/v1/organisations/{AGE_UK}"


def test_search_results_say_why_they_matched_and_where_each_works(client: Client, openapi) -> None:
    body = client.get("/api/v1/organisations", {"q": "citizens advice", "place": TRAFFORD}).json()
    based = client.get(
        "/api/v1/organisations",
        {"q": "citizens advice", "place": TRAFFORD, "relation": "based_in"},
    ).json()

    assert_matches(openapi, "/api/v1/organisations", "200", body)
    sort = next(r for r in body["results"] if r["name"] == "Citizens Advice SORT Group")
    assert sort["why"][0] == "name has “citizens”, “advice”"
    assert sort["places"] == [
        {
            "relation": "works_in",
            "gss_code": TRAFFORD,
            "name": "Trafford",
            "coverage": "local",
            "evidence": "listed in Charities operating in Trafford "
            "(Charity Commission extract, 2023-04-04)",
            "as_of": "2023-04-04",
        }
    ]
    assert "Citizens Advice SORT Group" not in [r["name"] for r in based["results"]]
    assert all(any(p["relation"] == "based_in" for p in r["places"]) for r in based["results"])


def test_search_has_facets_and_pagination(client: Client, openapi) -> None:
    body = client.get(
        "/api/v1/organisations",
        {"place": TRAFFORD, "legal_form": "CIO", "page": 2, "page_size": 10},
    ).json()

    assert_matches(openapi, "/api/v1/organisations", "200", body)
    pagination = body["pagination"]
    assert (pagination["page"], pagination["page_size"]) == (2, 10)
    assert pagination["pages"] == -(-pagination["total"] // 10)
    assert len(body["results"]) == 10
    assert all(r["legal_form"] == "CIO" for r in body["results"])
    cio = next(o for o in body["facets"]["legal_form"] if o["value"] == "CIO")
    assert cio == {"value": "CIO", "label": "CIO", "count": pagination["total"], "selected": True}
    assert len(body["facets"]["legal_form"]) > 1  # the facet ignores its own filter
    assert body["facets"]["sector"] == [
        {"value": "charity", "label": "Charity", "count": pagination["total"], "selected": False}
    ]


def test_repeated_parameters_select_several_values(client: Client) -> None:
    one = client.get("/api/v1/organisations", {"legal_form": "CIO"}).json()
    two = client.get("/api/v1/organisations", {"legal_form": ["CIO", "Trust"]}).json()

    assert two["pagination"]["total"] == one["pagination"]["total"] + 72


def test_invalid_search_parameters_are_explained(client: Client, openapi) -> None:
    unknown = client.get("/api/v1/organisations", {"postcode": "ZZ99 9ZZ"})
    not_a_number = client.get("/api/v1/organisations", {"postcode": "M41 9EH", "distance": "x"})
    bad_sector = client.get("/api/v1/organisations", {"sector": "charities"})

    assert unknown.status_code == 422
    assert_matches(openapi, "/api/v1/organisations", "422", unknown.json())
    assert unknown.json()["field"] == "postcode"
    assert "ZZ99 9ZZ" in unknown.json()["detail"]
    assert not_a_number.status_code == 422
    assert bad_sector.status_code == 422


@pytest.mark.parametrize("identifier", [AGE_UK, AGE_UK_COMPANY, AGE_UK.lower()])
def test_an_organisation_is_found_by_any_of_its_identifiers(
    client: Client, openapi, identifier: str
) -> None:
    response = client.get(f"/api/v1/organisations/{identifier}")
    body = response.json()

    assert response.status_code == 200
    assert_matches(openapi, "/api/v1/organisations/{org_id}", "200", body)
    assert body["org_id"] == AGE_UK
    assert {i["value"] for i in body["identifiers"]} == {AGE_UK, AGE_UK_COMPANY}


def test_an_organisation_comes_with_its_evidence_and_source_records(client: Client) -> None:
    body = client.get(f"/api/v1/organisations/{AGE_UK}").json()

    assert body["sector"] == "charity"
    assert body["sector_evidence"][0]["field"] == "registered_charity_number"
    assert body["sector_evidence"][0]["value"] == "1109047"
    record = body["source_records"][0]
    assert (record["dataset"], record["row_number"]) == ("trafford_charities", 406)
    assert record["raw"]["charity_name"] == "AGE UK TRAFFORD"
    assert record["import_run"] is not None


def test_an_unknown_organisation_is_a_json_404(client: Client, openapi) -> None:
    response = client.get("/api/v1/organisations/GB-CHC-999999999")

    assert response.status_code == 404
    assert_matches(openapi, "/api/v1/organisations/{org_id}", "404", response.json())
    assert "GB-CHC-999999999" in response.json()["detail"]


def test_the_api_documentation_page_works(client: Client) -> None:
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    page = response.content.decode()
    assert "/api/v1/openapi.json" in page
    assert "cdn" not in page.lower()  # served from our own static files (the CSP allows no CDN)
    assert '<html lang="en">' in page  # screen readers pronounce it as English (WCAG 3.1.1)
    assert 'id="swagger-settings"' in page and "swagger-ui-bundle.js" in page
