"""Pages of the flows explorer: the flows list, its downloads and one flow.

Thin: selectors (flows.py) read, templates show. Everything here is public open data.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from commonground.core.spreadsheets import csv_streaming_response
from commonground.places.selectors import place_by_gss

from . import flows as selectors
from .forms import filters_from_query
from .models import MoneyFlow

PER_PAGE = 50


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
