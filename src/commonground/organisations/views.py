"""Partner search, its CSV download, and the organisation page. Thin: selectors do the work."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from commonground.core.page_cache import public_page
from commonground.core.spreadsheets import csv_streaming_response
from commonground.places.maps import svg_map
from commonground.places.selectors import council_place, wards_of

from .forms import OrganisationSearchForm, search_form
from .models import Organisation, PlaceRelation
from .page_parts import page_parts
from .selectors import (
    FACET_LABELS,
    SORTS,
    SearchResult,
    dataset_name,
    iter_search_results,
    organisation_by_identifier,
    organisation_profile,
    place_choices,
    search_organisations,
)

# Query parameters that are filters (shown as removable tags), in the order they are shown.
_FACET_PARAMS = {
    "sector": "sector",
    "status": "status",
    "legal_form": "legal_form",
    "income": "income_band",
}


@public_page
def search(request: HttpRequest) -> HttpResponse:
    form = search_form(request.GET)
    params = form.params()
    result = search_organisations(params)
    context = {
        "form": form,
        "params": params,
        "result": result,
        "errors": _error_list(form),
        "facets": [
            (param, FACET_LABELS[facet], result.facets[facet])
            for param, facet in _FACET_PARAMS.items()
        ],
        "selected": _selected_tags(request.GET, form, result),
        "place_groups": place_choices(params.place),
        "sorts": SORTS.items(),
        "relations": PlaceRelation.choices,
        "pagination": _pagination(request.GET, result),
        "csv_url": _with(
            request.GET, drop=("page", "page_size"), path=reverse("organisations:download")
        ),
        "clear_url": _with(request.GET, keep=("q", "sort")),
    }
    return render(request, "organisations/search.html", context)


def download(request: HttpRequest) -> StreamingHttpResponse | HttpResponse:
    form = search_form(request.GET)
    if form.errors:
        return HttpResponse(
            "The search has errors: " + "; ".join(m for _, m in _error_list(form)),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    rows = _csv_rows(iter_search_results(form.params()), request.build_absolute_uri("/"))
    return csv_streaming_response("organisations.csv", CSV_COLUMNS, rows)


@public_page
def detail(request: HttpRequest, org_id: str) -> HttpResponse:
    org = organisation_by_identifier(org_id)
    if org is None:
        raise Http404(f"No organisation has the identifier {org_id}")
    if org.org_id != org_id:
        return redirect("organisations:detail", org_id=org.org_id)
    profile = organisation_profile(org)
    ward_map = None
    if org.ward is not None and org.local_authority is not None:
        wards = wards_of(org.local_authority)
        point = None
        if org.latitude is not None and org.longitude is not None:
            point = (org.latitude, org.longitude)
        ward_map = svg_map(
            wards or [org.ward], highlight=org.ward, point=point, label=org.ward.name
        )
    return render(
        request,
        "organisations/detail.html",
        {
            "org": profile.organisation,
            "profile": profile,
            "ward_map": ward_map,
            "council_place": council_place(org.org_id),
            **page_parts(profile.organisation),
        },
    )


# Helpers -------------------------------------------------------------------------------


def _error_list(form: OrganisationSearchForm) -> list[tuple[str, str]]:
    """(field id, message) for the GOV.UK error summary."""
    return [
        (f"id_{name}" if name != "__all__" else "id_q", str(message))
        for name, messages in form.errors.items()
        for message in messages
    ]


def _with(
    query: QueryDict,
    *,
    drop: tuple[str, ...] = (),
    keep: tuple[str, ...] | None = None,
    remove: tuple[str, str] | None = None,
    set_: dict[str, Any] | None = None,
    path: str = "",
) -> str:
    """This search's query string, changed: some parameters dropped, kept, removed or set."""
    result = QueryDict(mutable=True)
    for key, values in query.lists():
        if key in drop or (keep is not None and key not in keep):
            continue
        kept = [v for v in values if v and (remove is None or (key, v) != remove)]
        if kept:
            result.setlist(key, kept)
    for key, value in (set_ or {}).items():
        result[key] = str(value)
    encoded = result.urlencode()
    return f"{path}?{encoded}" if encoded else (path or "?")


def _selected_tags(
    query: QueryDict, form: OrganisationSearchForm, result: SearchResult
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Selected filters as (heading, [(tag text, URL without it)]), for the MOJ filter panel."""
    data = getattr(form, "cleaned_data", {})
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    if data.get("place"):
        place = data["place"]
        groups.append(
            (
                "Place",
                [
                    (
                        place.name,
                        _with(query, drop=("page",), remove=("place", query.get("place", ""))),
                    )
                ],
            )
        )
    if data.get("postcode"):
        postcode = data["postcode"][0]
        km = data.get("distance") or 2
        groups.append(
            (
                "Near",
                [
                    (
                        f"Within {km:g} km of {postcode}",
                        _with(query, drop=("page", "postcode", "distance")),
                    )
                ],
            )
        )
    for param, facet in _FACET_PARAMS.items():
        chosen = [option for option in result.facets[facet] if option.selected]
        if chosen:
            groups.append(
                (
                    FACET_LABELS[facet],
                    [
                        (option.label, _with(query, drop=("page",), remove=(param, option.value)))
                        for option in chosen
                    ],
                )
            )
    return groups


def _pagination(query: QueryDict, result: SearchResult) -> dict[str, Any] | None:
    if result.pages <= 1:
        return None
    current, last = result.page, result.pages
    shown = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
    items: list[dict[str, Any]] = []
    previous = 0
    for number in shown:
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append(
            {
                "number": number,
                "url": _with(query, set_={"page": number}),
                "current": number == current,
            }
        )
        previous = number
    return {
        "items": items,
        "previous": _with(query, set_={"page": current - 1}) if current > 1 else None,
        "next": _with(query, set_={"page": current + 1}) if current < last else None,
    }


CSV_COLUMNS = [
    "org_id",
    "name",
    "sector",
    "legal_form",
    "status",
    "date_registered",
    "date_removed",
    "address",
    "postcode",
    "local_authority_code",
    "local_authority",
    "ward_code",
    "ward",
    "latest_income_gbp",
    "latest_income_date",
    "latest_income_source",
    "website",
    "url",
]


def _csv_rows(organisations: Iterator[Organisation], site: str) -> Iterator[list[str]]:
    for org in organisations:
        income = org.latest_income_pence
        yield [
            org.org_id,
            org.name,
            org.get_sector_display(),
            org.legal_form,
            org.get_status_display(),
            org.date_registered.isoformat() if org.date_registered else "",
            org.date_removed.isoformat() if org.date_removed else "",
            org.address,
            org.postcode,
            org.local_authority.gss_code if org.local_authority else "",
            org.local_authority.name if org.local_authority else "",
            org.ward.gss_code if org.ward else "",
            org.ward.name if org.ward else "",
            f"{Decimal(income) / 100:.2f}" if income is not None else "",
            org.latest_income_date.isoformat() if org.latest_income_date else "",
            dataset_name(org.latest_income_source) if org.latest_income_source else "",
            org.website,
            site.rstrip("/") + reverse("organisations:detail", args=[org.org_id]),
        ]
