"""Places pages: local authority districts (searchable) and each district's or ward's page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from commonground.core.page_cache import public_page

from . import selectors
from .maps import svg_map
from .models import PlaceKind

PER_PAGE = 50


def place_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    rows = selectors.search_local_authorities(query)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "places/list.html",
        {
            "query": query,
            "page": page,
            "page_numbers": page.paginator.get_elided_page_range(page.number),
            "params": urlencode({"q": query}) + "&" if query else "",
            "total": len(rows),
        },
    )


@public_page
def place_detail(request: HttpRequest, gss_code: str) -> HttpResponse:
    place = selectors.place_by_gss(gss_code)
    if place is None:
        raise Http404("No place with that code")
    context = {"place": place, "postcode_count": selectors.postcode_count(place)}
    if place.kind == PlaceKind.WARD:
        siblings = selectors.wards_of(place.parent) if place.parent else [place]
        context["map"] = svg_map(siblings, highlight=place, label=f"Map of {place.name} ward")
        return render(request, "places/ward.html", context)
    wards = selectors.wards_of(place)
    context.update(
        {
            "wards": wards,
            "map": svg_map(
                wards or [place], label=f"Map of {place.name} and its {len(wards)} wards"
            )
            if wards or place.boundary
            else "",
            "gb_lae_codes": selectors.gb_lae_codes_for(place),
            "deprivation": selectors.deprivation_figures(place),
            "districts_ranked": selectors.districts_ranked(),
        }
    )
    return render(request, "places/detail.html", context)
