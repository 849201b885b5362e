"""GET /api/v1/money-flows and /api/v1/money-flows/{id}: the ledger with its source records."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client

from commonground.money.models import MoneyFlow
from tests.money.factories import GRANTS_PENCE

pytestmark = pytest.mark.django_db


def test_filters_select_flows_and_the_total_covers_every_page(grants_demo, client: Client) -> None:
    body = client.get(
        "/api/v1/money-flows", {"place": "E08000009", "channel": "grant", "page_size": 10}
    ).json()
    assert body["total_pence"] == GRANTS_PENCE
    assert body["pagination"] == {"page": 1, "page_size": 10, "pages": 56, "total": 555}
    assert len(body["results"]) == 10
    first = body["results"][0]
    assert first["channel"] == "grant"
    assert first["json_path"].startswith("/grants/")


def test_one_flow_has_its_record_as_published(grants_demo, client: Client) -> None:
    flow = MoneyFlow.objects.get(record_key="360G-traffordmbc-VSG1342")
    body = client.get(f"/api/v1/money-flows/{flow.pk}").json()
    assert body["amount_pence"] == 226_600
    assert body["raw"]["recipientOrganization"][0]["name"] == "Altrincham Children's Choir"
    assert body["payer_name"] == "Trafford Metropolitan Borough Council"
    page = client.get(f"/money/flows/{flow.pk}/")
    assert page.status_code == 200
    assert "Altrincham Children&#x27;s Choir" in page.content.decode()


def test_contract_flows_carry_the_vcse_flag(grants_demo, client: Client) -> None:
    body = client.get("/api/v1/money-flows", {"channel": "contract"}).json()
    age_uk = next(r for r in body["results"] if r["recipient_name"] == "Age UK Trafford")
    detail = client.get(age_uk["url"]).json()
    assert detail["attributes"]["vcse"] is True


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"channel": "donation"}, "channel"),
        ({"year": "twenty"}, "year"),
        ({"from": "2024-13-01"}, "from"),
        ({"sector": "pirates"}, "sector"),
        ({"place": "Trafford"}, "place"),
        ({"sort": "cheapest"}, "sort"),
    ],
)
def test_bad_filters_are_422_naming_the_parameter(
    grants_demo, client: Client, params, field
) -> None:
    response = client.get("/api/v1/money-flows", params)
    assert response.status_code == 422
    assert response.json()["field"] == field


def test_an_unknown_flow_is_404(grants_demo, client: Client) -> None:
    assert client.get("/api/v1/money-flows/999999999").status_code == 404
    assert client.get("/money/flows/999999999/").status_code == 404


def test_the_flows_page_and_downloads_agree(grants_demo, client: Client) -> None:
    page = client.get("/money/flows/", {"place": "E08000009", "channel": "grant"})
    assert page.status_code == 200
    assert "555 flows, £1,291,436.54 in all" in page.content.decode()
    text = b"".join(
        client.get("/money/flows.csv", {"place": "E08000009", "channel": "grant"}).streaming_content
    ).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 555
    assert sum(int(row["amount_pence"]) for row in rows) == GRANTS_PENCE

    data = json.loads(
        b"".join(
            client.get(
                "/money/flows.json", {"place": "E08000009", "channel": "grant"}
            ).streaming_content
        )
    )
    assert sum(item["amount_pence"] for item in data) == GRANTS_PENCE
    bad = client.get("/money/flows/", {"year": "x"})
    assert bad.status_code == 400
    assert "Year must be" in bad.content.decode()


def test_the_api_searches_names_and_sorts_by_amount_like_the_page(
    grants_demo, client: Client
) -> None:
    body = client.get(
        "/api/v1/money-flows",
        {"place": "E08000009", "q": "age uk trafford", "sort": "largest", "page_size": 1000},
    ).json()
    assert body["results"], "Age UK Trafford is among Trafford's grant and contract recipients"
    names = {r["recipient_name"].lower() for r in body["results"]}
    assert all("age uk trafford" in name for name in names)
    amounts = [r["amount_pence"] for r in body["results"]]
    assert amounts == sorted(amounts, reverse=True)
    assert body["total_pence"] == sum(amounts)
    page = client.get(
        "/money/flows/", {"place": "E08000009", "q": "age uk trafford", "sort": "largest"}
    )
    assert f"{body['pagination']['total']} flow" in page.content.decode()


def test_the_openapi_document_describes_the_search_sort_and_no_place(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/money-flows"]["get"]
    described = {p["name"]: p.get("description", "") for p in operation["parameters"]}
    assert "payer" in described["q"] and "recipient" in described["q"]
    assert "largest" in described["sort"] and "newest" in described["sort"]
    assert "'none'" in described["place"]
    assert operation["responses"]["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ApiError"
    }
