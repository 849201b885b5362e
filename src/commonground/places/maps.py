"""Maps drawn as inline SVG from the places' GeoJSON boundaries: no tile server, no JavaScript.

Coordinates are WGS84 longitude/latitude, projected equirectangularly with the longitude scaled
by cos(mean latitude) — accurate enough at ward and district scale.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .models import Place

Ring = Sequence[Sequence[float]]
WIDTH = 480


@dataclass(frozen=True)
class AreaStyle:
    """How one place is drawn: extra CSS classes for its shape (e.g. a shading band) and the
    text of its title, which browsers show on hover and which names the shape (the place's name
    when blank)."""

    css_class: str = ""
    title: str = ""


def _polygons(geometry: dict[str, Any] | None) -> list[list[Ring]]:
    if not geometry:
        return []
    if geometry.get("type") == "Feature":
        return _polygons(geometry.get("geometry"))
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def _points(polygons: Iterable[list[Ring]]) -> Iterable[Sequence[float]]:
    for polygon in polygons:
        for ring in polygon:
            yield from ring


def _middle(polygon: list[Ring], project: Any) -> tuple[str, str]:
    """Where to write a place's label: the middle of its outer ring's bounding box."""
    ring = polygon[0]
    lon = (min(p[0] for p in ring) + max(p[0] for p in ring)) / 2
    lat = (min(p[1] for p in ring) + max(p[1] for p in ring)) / 2
    x, y = project(lon, lat).split(",")
    return x, y


def _label_texts(
    shapes: list[tuple[Place, list[list[Ring]]]], labels: Mapping[int, str], project: Any
) -> list[SafeString]:
    texts: list[SafeString] = []
    for place, polygons in shapes:
        text = labels.get(place.pk)
        if text:
            x, y = _middle(max(polygons, key=lambda p: len(p[0])), project)
            texts.append(
                format_html(
                    '<text class="cg-map__label" x="{}" y="{}" text-anchor="middle" '
                    'dominant-baseline="central">{}</text>',
                    x,
                    y,
                    text,
                )
            )
    return texts


def svg_map(
    places: Sequence[Place],
    highlight: Place | None = None,
    point: tuple[float, float] | None = None,
    label: str = "",
    areas: Mapping[int, AreaStyle] | None = None,
    labels: Mapping[int, str] | None = None,
) -> SafeString:
    """An SVG map of the places' boundaries, one highlighted, and an optional (lat, lon) point.

    ``areas`` styles places by primary key: each one's classes are added to its shape and its
    title replaces the place's name. A map that shades places this way must sit beside a table
    of the same figures, since colour alone carries no meaning to everyone. ``labels`` writes a
    short text (a number the table gives too) in the middle of each place's largest shape."""
    shapes = [(place, _polygons(place.boundary)) for place in places]
    shapes = [(place, polys) for place, polys in shapes if polys]
    if not shapes:
        return mark_safe("")
    all_points = list(_points(p for _, polys in shapes for p in polys))
    lons = [p[0] for p in all_points]
    lats = [p[1] for p in all_points]
    # The bounds once, not once a point: the wards of one authority have ~10,000 points.
    min_lon, max_lat = min(lons), max(lats)
    min_lat, max_lon = min(lats), max(lons)
    scale_x = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = (max_lon - min_lon) * scale_x or 1e-6
    span_y = (max_lat - min_lat) or 1e-6
    height = max(1, round(WIDTH * span_y / span_x))

    def project(lon: float, lat: float) -> str:
        x = (lon - min_lon) * scale_x / span_x * WIDTH
        y = (max_lat - lat) / span_y * height
        return f"{x:.1f},{y:.1f}"

    paths = []
    for place, polygons in shapes:
        d = " ".join(
            "M" + " L".join(project(p[0], p[1]) for p in ring) + " Z"
            for polygon in polygons
            for ring in polygon
        )
        css = "cg-map__area"
        if highlight is not None and place.pk == highlight.pk:
            css += " cg-map__area--highlight"
        style = areas.get(place.pk) if areas else None
        if style is not None and style.css_class.strip():
            css += " " + " ".join(style.css_class.split())
        area_title = style.title if style is not None and style.title else place.name
        paths.append(
            format_html(
                '<path class="{}" d="{}" fill-rule="evenodd"><title>{}</title></path>',
                css,
                d,
                area_title,
            )
        )
    if labels:
        paths.extend(_label_texts(shapes, labels, project))
    marker = ""
    if point is not None:
        x, y = project(point[1], point[0]).split(",")
        marker = format_html('<circle class="cg-map__point" cx="{}" cy="{}" r="6"></circle>', x, y)
    title = label or (f"Map of {highlight.name}" if highlight else "Map")
    return mark_safe(  # noqa: S308 - every part is escaped above
        f'<svg class="cg-map" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(paths)}{marker}</svg>"
    )
