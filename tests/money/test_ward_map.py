"""The place profile's map of grants by ward: each ward's shape carries its band of grant money
and a title with its figures, and the table beside the map gives the same figures."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.utils.html import escape

from commonground.money.maps import grants_ward_map, ward_area
from commonground.money.selectors import PlaceProfile, WardFigure, place_profile, profile_years
from commonground.places.maps import svg_map
from commonground.places.selectors import place_by_gss

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def profile(grants_demo: None) -> PlaceProfile:
    trafford = place_by_gss("E08000009")
    assert trafford is not None
    return place_profile(trafford)


def _svg(html: str) -> ET.Element:
    start = html.index('<svg class="cg-map"')
    return ET.fromstring(html[start : html.index("</svg>", start) + len("</svg>")])


def _shapes(root: ET.Element) -> dict[str, tuple[list[str], str]]:
    """Shape outline -> (classes, title)."""
    return {
        path.attrib["d"]: (path.attrib["class"].split(), path.findtext(f"{SVG}title") or "")
        for path in root.iter(f"{SVG}path")
    }


def test_each_ward_shape_carries_its_band_and_figures(profile: PlaceProfile) -> None:
    figures = profile.grants_by_ward
    wards = [f.ward for f in figures]
    # The unstyled map names each outline: the shaded map must put each ward's figures on it.
    outline_of = {title: d for d, (_, title) in _shapes(ET.fromstring(str(svg_map(wards)))).items()}

    shaded = _shapes(ET.fromstring(str(grants_ward_map(figures, "Map of grants"))))

    assert len(shaded) == len(figures) == 21
    assert any(f.band for f in figures) and any(not f.band for f in figures)
    for figure in figures:
        classes, title = shaded[outline_of[figure.ward.name]]
        assert classes == ["cg-map__area", f"cg-money-band-{figure.band}"]
        assert title.startswith(f"{figure.ward.name}: £{figure.pence / 100:,.2f} in {figure.count}")


def test_titles_say_grant_or_grants(profile: PlaceProfile) -> None:
    ward = profile.grants_by_ward[0].ward
    assert ward_area(WardFigure(ward, 12345, 1, "", 2)).title == f"{ward.name}: £123.45 in 1 grant"
    assert ward_area(WardFigure(ward, 0, 0, "", 0)).title == f"{ward.name}: £0.00 in 0 grants"


def test_no_wards_no_map() -> None:
    assert grants_ward_map([], "Map of grants") == ""


def test_the_profile_page_shows_the_shaded_map_beside_the_same_figures(
    profile: PlaceProfile, client: Client
) -> None:
    html = client.get("/places/E08000009/profile/").content.decode()
    # The page shows one financial year: by default the latest some channel covers in full.
    year = profile_years(profile.place)[1]
    shown = place_profile(profile.place, financial_year=year)

    shaded = _shapes(_svg(html))
    titles = {title for _, title in shaded.values()}
    for number, figure in enumerate(shown.grants_by_ward, start=1):
        assert ward_area(figure).title in titles
        assert f">{escape(figure.ward.name)}</a></th>" in html  # its row in the table
        assert f">{number}</text>" in html  # its number on the map, as in the table
    assert _svg(html).attrib["aria-label"] == "Map of grants by ward in Trafford"
    assert html.index('<svg class="cg-map"') < html.index("<caption", html.index("</svg>"))
