"""Shape stored results for the pages and the PDF: routes grouped by status, precedents added.
Precedents come from the case-study library (case_studies.py) at display time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .case_studies import precedents_for
from .catalogue import FAMILIES
from .engine import AVAILABLE, AVAILABLE_IF, NOT_AVAILABLE, STATUS_LABELS


def precedents(code: str) -> list[dict[str, Any]]:
    return [
        {
            "slug": c.slug,
            "title": c.title,
            "place_name": c.place_name,
            "summary": c.summary,
            "note": c.route_note(code) if hasattr(c, "route_note") else "",
            "url": f"/case-studies/{c.slug}/",
        }
        for c in precedents_for(code)
    ]


NOTICE_KINDS = {"notice", "standstill"}


def date_label(iso: str) -> str:
    try:
        return f"{dt.date.fromisoformat(iso):%-d %B %Y}"
    except (TypeError, ValueError):
        return str(iso)


def grouped(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Status groups in the order a commissioner reads them, each route with its precedents
    and its obligations split into notices and other duties."""
    groups = []
    for status, heading in (
        (AVAILABLE, "Available"),
        (AVAILABLE_IF, "Available if conditions are met"),
        (NOT_AVAILABLE, "Not available"),
    ):
        routes = []
        for r in result.get("routes", []):
            if r["status"] != status:
                continue
            routes.append(
                {
                    **r,
                    "family_label": FAMILIES.get(r["family"], r["family"]),
                    "status_label": STATUS_LABELS[r["status"]],
                    "notices": [o for o in r["obligations"] if o["kind"] in NOTICE_KINDS],
                    "duties": [o for o in r["obligations"] if o["kind"] not in NOTICE_KINDS],
                    "precedents": precedents(r["code"]) if status != NOT_AVAILABLE else [],
                }
            )
        groups.append({"status": status, "heading": heading, "routes": routes})
    return groups


def to_confirm(result: dict[str, Any]) -> dict[str, Any]:
    """What the result still rests on, counted: the answers given as "not sure" and the
    distinct unconfirmed points of law behind the routes that are open."""
    from .questions import BY_FIELD

    unknown = [BY_FIELD[n].label for n in result.get("unknown_answers", []) if n in BY_FIELD]
    points: list[str] = []
    for r in result.get("routes", []):
        if r["status"] == NOT_AVAILABLE:
            continue
        points += [u for u in r.get("unconfirmed", []) if u not in points]
    return {"unknown": unknown, "unconfirmed": points}


def recommendation(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The recommended route and alternatives with their route details, for the page."""
    routes = {r["code"]: r for r in result.get("routes", [])}
    return [
        {**rec, "status_label": STATUS_LABELS[rec["status"]], "route": routes.get(rec["code"], {})}
        for rec in result.get("recommendation", [])
    ]
