"""GET /api/v1/routes and /api/v1/routes/{code}: the commissioning routes with their rules, as
the YAML files under commissioning/rules/ hold them. Public: the rules are open.

Registered in api/urls.py.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from commonground.commissioning.catalogue import PRINCIPLES, Route, rules
from commonground.commissioning.presenters import precedents

from .errors import ApiError

router = Router(tags=["routes"])


class RouteLegalBasisOut(Schema):
    citation: str = Field(description="The provision the route rests on.")
    url: str = Field(description="Where to read it.")
    regimes: list[str] = Field(
        description="Regimes this basis applies under (pcr2015, pa2023, pcs2015, psr2023, "
        "none); empty means all."
    )
    unconfirmed: bool = Field(description="True if the law fact base does not set this out.")


class RouteConditionOut(Schema):
    id: str = Field(description="Rule id, cited in appraisal reasons as <route code>.<id>.")
    text: str = Field(description="The condition in plain English.")
    source: str = Field(description="Source of the legal fact.")
    unconfirmed: bool = Field(description="True if the fact base marks it UNCONFIRMED.")


class RouteObligationOut(Schema):
    kind: str = Field(
        description="notice, standstill, publication, record, duty, consent or check."
    )
    text: str = Field(description="What must be done.")
    source: str = Field(description="Source of the obligation.")
    regimes: list[str] = Field(description="Regimes it applies under; empty means all.")
    unconfirmed: bool = Field(description="True if the fact base marks it UNCONFIRMED.")


class RoutePrincipleFitOut(Schema):
    principle: str = Field(description="One of the nine principles (key).")
    label: str = Field(description="The principle's name.")
    fit: str = Field(description="strong, some or weak.")


class RoutePrecedentOut(Schema):
    slug: str = Field(description="Case study identifier.")
    title: str = Field(description="Case study title.")
    place_name: str = Field(description="Where it happened.")
    summary: str = Field(description="What was done.")
    note: str = Field(description="How this route was used there ('' if not noted).")
    url: str = Field(description="The case study page on this site.")


class RouteOut(Schema):
    code: str = Field(description="Route code, e.g. open_procedure.")
    name: str = Field(description="Route name.")
    family: str = Field(
        description="procurement, health_care_selection, grant, subsidy, investment, asset or "
        "partnership."
    )
    summary: str = Field(description="What the route is, in a sentence or two.")
    legal_basis: list[RouteLegalBasisOut] = Field(
        description="Legal basis with citations and links."
    )
    conditions: list[RouteConditionOut] = Field(description="The rules that decide the route.")
    obligations: list[RouteObligationOut] = Field(
        description="Notices, standstill, publication duties, records."
    )
    timeline: str = Field(description="Typical timeline.")
    risks: list[str] = Field(description="Main risks.")
    principle_fit: list[RoutePrincipleFitOut] = Field(description="Fit with the nine principles.")
    principle_note: str = Field(description="How the route sits with the principles.")
    unconfirmed: list[str] = Field(
        description="Points this route rests on that the law fact base marks UNCONFIRMED."
    )
    rules_version: str = Field(description="Version of the rules files (date + content hash).")
    precedents: list[RoutePrecedentOut] = Field(
        description="Case studies from the library that used this route."
    )


def route_json(route: Route) -> dict[str, Any]:
    d = route.data
    return {
        "code": route.code,
        "name": d["name"],
        "family": d["family"],
        "summary": d["summary"],
        "legal_basis": [
            {
                "citation": b["citation"],
                "url": b["url"],
                "regimes": b.get("regimes", []),
                "unconfirmed": bool(b.get("unconfirmed", False)),
            }
            for b in d["legal_basis"]
        ],
        "conditions": [
            {
                "id": c["id"],
                "text": c["text"],
                "source": c["source"],
                "unconfirmed": bool(c.get("unconfirmed", False)),
            }
            for c in d["conditions"]
        ],
        "obligations": [
            {
                "kind": o["kind"],
                "text": o["text"],
                "source": o["source"],
                "regimes": o.get("regimes", []),
                "unconfirmed": bool(o.get("unconfirmed", False)),
            }
            for o in d["obligations"]
        ],
        "timeline": d["timeline"],
        "risks": list(d["risks"]),
        "principle_fit": [
            {"principle": k, "label": label, "fit": d["principle_fit"][k]}
            for k, label in PRINCIPLES.items()
        ],
        "principle_note": d["principle_note"],
        "unconfirmed": list(d.get("unconfirmed", [])),
        "rules_version": rules().version,
        "precedents": precedents(route.code),
    }


@router.get(
    "/routes",
    response=list[RouteOut],
    summary="Every commissioning route with its rules",
)
def list_routes(request: HttpRequest) -> list[dict[str, Any]]:
    return [route_json(r) for r in rules().routes.values()]


@router.get(
    "/routes/{code}",
    response={200: RouteOut, 404: ApiError},
    summary="One commissioning route with its rules",
)
def get_route(request: HttpRequest, code: str) -> dict[str, Any]:
    route = rules().routes.get(code)
    if route is None:
        raise HttpError(404, "No route with that code")
    return route_json(route)
