"""A place's community wealth view: who the money goes to, how much stays local, how much
reaches the social economy, and how that changed from the year before.

The view follows the spend analysis the Centre for Local Economic Strategies (CLES) did for
Preston's community wealth building: the anchor institutions' spend was traced to suppliers,
and a supplier counted as local when it was based in Preston by its address. Preston's local
share rose from about 14% (2012-13) to about 28% (2016-17) (CLES and Preston City Council, "How
we built community wealth in Preston: achievements and lessons", 2019). Here a supplier is
local when the organisation it is linked to has its registered postcode in the place; where
that is not known the money is shown as not known, never counted as local or elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Sum

from . import attribution as attr
from .flows import SECTOR_LABELS, filtered_flows, place_version_ids
from .linking import LINKED_METHODS
from .models import LinkMethod
from .selectors import PlaceProfile

TOP_SUPPLIERS = 25


@dataclass
class Supplier:
    name: str
    pence: int
    count: int
    level: str  # register, inferred, unknown
    attribution: str  # the sector, or the inferred legal form, in words
    rule: str  # the rule in words, for an inferred form
    based_here: str  # "Yes", "Elsewhere" or "Not known"
    flows_query: str
    share: float | None = None


def top_suppliers(profile: PlaceProfile, limit: int = TOP_SUPPLIERS) -> list[Supplier]:
    """The largest recipients of the profile's money as each source names them (payments to
    individuals left out), with how each is attributed and whether it is based in the place."""
    filters = profile.filters
    local_ids = set(place_version_ids(filters.place))
    rows = (
        filtered_flows(filters)
        .exclude(recipient_link_method=LinkMethod.REDACTED)
        .values("recipient_key")
        .annotate(
            n=Count("*"),
            pence=Sum("amount_pence"),
            name=Max("recipient_name"),
            org=Max("recipient_organisation_id"),
            method=Max("recipient_link_method"),
            sector=Max("recipient_sector"),
            authority=Max("recipient_local_authority_id"),
            rule=Max("recipient_form_rule"),
        )
        .values_list(
            "recipient_key", "n", "pence", "name", "org", "method", "sector", "authority", "rule"
        )
        .order_by("-pence", "recipient_key")[:limit]
    )
    forms = attr.legal_forms()
    found = []
    for key, n, pence, name, org, method, sector, authority, code in rows:
        if org is not None and method in LINKED_METHODS:
            level, label, rule_text = attr.REGISTER, SECTOR_LABELS.get(sector) or sector, ""
            based = "Yes" if authority in local_ids else "Elsewhere"
        else:
            rule = attr.rule_by_code(code or "")
            level = attr.INFERRED if rule else attr.UNKNOWN
            label = forms[rule.form].label if rule else "Not known"
            rule_text = rule.shown if rule else ""
            based = "Not known"
        found.append(
            Supplier(
                name,
                pence,
                n,
                level,
                label,
                rule_text,
                based,
                filters.query(recipient_key=key),
                pence / profile.total.pence if profile.total.pence else None,
            )
        )
    return found


HEADER = ["section", "label", "pence", "pounds", "share", "attribution", "based_in_place", "flows"]


def _pounds(pence: int) -> str:
    return f"{pence / 100:.2f}"


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}"


def download_rows(
    profile: PlaceProfile, suppliers: list[Supplier], base: str
) -> Iterator[list[Any]]:
    """The view as rows: the headline figures, the year before, then the top suppliers."""
    yield [
        "total",
        "All money",
        profile.total.pence,
        _pounds(profile.total.pence),
        "1",
        "",
        "",
        f"{base}?{profile.total.flows_query}",
    ]
    for f in profile.by_locality:
        yield [
            "locality",
            f.label,
            f.pence,
            _pounds(f.pence),
            _share(f.share),
            "",
            f.key,
            f"{base}?{f.flows_query}",
        ]
    if profile.attribution is not None:
        a = profile.attribution
        for f in a.levels:
            yield [
                "attribution",
                f.label,
                f.pence,
                _pounds(f.pence),
                _share(f.share),
                f.key,
                "",
                f"{base}?{f.flows_query}",
            ]
        yield [
            "social_economy",
            "At least (register)",
            a.social_register.pence,
            _pounds(a.social_register.pence),
            _share(a.at_least),
            "register",
            "",
            f"{base}?{a.social_register.flows_query}",
        ]
        yield [
            "social_economy",
            "Up to (with inferred)",
            "",
            "",
            _share(a.up_to),
            "inferred",
            "",
            "",
        ]
    for row in profile.comparison:
        yield [
            "year_before",
            row.label,
            row.last.pence,
            _pounds(row.last.pence),
            _share(row.last.share),
            "",
            "",
            f"{base}?{row.last.flows_query}",
        ]
    for s in suppliers:
        yield [
            "top_supplier",
            s.name,
            s.pence,
            _pounds(s.pence),
            _share(s.share),
            f"{s.level}: {s.attribution}",
            s.based_here,
            f"{base}?{s.flows_query}",
        ]
