"""The sector guide pages and the glossary: thin views over the catalogue and selectors."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from commonground.commissioning.catalogue import rules
from commonground.core.page_cache import public_page
from commonground.organisations.selectors import place_choices
from commonground.places.models import Place

from . import selectors
from .catalogue import PERSPECTIVES, catalogue


def _place(request: HttpRequest) -> tuple[Place | None, str]:
    """The chosen place (default the demo's), and an error if the code given is unknown."""
    code = request.GET.get("place", "").strip()[:12]
    place = selectors.place_or_default(code)
    if place is None:
        return selectors.place_or_default(None), f"No place has the code {code}."
    return place, ""


@public_page
def index(request: HttpRequest) -> HttpResponse:
    place, error = _place(request)
    counts = selectors.sector_counts(place) if place is not None else {}
    cat = catalogue()
    return render(
        request,
        "sectors/index.html",
        {
            "here": "sectors",
            "sectors": [(e, counts.get(e.code, 0)) for e in cat.sectors.values()],
            "place": place,
            "place_error": error,
            "place_choices": place_choices(place) if place is not None else [],
            "relation_label": selectors.RELATION_LABEL,
            "version": cat.version,
        },
    )


@public_page
def detail(request: HttpRequest, code: str) -> HttpResponse:
    cat = catalogue()
    entry = cat.sectors.get(code)
    if entry is None:
        raise Http404("No such sector in the guide.")
    place, error = _place(request)
    local = selectors.local_figures(entry, place) if place is not None else None
    routes = rules().routes
    return render(
        request,
        "sectors/detail.html",
        {
            "here": "sectors",
            "entry": entry,
            "data": entry.data,
            "routes": [(r, routes[r["route"]]) for r in entry.data["routes"]],
            "place": place,
            "place_error": error,
            "place_choices": place_choices(place) if place is not None else [],
            "local": local,
            "articulation": selectors.articulation(entry.code),
            "min_statements": selectors.MIN_STATEMENTS,
            "min_organisations": selectors.MIN_ORGANISATIONS,
            "version": cat.version,
        },
    )


def glossary(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    cat = catalogue()
    return render(
        request,
        "sectors/glossary.html",
        {
            "here": "sectors",
            "query": query,
            "terms": selectors.search_glossary(query, cat),
            "total": len(cat.glossary),
            "perspectives": PERSPECTIVES,
            "reviewed": cat.glossary_reviewed,
        },
    )
