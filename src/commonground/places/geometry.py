"""Checks and centroids for GeoJSON boundaries (WGS84 longitude/latitude).

Areas here are wards and districts, small enough that a planar centroid on longitude/latitude
is within metres of a geodesic one; no GIS library is needed.
"""

from __future__ import annotations

import itertools
import math
from typing import Any


class InvalidGeometry(ValueError):
    pass


def polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    """The polygons of a Polygon or MultiPolygon, after checking every coordinate."""
    if not isinstance(geometry, dict):
        raise InvalidGeometry("the feature has no geometry")
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    found: list[Any] | None
    if kind == "Polygon":
        found = [coordinates] if isinstance(coordinates, list) else None
    elif kind == "MultiPolygon":
        found = coordinates if isinstance(coordinates, list) else None
    else:
        raise InvalidGeometry(f"a boundary must be a Polygon or MultiPolygon, not {kind!r}")
    if not found:
        raise InvalidGeometry(f"the {kind} has no coordinates")
    for polygon in found:
        if not isinstance(polygon, list) or not polygon:
            raise InvalidGeometry(f"the {kind} has an empty polygon")
        for ring in polygon:
            _check_ring(ring, kind)
    return found


def _check_ring(ring: Any, kind: str) -> None:
    if not isinstance(ring, list) or len(ring) < 4:
        raise InvalidGeometry(f"a ring of the {kind} has fewer than 4 positions")
    for position in ring:
        if (
            not isinstance(position, list)
            or len(position) < 2
            or not all(isinstance(v, int | float) and math.isfinite(v) for v in position[:2])
        ):
            raise InvalidGeometry(f"the {kind} has a position that is not [longitude, latitude]")
        lon, lat = position[0], position[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise InvalidGeometry(
                f"the position [{lon}, {lat}] is not a WGS84 longitude and latitude"
            )


def _ring_moments(ring: list[list[float]]) -> tuple[float, float, float]:
    """Signed area and first moments of one ring (shoelace formula)."""
    area = cx = cy = 0.0
    for (x0, y0, *_), (x1, y1, *_) in itertools.pairwise(ring):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return area / 2, cx / 6, cy / 6


def centroid(geometry: dict[str, Any]) -> tuple[float, float]:
    """(latitude, longitude) of the area's centre of mass; holes are subtracted."""
    total = mx = my = 0.0
    for polygon in polygons(geometry):
        for index, ring in enumerate(polygon):
            area, cx, cy = _ring_moments(ring)
            # Outer rings add, holes subtract, whichever way round each was drawn.
            sign = 1 if index == 0 else -1
            if area < 0:
                area, cx, cy = -area, -cx, -cy
            total += sign * area
            mx += sign * cx
            my += sign * cy
    if total <= 0:
        raise InvalidGeometry("the boundary encloses no area")
    return my / total, mx / total
