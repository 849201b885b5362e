"""GET /api/v1/places/{gss_code}/profile: the same figures as the page, each with its flows."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from django.test import Client

from tests.money.factories import GRANTS_PENCE

pytestmark = pytest.mark.django_db
PROFILE = "/api/v1/places/E08000009/profile"
ALL_YEARS = {"from": "1990-04-01"}  # dates across years, asked for


def _schema(client: Client, path: str, status: str) -> dict[str, Any]:
    openapi = client.get("/api/v1/openapi.json").json()
    schema = openapi["paths"][path]["get"]["responses"][status]["content"]["application/json"][
        "schema"
    ]
    return {**schema, "components": openapi["components"]}


def test_the_profile_matches_its_schema_and_the_published_grants(
    grants_demo, client: Client
) -> None:
    response = client.get(PROFILE, ALL_YEARS)
    assert response.status_code == 200
    body = response.json()
    jsonschema.validate(
        body,
        _schema(client, "/api/v1/places/{gss_code}/profile", "200"),
        cls=jsonschema.Draft202012Validator,
    )
    grants = next(f for f in body["by_channel"] if f["key"] == "grant")
    assert grants["pence"] == GRANTS_PENCE
    assert grants["flows"] == 555
    assert body["total"]["pence"] == sum(f["pence"] for f in body["by_channel"])
    assert body["total"]["pence"] == sum(f["pence"] for f in body["by_sector"])
    assert body["total"]["pence"] == sum(f["pence"] for f in body["by_locality"])
    assert "registers" in body["methodology"]


def test_every_figure_links_to_flows_in_the_api_that_add_up_to_it(
    grants_demo, client: Client
) -> None:
    body = client.get(PROFILE, ALL_YEARS).json()
    figures = [body["total"], body["not_linked_total"], *body["by_channel"], *body["by_sector"]]
    figures += body["by_locality"] + body["by_financial_year"] + body["inferred_by_rule"]
    figures += [body["grants_without_ward"], *body["attribution"].values()]
    for figure in figures:
        flows = client.get(figure["flows_url"]).json()
        assert flows["total_pence"] == figure["pence"], figure
        assert flows["pagination"]["total"] == figure["flows"], figure


def test_dates_limit_the_profile(grants_demo, client: Client) -> None:
    body = client.get(
        "/api/v1/places/E08000009/profile", {"from": "2024-01-01", "to": "2024-12-31"}
    ).json()
    assert body["date_from"] == "2024-01-01"
    assert {f["label"] for f in body["by_financial_year"]} <= {"2023-24", "2024-25"}
    assert body["total"]["flows"] < 555


def test_bad_dates_are_422_naming_the_parameter(grants_demo, client: Client) -> None:
    response = client.get("/api/v1/places/E08000009/profile", {"from": "yesterday"})
    assert response.status_code == 422
    reversed_dates = client.get(
        "/api/v1/places/E08000009/profile", {"from": "2025-01-01", "to": "2024-01-01"}
    )
    assert reversed_dates.status_code == 422
    assert reversed_dates.json()["field"] == "to"


def test_an_unknown_place_is_404(grants_demo, client: Client) -> None:
    assert client.get("/api/v1/places/E99999999/profile").status_code == 404


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_profile_is_open_data_for_anyone(
    grants_demo, client: Client, django_user_model, signed_in: bool
) -> None:
    if signed_in:
        client.force_login(django_user_model.objects.create_user("x@example.org", "x@example.org"))
    assert client.get("/api/v1/places/E08000009/profile").status_code == 200
    assert client.get("/places/E08000009/profile/").status_code == 200


def test_the_page_and_its_downloads(grants_demo, client: Client) -> None:
    page = client.get("/places/E08000009/profile/", ALL_YEARS)
    assert page.status_code == 200
    html = page.content.decode()
    assert "£1,291,436.54" in html
    assert "How these figures are made" in html
    assert 'class="cg-map"' in html
    csv_text = client.get("/places/E08000009/profile.csv", ALL_YEARS).content.decode()
    assert "channel,Grant,129143654,1291436.54,555," in csv_text
    data = client.get("/places/E08000009/profile.json", ALL_YEARS).json()
    assert data["total"]["pence"] == sum(f["pence"] for f in data["by_channel"])
    bad = client.get("/places/E08000009/profile/", {"from": "31/12/2024"})
    assert bad.status_code == 400
    assert "The start date must be a real date" in bad.content.decode()


def test_without_a_year_or_dates_the_profile_is_the_latest_year_with_data(
    grants_demo, client: Client
) -> None:
    # No channel of the grants-only demo covers all twelve months of a year: the latest year
    # with any flows is shown, and its coverage says how little of it the data covers.
    body = client.get(PROFILE).json()
    assert body["financial_year"] == "2024-25"
    assert {f["label"] for f in body["by_financial_year"]} == {"2024-25"}
    grants = [c for c in body["coverage"] if c["channel"] == "grant"]
    assert grants and all(c["months"] < 12 for c in grants)
    assert sum(c["pence"] for c in body["coverage"]) == body["total"]["pence"]


def test_a_financial_year_is_one_year_with_the_year_before_beside_it(
    grants_demo, client: Client
) -> None:
    body = client.get(PROFILE, {"financial_year": "2019-20"}).json()
    assert body["financial_year"] == "2019-20"
    assert {f["label"] for f in body["by_financial_year"]} == {"2019-20"}
    assert body["year_on_year"][0]["label"] == "All money"
    assert body["year_on_year"][0]["this_year"]["pence"] == body["total"]["pence"]
    last = client.get(PROFILE, {"financial_year": "2018-19"}).json()
    assert body["year_on_year"][0]["last_year"]["pence"] == last["total"]["pence"]


def test_attribution_levels_add_up_to_the_total_and_the_range_shows_the_unknown(
    grants_demo, client: Client
) -> None:
    body = client.get(PROFILE, ALL_YEARS).json()
    levels = body["attribution"]
    assert set(levels) == {"register", "inferred", "unknown"}
    assert sum(level["pence"] for level in levels.values()) == body["total"]["pence"]
    assert sum(f["pence"] for f in body["inferred_by_rule"]) == levels["inferred"]["pence"]
    share = body["social_economy_share"]
    assert 0 <= share["at_least"] <= share["up_to"] <= 1
    assert share["unknown"] == levels["unknown"]["share"]
    assert all(f["rule"] for f in body["inferred_by_rule"])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"financial_year": "2026"}, "financial_year"),
        ({"financial_year": "2026-28"}, "financial_year"),
        ({"financial_year": "2026-27", "from": "2026-04-01"}, "financial_year"),
    ],
)
def test_a_bad_financial_year_is_one_api_error_naming_the_field(
    grants_demo, client: Client, query: dict[str, str], field: str
) -> None:
    response = client.get(PROFILE, query)
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert "2024-25" in response.json()["detail"] or "not both" in response.json()["detail"]
