"""Reads of geography."""

from __future__ import annotations

from collections.abc import Iterable

from .models import Place, PlaceKind, Postcode

PlaceRef = tuple[int | None, int | None, float | None, float | None]


def current_place_ids(gss_codes: Iterable[str]) -> dict[str, int]:
    """GSS code -> id of the place with that code that has not ended (latest start wins)."""
    codes = list(set(gss_codes))
    found: dict[str, int] = {}
    for gss, pk in (
        Place.objects.filter(gss_code__in=codes, end_date__isnull=True)
        .order_by("gss_code", "start_date")
        .values_list("gss_code", "pk")
    ):
        found[gss] = pk
    return found


def place_ids_for_postcodes(postcodes: Iterable[str]) -> dict[str, PlaceRef]:
    """Postcode -> (local authority id, ward id, latitude, longitude), for known postcodes."""
    rows: list[tuple[str, str, str, float | None, float | None]] = []
    values = list(set(postcodes))
    for start in range(0, len(values), 900):
        rows.extend(
            Postcode.objects.filter(postcode__in=values[start : start + 900]).values_list(
                "postcode", "local_authority_code", "ward_code", "latitude", "longitude"
            )
        )
    places = current_place_ids([r[1] for r in rows] + [r[2] for r in rows])
    return {pc: (places.get(la), places.get(ward), lat, lon) for pc, la, ward, lat, lon in rows}


def local_authorities() -> list[Place]:
    return list(Place.objects.filter(kind=PlaceKind.LOCAL_AUTHORITY, end_date__isnull=True))


def wards_of(local_authority: Place) -> list[Place]:
    return list(local_authority.children.filter(kind=PlaceKind.WARD, end_date__isnull=True))
