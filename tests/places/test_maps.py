"""The SVG maps drawn from the places' boundaries: every place is one titled shape, one can be
highlighted, and a caller can give any place its own classes and title without touching the
markup."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from commonground.places.maps import AreaStyle, svg_map
from commonground.places.models import Place
from commonground.places.selectors import place_by_gss, wards_of

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def _paths(markup: str) -> list[tuple[str, str, str]]:
    """(class, d, title) of each shape, read by an XML parser rather than by pattern."""
    root = ET.fromstring(markup)
    return [
        (path.attrib["class"], path.attrib["d"], path.findtext(f"{SVG}title") or "")
        for path in root.iter(f"{SVG}path")
    ]


@pytest.fixture
def wards(trafford_wards: None) -> list[Place]:
    trafford = place_by_gss("E08000009")
    assert trafford is not None
    found = wards_of(trafford)
    assert len(found) == 21
    return found


def test_each_place_is_one_shape_titled_with_its_name(wards: list[Place]) -> None:
    paths = _paths(str(svg_map(wards, label="Map of Trafford")))

    assert [title for _, _, title in paths] == [w.name for w in wards]
    assert {css for css, _, _ in paths} == {"cg-map__area"}


def test_the_highlighted_place_alone_carries_the_highlight_class(wards: list[Place]) -> None:
    paths = _paths(str(svg_map(wards, highlight=wards[4])))

    highlighted = [title for css, _, title in paths if "cg-map__area--highlight" in css.split()]
    assert highlighted == [wards[4].name]


def test_without_styles_the_map_is_exactly_as_before(wards: list[Place]) -> None:
    # Pages that do not style areas (place, ward and organisation pages) get the same markup.
    plain = svg_map(wards, highlight=wards[2], point=(53.43, -2.33), label="Map")

    assert svg_map(wards, highlight=wards[2], point=(53.43, -2.33), label="Map", areas={}) == plain
    assert (
        svg_map(
            wards, highlight=wards[2], point=(53.43, -2.33), label="Map", areas={-1: AreaStyle("x")}
        )
        == plain
    )


def test_styled_places_get_their_classes_and_titles_on_their_own_shape(
    wards: list[Place],
) -> None:
    names_by_shape = {d: title for _, d, title in _paths(str(svg_map(wards)))}
    styles = {
        ward.pk: AreaStyle(css_class=f"band-{i % 3}", title=f"{ward.name} & co: {i}")
        for i, ward in enumerate(wards)
        if i % 2 == 0
    }

    styled = _paths(str(svg_map(wards, areas=styles)))

    by_name = {ward.name: (i, ward) for i, ward in enumerate(wards)}
    for css, d, title in styled:
        i, ward = by_name[names_by_shape[d]]
        if ward.pk in styles:
            assert css.split() == ["cg-map__area", f"band-{i % 3}"]
            assert title == f"{ward.name} & co: {i}"
        else:
            assert css == "cg-map__area"
            assert title == ward.name


def test_a_style_without_a_title_keeps_the_place_name(wards: list[Place]) -> None:
    paths = _paths(str(svg_map(wards[:1], areas={wards[0].pk: AreaStyle(css_class="shaded")})))

    assert paths == [("cg-map__area shaded", paths[0][1], wards[0].name)]


def test_titles_and_classes_are_escaped(wards: list[Place]) -> None:
    markup = str(
        svg_map(
            wards[:1],
            areas={wards[0].pk: AreaStyle(css_class='a" onclick="x', title="<script>1</script>")},
        )
    )

    assert "<script>" not in markup and 'onclick="x"' not in markup
    assert _paths(markup)[0][2] == "<script>1</script>"
