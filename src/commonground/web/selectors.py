"""Reads for the home page."""

from __future__ import annotations

from django.db.models import Count

from commonground.organisations.models import Organisation, Sector
from commonground.places.models import Place


def home_counts(place_code: str) -> tuple[Place | None, list[tuple[str, int]]]:
    """How many organisations of each sector the atlas holds in a place, largest first."""
    place = Place.objects.filter(gss_code=place_code, end_date__isnull=True).first()
    if place is None:
        return None, []
    rows = (
        Organisation.objects.filter(local_authority=place)
        .values("sector")
        .annotate(count=Count("id"))
        .order_by("-count")
    )
    labels = dict(Sector.choices)
    return place, [(str(labels.get(r["sector"], r["sector"])), r["count"]) for r in rows]
