"""The home page tells a first-time visitor what Common Ground is for and where to start."""

from __future__ import annotations

import pytest
from django.test import Client

from commonground.organisations.models import Organisation, Sector
from commonground.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db


def test_a_first_time_visitor_learns_what_it_is_for_and_where_to_start(client: Client) -> None:
    response = client.get("/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "commission public services through partnership" in body
    assert 'href="/organisations/"' in body  # no demo place loaded: plain partner search


def test_the_home_page_counts_the_demo_places_organisations_by_sector(client: Client) -> None:
    trafford = Place.objects.create(
        gss_code="E08000009", name="Trafford", kind=PlaceKind.LOCAL_AUTHORITY
    )
    for number, sector in enumerate([Sector.CHARITY, Sector.CHARITY, Sector.COOPERATIVE_MUTUAL]):
        Organisation.objects.create(
            org_id=f"GB-CHC-{number}", name=f"Org {number}", sector=sector, local_authority=trafford
        )
    Organisation.objects.create(org_id="GB-CHC-99", name="Elsewhere", sector=Sector.CHARITY)

    body = client.get("/").content.decode()

    assert "Organisations in Trafford, by sector" in body
    assert 'href="/organisations/?place=E08000009"' in body
    charity_row = body.split("Charity</dt>")[1].split("</dd>")[0]
    assert charity_row.strip().endswith(">2")
    assert "Co-operative or mutual" in body


def test_the_favicon_is_found_where_browsers_look_for_it(client: Client) -> None:
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"].endswith("vendor/images/favicon.ico")
