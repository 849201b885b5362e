"""Pages of the flows explorer: the flows list, its downloads and one flow.

Thin: selectors (flows.py, flow_facets.py) read, templates show. Everything here is public open
data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from commonground.core.spreadsheets import csv_batches_response
from commonground.places.selectors import place_by_gss

from . import flows as selectors
from .charts import time_chart
from .flow_facets import flow_choices, selected_filters
from .flows import NO_PLACE, FlowFilters
from .forms import filters_from_query

PER_PAGE = 50
# Filters a link sets (from an organisation's page, a profile's figure): not in the filter panel.
LINKED_ONLY = ("recipient", "recipient_key", "payer", "ward")


def flows_list(request: HttpRequest) -> HttpResponse:
    filters, errors = filters_from_query(request.GET)
    choices = flow_choices(filters)
    context: dict[str, Any] = {
        "filters": filters,
        "choices": choices,
        "selected": selected_filters(filters, choices),
        "text": {"q": request.GET.get("q", "")[:200]},
        "date_fields": [
            (name, label, request.GET.get(name, "")[:10], errors.get(name, ""))
            for name, label in (("from", "From"), ("to", "To"))
        ],
        "errors": [(f"id_{k}", v) for k, v in errors.items()],
        "field_errors": errors,
        "place": (
            place_by_gss(filters.place) if filters.place and filters.place != NO_PLACE else None
        ),
        "no_place": filters.place == NO_PLACE,
        "clear_query": FlowFilters(place=filters.place).query(),
        # Filters set by following a link (an organisation, a name as published, a ward): kept
        # when the form is sent, shown and removed as selected filters.
        "hidden_errors": [(k, v) for k, v in errors.items() if k in LINKED_ONLY],
        "hidden": [
            (name, value)
            for name, value in filters.as_params().items()
            if name in LINKED_ONLY and value
        ],
    }
    if not errors:
        flows = selectors.filtered_flows(filters)
        page = Paginator(selectors.flows_page(flows, filters.sort), PER_PAGE).get_page(
            request.GET.get("page")
        )
        over_time = selectors.money_over_time(flows, filters)
        context.update(
            {
                "summary": selectors.flows_summary(flows),
                "over_time": over_time,
                "chart_unit": over_time.unit,
                "sort_label": selectors.SORTS[filters.sort or selectors.DEFAULT_SORT][0],
                "page": page,
                "query": filters.query(),
                "page_query": filters.query(page=""),
                "chart": time_chart(over_time),
                "by_place": [] if filters.place else selectors.flows_by_place(flows),
                "sort_links": _sort_links(filters),
            }
        )
    return render(request, "money/flows.html", context, status=400 if errors else 200)


def _sort_links(filters: FlowFilters) -> dict[str, dict[str, str]]:
    """For the Date and Amount headings: the query that sorts by that column (the other way
    round when it is already sorted by it) and the column's aria-sort."""
    current = filters.sort or selectors.DEFAULT_SORT
    links = {}
    for column, (down, up) in {
        "date": ("newest", "oldest"),
        "amount": ("largest", "smallest"),
    }.items():
        state = "descending" if current == down else "ascending" if current == up else "none"
        chosen = up if current == down else down
        links[column] = {"query": filters.query(sort=chosen, page=""), "aria_sort": state}
    return links


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
    "attribution",
    "attribution_rule",
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


def pounds_text(pence: int) -> str:
    """Pence as pounds with two decimals, exactly (no floating point): -5 -> "-0.05"."""
    whole, part = divmod(abs(pence), 100)
    return f"{'-' if pence < 0 else ''}{whole}.{part:02d}"


def flow_values(row: tuple[Any, ...]) -> list[Any]:
    """A row of selectors.ROW_FIELDS as the download's FLOW_COLUMNS."""
    (pk, day, year, channel, payer, payer_org, recipient, recipient_org, method, sector, level,
     rule, pence, purpose, category, place, dataset, record_key, file_name, row_number, json_path,
     run) = row  # fmt: skip
    return [
        pk,
        day.isoformat(),
        year,
        channel,
        payer,
        payer_org or "",
        recipient,
        recipient_org or "",
        method,
        sector,
        level,
        rule if level == "inferred" else "",
        pence,
        pounds_text(pence),
        purpose,
        category,
        place or "",
        dataset,
        record_key,
        file_name,
        "" if row_number is None else row_number,
        json_path,
        run or "",
    ]


def _json_batches(chunks: Iterable[list[tuple[Any, ...]]]) -> Iterator[str]:
    """A JSON array of the flows, sent a chunk of them at a time."""
    yield "["
    first = True
    for chunk in chunks:
        items = (
            json.dumps(dict(zip(FLOW_COLUMNS, flow_values(row), strict=True))) for row in chunk
        )
        yield ("" if first else ",") + ",".join(items)
        first = False
    yield "]"


def flows_download(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """Every flow the filters select, in the list's order, streamed as it is read: the first
    rows leave before the last are read, whatever the length."""
    filters, errors = filters_from_query(request.GET)
    if errors:
        return HttpResponse(
            "; ".join(f"{k}: {v}" for k, v in errors.items()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    chunks = selectors.flow_row_chunks(selectors.filtered_flows(filters), filters.sort)
    if fmt == "csv":
        return csv_batches_response(
            "money-flows.csv", FLOW_COLUMNS, ([flow_values(row) for row in c] for c in chunks)
        )
    response = StreamingHttpResponse(_json_batches(chunks), content_type="application/json")
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
