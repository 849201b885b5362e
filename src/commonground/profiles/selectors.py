"""Reads for pages, the API and the needs context (which matches needs to organisations).

`match_facts(ids)` is the one read matching needs: for each organisation, what its profile and
services say (services text, places served, routes open to, capacity, sector), in a few queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from commonground.accounts import permissions
from commonground.organisations.models import Organisation

from .models import PartnershipProfile, Service, ServiceStatus
from .querysets import STALE_AFTER
from .routes import willing_routes

__all__ = [
    "STALE_AFTER",
    "MatchFacts",
    "can_see_contact",
    "is_stale",
    "match_facts",
    "profile_of",
    "profile_service_count",
    "services_of",
    "stale_profiles",
]


def public_services_page(start: int, size: int) -> tuple[int, list[Service]]:
    """How many services the public feed holds, and `size` of them from `start`, by name."""
    found = Service.objects.public().order_by("name", "id")
    return found.count(), list(found[start : start + size])


def profile_of(organisation: Organisation | int) -> PartnershipProfile | None:
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return PartnershipProfile.objects.filter(organisation_id=org_id).first()


def services_of(organisation: Organisation | int) -> list[Service]:
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return list(Service.objects.filter(organisation_id=org_id).prefetch_related("places"))


def profile_service_count(organisation: Organisation | int) -> int:
    """How many services are written on the profile (limits.MAX_SERVICES counts these; an
    imported feed's are not)."""
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return Service.objects.filter(organisation_id=org_id, source="profile").count()


def is_stale(profile: PartnershipProfile, now: dt.datetime | None = None) -> bool:
    return profile.confirmed_at < (now or timezone.now()) - STALE_AFTER


def stale_profiles(now: dt.datetime | None = None) -> Any:
    return PartnershipProfile.objects.stale(now).select_related("organisation")


def can_see_contact(user: Any) -> bool:
    """The partnership contact is for signed-in commissioners and funders only."""
    return permissions.can_see_profile_contact(user)


@dataclass
class MatchFacts:
    """What an organisation's profile and services say, for matching it to a need."""

    organisation_id: int
    sector: str
    has_profile: bool = False
    open_to_partnership: str = ""  # "yes" | "conditions" | "no" | "" (no profile)
    stale: bool = False
    routes: set[str] = field(default_factory=set)  # willing-route codes (routes.py)
    catalogue_routes: set[str] = field(default_factory=set)  # commissioning route codes
    people_served_a_year: int | None = None
    staff: int | None = None
    volunteers: int | None = None
    income_band: str = ""
    services_text: str = ""  # names, descriptions, who for and eligibility, active services
    service_names: list[str] = field(default_factory=list)
    place_ids: set[int] = field(default_factory=set)  # places served by active services
    place_codes: set[str] = field(default_factory=set)  # their GSS codes


def match_facts(organisation_ids: Iterable[int]) -> dict[int, MatchFacts]:
    """MatchFacts for each of `organisation_ids` that exists (three queries, any number)."""
    ids = list(organisation_ids)
    facts = {
        pk: MatchFacts(pk, sector)
        for pk, sector in Organisation.objects.filter(pk__in=ids).values_list("pk", "sector")
    }
    now = timezone.now()
    catalogue = willing_routes()
    for p in PartnershipProfile.objects.for_organisations(facts):
        f = facts[p.organisation_id]
        f.has_profile, f.open_to_partnership, f.stale = (
            True,
            p.open_to_partnership,
            is_stale(p, now),
        )
        f.routes = set(p.routes)
        f.catalogue_routes = catalogue.catalogue_codes(p.routes)
        f.people_served_a_year, f.staff, f.volunteers = (
            p.people_served_a_year,
            p.staff,
            p.volunteers,
        )
        f.income_band = p.income_band
    texts: dict[int, list[str]] = {}
    # By organisation (its index), status checked here: filtering on status in SQL lets a
    # planner without statistics read every active service in the country.
    served = Service.places.through.objects.filter(
        service__organisation_id__in=list(facts)
    ).values_list("service_id", "place_id", "place__gss_code")
    places_of: dict[Any, list[tuple[int, str]]] = {}
    for service_id, place_id, code in served:  # ids and codes only: a place row is heavy
        places_of.setdefault(service_id, []).append((place_id, code))
    for s in Service.objects.of_organisations(facts):
        if s.status != ServiceStatus.ACTIVE:
            continue
        f = facts[s.organisation_id]  # type: ignore[index]
        f.service_names.append(s.name)
        texts.setdefault(f.organisation_id, []).extend(
            t for t in (s.name, s.description, s.who_for, s.eligibility) if t
        )
        for place_id, code in places_of.get(s.pk, []):
            f.place_ids.add(place_id)
            f.place_codes.add(code)
    for pk, parts in texts.items():
        facts[pk].services_text = "\n".join(parts)
    return facts
