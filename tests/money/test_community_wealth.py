"""The community wealth view: the largest recipients with their attribution, the local share,
the social economy's range and the year before, and the same as CSV and XLSX."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from commonground.money.community_wealth import top_suppliers
from commonground.money.selectors import place_profile
from commonground.places.selectors import place_by_gss
from tests.money.factories import MoneyFlowFactory
from tests.places.factories import PlaceFactory

pytestmark = pytest.mark.django_db
PAGE = "/places/E08000009/community-wealth/"


def test_the_largest_recipients_are_shown_with_their_attribution(
    grants_demo, client: Client
) -> None:
    trafford = place_by_gss("E08000009")
    assert trafford is not None
    profile = place_profile(trafford, financial_year=2019)
    suppliers = top_suppliers(profile)
    assert suppliers
    assert [s.pence for s in suppliers] == sorted((s.pence for s in suppliers), reverse=True)
    assert {s.level for s in suppliers} <= {"register", "inferred", "unknown"}
    assert all(s.based_here in {"Yes", "Elsewhere", "Not known"} for s in suppliers)
    for s in suppliers[:3]:
        flows = client.get(f"/api/v1/money-flows?{s.flows_query}").json()
        assert flows["total_pence"] == s.pence
    html = client.get(PAGE, {"financial_year": "2019-20"}).content.decode()
    assert "Community wealth" in html and "CLES" in html
    assert suppliers[0].name.replace("&", "&amp;").replace("'", "&#x27;") in html
    assert "at least" in html and "up to" in html


def test_the_view_downloads_as_csv_and_xlsx_with_the_same_rows(grants_demo, client: Client) -> None:
    query = {"financial_year": "2019-20"}
    text = client.get("/places/E08000009/community-wealth.csv", query).content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["section", "label", "pence"]
    sections = {row[0] for row in rows[1:]}
    assert {"total", "locality", "attribution", "social_economy", "top_supplier"} <= sections
    response = client.get("/places/E08000009/community-wealth.xlsx", query)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert sheet.max_row == len(rows)


def test_a_bad_year_is_explained(grants_demo, client: Client) -> None:
    response = client.get(PAGE, {"financial_year": "2019"})
    assert response.status_code == 400
    assert "like 2024-25" in response.content.decode()


@pytest.mark.parametrize("odd", ["\x01", "\x1a"])
def test_a_supplier_name_with_a_control_character_still_downloads_as_xlsx(
    db: None, client: Client, odd: str
) -> None:
    place = PlaceFactory()
    MoneyFlowFactory(place=place, channel="spend", recipient_name=f"Good{odd} Food CIC")

    response = client.get(f"/places/{place.gss_code}/community-wealth.xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    labels = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert "Good Food CIC" in labels
