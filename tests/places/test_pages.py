"""The Places pages: local authorities searchable by name with their codes, and each district's
and ward's page with its map, deprivation figures and a link to the partners there."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from commonground.imports.engine import run_import
from commonground.places.importers.gb_lae import GbLaeCodesImporter

pytestmark = pytest.mark.django_db


@pytest.fixture
def codes(places_dir: Path) -> None:
    run_import(
        GbLaeCodesImporter(gss_mapping=places_dir / "gb_lae_to_gss.csv"),
        places_dir / "local_authority_eng_gb_lae.csv",
    )


def test_the_list_shows_districts_with_gss_and_gb_lae_codes(
    client: Client, districts: None, codes: None
) -> None:
    page = client.get("/places/", {"q": "traff"}).content.decode()

    assert "Trafford" in page and "E08000009" in page and "GB-LAE-TRF" in page
    assert "1 local authority matching" in page
    assert "Hartlepool" not in page


def test_the_list_is_paged_and_every_district_is_reachable(client: Client, districts: None) -> None:
    first = client.get("/places/").content.decode()
    last = client.get("/places/", {"page": 6}).content.decode()

    assert "296 local authorities" in first
    assert 'href="/places/E07000223/"' in first  # Adur, first in the alphabet
    assert "York" in last


def test_a_district_page_shows_its_wards_map_deprivation_and_partner_link(
    client: Client, trafford_wards: None
) -> None:
    response = client.get("/places/E08000009/")
    page = response.content.decode()

    assert response.status_code == 200
    assert "<svg" in page and 'class="cg-map' in page
    assert page.count('href="/places/E0501') == 21
    assert (
        "Index of Multiple Deprivation" in page
        and "Income Deprivation Affecting Older People" in page
    )
    assert "/organisations/?place=E08000009" in page


def test_a_ward_page_highlights_the_ward_and_links_to_its_district(
    client: Client, trafford_wards: None
) -> None:
    page = client.get("/places/E05015253/").content.decode()

    assert "Old Trafford" in page
    assert "cg-map__area--highlight" in page
    assert 'href="/places/E08000009/"' in page
    assert "/organisations/?place=E05015253" in page


def test_a_ward_page_links_to_the_wards_money_profile(client: Client, trafford_wards: None) -> None:
    page = client.get("/places/E05015253/").content.decode()
    link = page.split('id="ward-money"')[1].split("</p>")[0]
    assert 'href="/places/E05015253/profile/"' in link
    assert "Old Trafford ward" in link and "names no ward" in link
    profile = client.get("/places/E05015253/profile/")
    assert profile.status_code == 200


def test_an_unknown_code_is_not_found(client: Client, districts: None) -> None:
    assert client.get("/places/E99999999/").status_code == 404
