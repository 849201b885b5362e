"""GET /api/v1/sectors and /api/v1/sectors/{code}: the sector guide (reviewed data under
sectors/data/) with the chosen place's own figures, computed by the atlas's and the money
profile's selectors. Public: the guide and the figures are open data.

Registered in api/urls.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view

from commonground.core.page_cache import public_page
from commonground.organisations.selectors import FacetCube
from commonground.places.models import Place
from commonground.sectors import selectors
from commonground.sectors.catalogue import SectorEntry, catalogue

from .errors import ApiError, refused

router = Router(tags=["sectors"])


class LegalFormOut(Schema):
    code: str = Field(description="The guide's code for the legal form, e.g. cio.")
    name: str = Field(description="The legal form's name.")
    summary: str = Field(description="What it is, in plain English.")
    regulator: str = Field(description="Who regulates it.")
    register_name: str = Field(description="The register it is entered in.")
    register_url: str = Field(description="Where to search that register ('' if none).")
    recorded_as: list[str] = Field(
        description="The legal form as the registers we import record it (the organisation's "
        "legal_form field); empty when no register we import records it."
    )
    sources: list[str] = Field(description="Sources for these facts.")


class RouteUseOut(Schema):
    route: str = Field(description="Route code from /api/v1/routes.")
    role: str = Field(description="uses (the sector uses the route) or reached_by.")
    condition: str = Field(description="When and how, e.g. 's.33: public service mutuals only'.")
    sources: list[str] = Field(description="Sources for the condition.")


class FactOut(Schema):
    text: str = Field(description="The fact, in plain English.")
    sources: list[str] = Field(description="Sources for it.")
    unconfirmed: bool = Field(description="True if the sources reviewed do not settle it.")


class CountOut(Schema):
    code: str = Field(description="Income band code, as the atlas search's income facet.")
    label: str = Field(description="The band in words.")
    organisations: int = Field(description="Organisations of the sector in the band.")


class MoneyRowOut(Schema):
    financial_year: str = Field(description="Financial year, April to March, e.g. 2024-25.")
    channel: str = Field(description="grant, contract, spend or investment.")
    attribution: str = Field(
        description="How the recipient was linked to an organisation of this sector "
        "(identifier, probabilistic or review_accepted)."
    )
    count: int = Field(description="Number of flows.")
    pence: int = Field(description="Total in pence.")
    flows: str = Field(description="The flows list behind the figure.")


class MoneyOut(Schema):
    period: str = Field(description="The money profile's default period: all_years.")
    period_label: str = Field(description="The period in words.")
    pence: int = Field(description="Total received, in pence (the profile's sector figure).")
    count: int = Field(description="Number of flows.")
    share: float | None = Field(description="Share of all money into the place, 0..1.")
    by_year_channel_attribution: list[MoneyRowOut] = Field(
        description="The total by financial year, channel and attribution."
    )


class LocalOut(Schema):
    place: str = Field(description="GSS code of the place.")
    place_name: str = Field(description="The place's name.")
    relation: str = Field(
        description="How an organisation belongs to the place: works_in (based there or a "
        "register says it operates there), the atlas search's default."
    )
    relation_label: str = Field(description="The relation in words.")
    organisations: int = Field(description="Organisations of the sector in the place.")
    income_bands: list[CountOut] = Field(description="Those organisations by latest income.")
    money_received: MoneyOut = Field(description="Money into the place this sector received.")


class SectorOut(Schema):
    code: str = Field(description="Sector code, as organisations' sector field.")
    name: str = Field(description="The sector's name.")
    reviewed: str = Field(description="Date the entry was last reviewed (YYYY-MM-DD).")
    purpose: FactOut = Field(description="What the sector is for.")
    legal_forms: list[LegalFormOut] = Field(description="Its legal forms.")
    regulators: list[str] = Field(description="The regulators of those forms.")
    asset_lock: FactOut = Field(description="Its asset lock.")
    profit_distribution: FactOut = Field(description="Its rules on distributing profit.")
    governance: list[FactOut] = Field(description="How it is governed.")
    funding: list[FactOut] = Field(description="How it is usually funded.")
    routes: list[RouteUseOut] = Field(description="Commissioning routes, with conditions.")
    misunderstandings: list[FactOut] = Field(description="What partners often misunderstand.")
    terms: list[FactOut] = Field(description="Terms it uses; text is 'term: meaning'.")
    sources: list[str] = Field(description="Every source the entry cites.")
    guide_version: str = Field(description="Version of the guide's files (date + hash).")
    local: LocalOut | None = Field(description="The place's figures; null if no place.")


class SectorsQuery(Schema):
    place: str = Field(
        selectors.DEMO_PLACE, description="GSS code of a place (default Trafford, E08000009)."
    )


def _fact(f: dict[str, Any]) -> dict[str, Any]:
    return {"text": f["text"], "sources": f["sources"], "unconfirmed": bool(f.get("unconfirmed"))}


def _local(
    entry: SectorEntry, place: Place, read: PlaceReads, request: HttpRequest
) -> dict[str, Any]:
    local = selectors.local_figures(entry, place, read.money, read.cube)
    total = local.money_total
    flows = request.build_absolute_uri("/money/flows/")
    return {
        "place": place.gss_code,
        "place_name": place.name,
        "relation": local.relation,
        "relation_label": local.relation_label,
        "organisations": local.organisations,
        "income_bands": [
            {"code": b.value, "label": b.label, "organisations": b.count}
            for b in local.income_bands
        ],
        "money_received": {
            "period": local.period,
            "period_label": local.period_label,
            "pence": total.pence if total else 0,
            "count": total.count if total else 0,
            "share": total.share if total else None,
            "by_year_channel_attribution": [
                {
                    "financial_year": r.year,
                    "channel": r.channel,
                    "attribution": r.attribution,
                    "count": r.count,
                    "pence": r.pence,
                    "flows": f"{flows}?{r.flows_query}",
                }
                for r in local.money_rows
            ],
        },
    }


@dataclass(frozen=True)
class PlaceReads:
    """What every sector's `local` figures are summed from, read once for the place: the flows
    grouped by sector, and the atlas search's counts."""

    money: selectors.PlaceMoney
    cube: FacetCube

    @classmethod
    def of(cls, place: Place) -> PlaceReads:
        return cls(selectors.place_money(place), selectors.place_cube(place))


