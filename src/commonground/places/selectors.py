"""Reads of geography."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from commonground.core.sql_lists import select_in

from .models import LocalAuthorityCode, Place, PlaceKind, Postcode
from .postcodes import normalise_postcode

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
    rows: list[tuple[str, str, str, float | None, float | None]] = select_in(
        "SELECT postcode, local_authority_code, ward_code, latitude, longitude "
        f"FROM {Postcode._meta.db_table} WHERE postcode {{IN}}",
        list(set(postcodes)),
    )
    places = current_place_ids([r[1] for r in rows] + [r[2] for r in rows])
    return {pc: (places.get(la), places.get(ward), lat, lon) for pc, la, ward, lat, lon in rows}


def local_authorities() -> list[Place]:
    return list(Place.objects.filter(kind=PlaceKind.LOCAL_AUTHORITY, end_date__isnull=True))


def wards_of(local_authority: Place) -> list[Place]:
    return list(local_authority.children.filter(kind=PlaceKind.WARD, end_date__isnull=True))


def place_by_gss(code: str) -> Place | None:
    """The current place (not ended; latest start) with this GSS code, or None."""
    code = (code or "").strip().upper()
    if not code or "\x00" in code:  # no code holds a NUL, and PostgreSQL cannot compare one
        return None
    return (
        Place.objects.filter(gss_code=code, end_date__isnull=True)
        .order_by("-start_date")
        .select_related("parent")
        .first()
    )


def postcode_location(postcode: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a postcode, in any common spelling; None if unknown or unplaced.

    Terminated postcodes keep their location: old addresses still use them.
    """
    normalised = normalise_postcode(postcode)
    if not normalised:
        return None
    found = (
        Postcode.objects.filter(postcode=normalised, latitude__isnull=False)
        .values_list("latitude", "longitude")
        .first()
    )
    if found is None:
        return None
    latitude, longitude = found
    if latitude is None or longitude is None:
        return None
    return (latitude, longitude)


@dataclass(frozen=True)
class LocalAuthorityRow:
    place: Place
    gb_lae_codes: tuple[str, ...]


def search_local_authorities(query: str = "") -> list[LocalAuthorityRow]:
    """Current local authority districts whose name contains the query, with their GB-LAE codes."""
    places = Place.objects.filter(kind=PlaceKind.LOCAL_AUTHORITY, end_date__isnull=True).only(
        "gss_code", "name", "kind", "start_date", "end_date"
    )
    query = " ".join(query.split())
    if query:
        places = places.filter(Q(name__icontains=query) | Q(gss_code__iexact=query))
    found = list(places.order_by("name"))
    codes: dict[str, list[str]] = {}
    for code, gss in (
        LocalAuthorityCode.objects.filter(
            gss_code__in=[p.gss_code for p in found], end_date__isnull=True
        )
        .order_by("code")
        .values_list("code", "gss_code")
    ):
        codes.setdefault(gss, []).append(code)
    return [LocalAuthorityRow(p, tuple(codes.get(p.gss_code, ()))) for p in found]


def gb_lae_codes_for(place: Place) -> list[LocalAuthorityCode]:
    return list(
        LocalAuthorityCode.objects.filter(gss_code=place.gss_code, end_date__isnull=True).order_by(
            "code"
        )
    )


# The Indices of Deprivation domains in their published order; the overall index first.
IOD_DOMAINS = (
    "Index of Multiple Deprivation",
    "Income Deprivation",
    "Employment Deprivation",
    "Education, Skills and Training Deprivation",
    "Health Deprivation and Disability",
    "Crime",
    "Barriers to Housing and Services",
    "Living Environment Deprivation",
    "Income Deprivation Affecting Children",
    "Income Deprivation Affecting Older People",
)


@dataclass(frozen=True)
class DeprivationFigure:
    domain: str
    rank_average_rank: int
    rank_average_score: int
    proportion_bottom_decile: float
    rank_proportion_bottom_decile: int
    average_rank: float
    average_score: float

    @property
    def percent_bottom_decile(self) -> float:
        return self.proportion_bottom_decile * 100


def deprivation_figures(place: Place) -> list[DeprivationFigure]:
    """The place's Indices of Deprivation 2025 figures, domain by domain, in published order."""
    domains = (place.attributes or {}).get("iod2025") or {}
    order = {name: index for index, name in enumerate(IOD_DOMAINS)}
    figures = []
    for domain in sorted(domains, key=lambda d: (order.get(d, len(order)), d)):
        values = domains[domain]
        figures.append(
            DeprivationFigure(
                domain=domain,
                rank_average_rank=values["rank_average_rank"],
                rank_average_score=values["rank_average_score"],
                proportion_bottom_decile=values["proportion_bottom_decile"],
                rank_proportion_bottom_decile=values["rank_proportion_bottom_decile"],
                average_rank=values["average_rank"],
                average_score=values["average_score"],
            )
        )
    return figures


def districts_ranked() -> int:
    """How many districts the deprivation ranks are out of (those with figures loaded)."""
    return Place.objects.filter(
        kind=PlaceKind.LOCAL_AUTHORITY, end_date__isnull=True, attributes__has_key="iod2025"
    ).count()


def postcode_count(place: Place) -> int:
    if place.kind == PlaceKind.WARD:
        return Postcode.objects.filter(ward_code=place.gss_code, terminated__isnull=True).count()
    return Postcode.objects.filter(
        local_authority_code=place.gss_code, terminated__isnull=True
    ).count()


def council_place(org_id: str) -> Place | None:
    """The place a council (GB-LAE-XXX) governs, from the GB-LAE to GSS mapping; else None."""
    if not org_id.upper().startswith("GB-LAE-"):
        return None
    code = LocalAuthorityCode.objects.filter(code=org_id[7:].upper()).first()
    if code is None or not code.gss_code:
        return None
    return place_by_gss(code.gss_code)
