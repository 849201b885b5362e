"""Pages of the money ledger: the place profile, the flows behind each figure, one flow.

Thin: selectors compute, templates show. Everything here is public open data.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse

from commonground.core.page_cache import public_page
from commonground.core.spreadsheets import csv_response, csv_streaming_response
from commonground.places.selectors import place_by_gss

from . import selectors
from .forms import filters_from_query
from .maps import grants_ward_map
from .models import MoneyFlow
from .profile_json import profile_json
from .selectors import FlowFilters, PlaceProfile

PER_PAGE = 50


def _profile_or_errors(
    request: HttpRequest, gss_code: str
) -> tuple[PlaceProfile | None, FlowFilters, dict[str, str]]:
    place = place_by_gss(gss_code)
    if place is None:
        raise Http404("No place with that code")
    filters, errors = filters_from_query(
        {"from": request.GET.get("from", ""), "to": request.GET.get("to", "")}
    )
    if errors:
        return None, filters, errors
    return selectors.place_profile(place, filters.date_from, filters.date_to), filters, errors


@public_page
def place_profile(request: HttpRequest, gss_code: str) -> HttpResponse:
    profile, _, errors = _profile_or_errors(request, gss_code)
    place = place_by_gss(gss_code)
    context: dict[str, Any] = {
        "place": place,
        "profile": profile,
        "errors": [(f"id_{k}", v) for k, v in errors.items()],
        "field_errors": errors,
        "date_from": request.GET.get("from", "")[:10],
        "date_to": request.GET.get("to", "")[:10],
        "flows_url": reverse("money:flows"),
    }
    if profile is not None:
        context["ward_map"] = grants_ward_map(
            profile.grants_by_ward, f"Map of grants by ward in {profile.place.name}"
        )
        context["query"] = profile.filters.query(place="")
    return render(request, "money/profile.html", context, status=400 if errors else 200)


def _profile_rows(profile: PlaceProfile, base: str) -> Iterator[list[Any]]:
    def row(section: str, label: str, figure: Any) -> list[Any]:
        return [
            section,
            label,
            figure.pence,
            f"{figure.pence / 100:.2f}",
            figure.count,
            "" if figure.share is None else f"{figure.share:.6f}",
            f"{base}?{figure.flows_query}",
        ]

    yield row("total", "All money", profile.total)
    for f in profile.by_channel:
        yield row("channel", f.label, f)
    for f in profile.by_year:
        yield row("financial_year", f.label, f)
    for year, figures in profile.by_channel_year:
        for f in figures:
            yield row("channel_by_year", f"{year} {f.label}", f)
    for f in profile.by_sector:
        yield row("sector", f.label, f)
    for f in profile.by_locality:
        yield row("locality", f.label, f)
    for f in profile.not_linked:
        yield row("not_linked", f.label, f)
    for sector, recipients in profile.top_by_sector:
        for r in recipients:
            yield [
                f"top_recipients:{sector.key}",
                r.name,
                r.pence,
                f"{r.pence / 100:.2f}",
                r.count,
                "",
                f"{base}?{r.flows_query}",
            ]
    for w in profile.grants_by_ward:
        yield [
            "grants_by_ward",
            f"{w.ward.name} ({w.ward.gss_code})",
            w.pence,
            f"{w.pence / 100:.2f}",
            w.count,
            "",
            f"{base}?{w.flows_query}",
        ]


def place_profile_csv(request: HttpRequest, gss_code: str) -> HttpResponse:
    profile, _, errors = _profile_or_errors(request, gss_code)
    if profile is None:
        return HttpResponse("; ".join(errors.values()), status=400, content_type="text/plain")
    base = request.build_absolute_uri(reverse("money:flows"))
    header = ["section", "label", "pence", "pounds", "flows", "share", "flows_url"]
    return csv_response(
        f"profile-{profile.place.gss_code}.csv", header, _profile_rows(profile, base)
    )


FILTER_FIELDS = (
    ("place", "Place (ONS code, like E08000009)"),
    ("from", "From (YYYY-MM-DD)"),
    ("to", "To (YYYY-MM-DD)"),
    ("channel", "Channel (grant, contract, spend or investment)"),
    ("year", "Financial year starting (like 2024)"),
    ("sector", "Recipient's sector (like charity, or not_linked)"),
    ("local", "Recipient based in the place (yes, elsewhere or unknown)"),
    ("link", "Link (linked, unlinked, or a method like review_pending)"),
    ("recipient", "Recipient's organisation identifier (like GB-CHC-1234567)"),
    ("recipient_key", "Recipient as named in a source (party key)"),
    ("payer", "Payer's organisation identifier"),
    ("ward", "Ward (ONS code)"),
    ("dataset", "Dataset code"),
)


def flows_list(request: HttpRequest) -> HttpResponse:
    filters, errors = filters_from_query(request.GET)
    context: dict[str, Any] = {
        "filters": filters,
        "fields": [
            (name, label, request.GET.get(name, "")[:300], errors.get(name, ""))
            for name, label in FILTER_FIELDS
        ],
        "errors": [(f"id_{k}", v) for k, v in errors.items()],
        "field_errors": errors,
        "place": place_by_gss(filters.place) if filters.place else None,
    }
    if not errors:
        flows = selectors.filtered_flows(filters)
        page = Paginator(selectors.flows_page(flows), PER_PAGE).get_page(request.GET.get("page"))
        context.update(
            {
                "summary": selectors.flows_summary(flows),
                "page": page,
                "query": filters.query(),
            }
        )
    return render(request, "money/flows.html", context, status=400 if errors else 200)


FLOW_COLUMNS = [
    "id",
    "date",
    "financial_year",
    "channel",
    "payer_name",
    "payer_org_id",
    "recipient_name",
    "recipient_org_id",
    "recipient_link_method",
    "recipient_sector",
    "amount_pence",
    "amount",
    "purpose",
    "category",
    "place",
    "dataset",
    "record_key",
    "file_name",
    "row_number",
    "json_path",
    "import_run",
]


def flow_values(flow: MoneyFlow) -> list[Any]:
    return [
        flow.pk,
        flow.date.isoformat(),
        flow.financial_year,
        flow.channel,
        flow.payer_name,
        flow.payer_organisation.org_id if flow.payer_organisation else "",
        flow.recipient_name,
        flow.recipient_organisation.org_id if flow.recipient_organisation else "",
        flow.recipient_link_method,
        flow.recipient_sector,
        flow.amount_pence,
        f"{flow.amount_pence / 100:.2f}",
        flow.purpose,
        flow.category,
        flow.place.gss_code if flow.place else "",
        flow.dataset,
        flow.record_key,
        flow.file_name,
        flow.row_number if flow.row_number is not None else "",
        flow.json_path,
        flow.import_run_id or "",
    ]


def flows_download(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    filters, errors = filters_from_query(request.GET)
    if errors:
        return HttpResponse(
            "; ".join(f"{k}: {v}" for k, v in errors.items()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    flows = selectors.iter_flows(selectors.filtered_flows(filters))
    if fmt == "csv":
        return csv_streaming_response(
            "money-flows.csv", FLOW_COLUMNS, (flow_values(f) for f in flows)
        )

    def lines() -> Iterator[str]:
        yield "["
        for index, flow in enumerate(flows):
            item = dict(zip(FLOW_COLUMNS, flow_values(flow), strict=True))
            yield ("," if index else "") + json.dumps(item)
        yield "]"

    response = StreamingHttpResponse(lines(), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="money-flows.json"'
    return response


def flow_detail(request: HttpRequest, pk: int) -> HttpResponse:
    flow = selectors.flow_by_id(pk)
    if flow is None:
        raise Http404("No money flow with that number")
    return render(
        request,
        "money/flow.html",
        {"flow": flow, "raw_json": json.dumps(flow.raw, indent=2, ensure_ascii=False)},
    )


def profile_json_download(request: HttpRequest, gss_code: str) -> JsonResponse:
    """The profile as a JSON file to download: the same JSON as the API's."""
    profile, _, errors = _profile_or_errors(request, gss_code)
    if profile is None:
        return JsonResponse({"errors": errors}, status=400)
    response = JsonResponse(profile_json(profile))
    response["Content-Disposition"] = f'attachment; filename="profile-{gss_code}.json"'
    return response