def sector_json(
    entry: SectorEntry,
    place: Place | None,
    read: PlaceReads | None,
    request: HttpRequest,
) -> dict[str, Any]:
    d = entry.data
    return {
        "code": entry.code,
        "name": entry.name,
        "reviewed": entry.reviewed.isoformat(),
        "purpose": _fact(d["purpose"]),
        "legal_forms": [
            {
                "code": f["code"],
                "name": f["name"],
                "summary": f["summary"],
                "regulator": f["regulator"],
                "register_name": f["register"],
                "register_url": f.get("register_url", ""),
                "recorded_as": list(f["recorded_as"]),
                "sources": f["sources"],
            }
            for f in d["legal_forms"]
        ],
        "regulators": entry.regulators,
        "asset_lock": _fact(d["asset_lock"]),
        "profit_distribution": _fact(d["profit_distribution"]),
        "governance": [_fact(f) for f in d["governance"]],
        "funding": [_fact(f) for f in d["funding"]],
        "routes": [
            {k: r[k] for k in ("route", "role", "condition", "sources")} for r in d["routes"]
        ],
        "misunderstandings": [_fact(f) for f in d["misunderstandings"]],
        "terms": [
            {"text": f"{t['term']}: {t['meaning']}", "sources": t["sources"], "unconfirmed": False}
            for t in d["terms"]
        ],
        "sources": entry.sources,
        "guide_version": catalogue().version,
        "local": _local(entry, place, read, request) if place and read else None,
    }


def _place(code: str) -> Place | None:
    return selectors.place_or_default(code)


@router.get(
    "/sectors",
    response={200: list[SectorOut], 404: ApiError},
    url_name="sectors",
    summary="The sector guide, with a place's figures",
)
@decorate_view(public_page)
def list_sectors(request: HttpRequest, query: Query[SectorsQuery]) -> Any:
    """Every sector in the guide: legal forms, regulators, asset lock, routes and sources, with
    `local` figures for the place (organisations, income bands, money received)."""
    place = _place(query.place)
    if place is None:
        raise refused(404, f"No place has the code {query.place}")
    read = PlaceReads.of(place)
    return Status(200, [sector_json(e, place, read, request) for e in catalogue().sectors.values()])


@router.get(
    "/sectors/{code}",
    response={200: SectorOut, 404: ApiError},
    url_name="sector",
    summary="One sector of the guide, with a place's figures",
)
@decorate_view(public_page)
def get_sector(request: HttpRequest, code: str, query: Query[SectorsQuery]) -> Any:
    """One sector, as in the list."""
    entry = catalogue().sectors.get(code)
    if entry is None:
        raise refused(404, f"No sector in the guide has the code {code}")
    place = _place(query.place)
    if place is None:
        raise refused(404, f"No place has the code {query.place}")
    return Status(200, sector_json(entry, place, PlaceReads.of(place), request))
