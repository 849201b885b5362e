"""The money ledger: flows, with their source records. Registered in api/urls.py.

GET /api/v1/money-flows takes the same filters as the flows page (/money/flows/), so every
figure of a place profile can be followed to the flows behind it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from commonground.money.award_shares import flow_share_note
from commonground.money.flows import (
    DEFAULT_SORT,
    SORTS,
    filtered_flows,
    flow_by_id,
    flows_page,
    flows_summary,
)
from commonground.money.forms import filters_from_query
from commonground.money.models import MoneyFlow

from .errors import ApiError, invalid, refused

router = Router(tags=["money flows"])
PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


class FlowsQuery(Schema):
    place: str = Field(
        "",
        max_length=9,
        description="Local authority ONS code, e.g. E08000009; 'none' for flows attributed to "
        "no place (national awards)",
    )
    date_from: str = Field("", alias="from", max_length=10, description="On or after (YYYY-MM-DD)")
    date_to: str = Field("", alias="to", max_length=10, description="On or before (YYYY-MM-DD)")
    channel: str = Field("", max_length=12, description="grant, contract, spend or investment")
    year: str = Field("", max_length=4, description="Financial year by its start, e.g. 2024")
    sector: str = Field(
        "",
        max_length=20,
        description="Recipient's sector, 'social_economy', 'not_linked' or 'withheld'",
    )
    local: str = Field(
        "", max_length=10, description="Recipient based in the place: yes, elsewhere, unknown"
    )
    link: str = Field(
        "", max_length=20, description="linked, unlinked, or a link method (e.g. review_pending)"
    )
    recipient: str = Field("", max_length=60, description="Recipient organisation's org-id")
    recipient_key: str = Field("", max_length=300, description="Recipient as named in a source")
    payer: str = Field("", max_length=60, description="Payer organisation's org-id")
    ward: str = Field(
        "", max_length=9, description="Ward ONS code (grants by ward), or 'none' for no ward"
    )
    dataset: str = Field("", max_length=80, description="Source dataset code")
    attribution: str = Field(
        "",
        max_length=10,
        description="How the recipient is attributed: register, inferred, unknown",
    )
    rule: str = Field(
        "", max_length=40, description="The rule that inferred the recipient's legal form"
    )
    q: str = Field(
        "",
        max_length=200,
        description="Words in the payer's or the recipient's name (as published, or the linked "
        "organisation's), in this order; case does not matter",
    )
    sort: str = Field(
        "",
        max_length=10,
        description="Order: "
        + ", ".join(f"{key} ({label.lower()})" for key, (label, _) in SORTS.items())
        + f"; {DEFAULT_SORT} when not given",
    )
    page: int = Field(1, ge=1, le=1_000_000, description="Page number")
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Flows a page")


class FlowOut(Schema):
    id: int = Field(description="The flow's number")
    url: str = Field(description="This flow in the API")
    web_url: str = Field(description="This flow's page on the site")
    channel: str = Field(description="grant, contract, spend or investment")
    date: dt.date = Field(description="Award or payment date")
    financial_year: int = Field(description="Financial year by its start (2024 = 2024-25)")
    amount_pence: int = Field(description="Amount in pence (negative for refunds)")
    currency: str = Field(description="Currency of the amount (always GBP)")
    payer_name: str = Field(description="Payer as published")
    payer_org_id: str = Field(description="Linked payer organisation; empty if not linked")
    payer_link_method: str = Field(description="How the payer was linked")
    recipient_name: str = Field(description="Recipient as published")
    recipient_org_id: str = Field(description="Linked recipient organisation; empty if not")
    recipient_link_method: str = Field(description="How the recipient was linked")
    recipient_sector: str = Field(description="The linked recipient's sector, from registers")
    recipient_attribution: str = Field(
        description="How the recipient is attributed: register, inferred or unknown"
    )
    attribution_rule: str = Field(
        description="The legal-form rule an inferred recipient was attributed by; else empty"
    )
    award_share: str = Field(
        description="For a supplier's equal share of an award made to several suppliers "
        "together, what it is a share of (the amount is then not a contract value); else empty"
    )
    purpose: str = Field(description="What the money is for, as published")
    category: str = Field(description="Programme or spend category, as published")
    place: str = Field(description="ONS code of the place it is attributed to; empty if none")
    dataset: str = Field(description="Source dataset code (see the Data sources page)")
    record_key: str = Field(description="The record's identity within its dataset")
    import_run: int | None = Field(description="The import that loaded it")
    file_name: str = Field(description="The file it was read from")
    row_number: int | None = Field(description="Row in the file (CSV, spreadsheet)")
    json_path: str = Field(description="Where in the JSON file (JSON sources)")


class FlowDetailOut(FlowOut):
    raw: dict[str, Any] = Field(description="The record as published, all fields kept")
    attributes: dict[str, Any] = Field(
        description="Channel facts: procedure, SME and VCSE flags, programme, shared award"
    )


class PaginationOut(Schema):
    page: int = Field(description="This page")
    page_size: int = Field(description="Flows a page")
    pages: int = Field(description="How many pages")
    total: int = Field(description="How many flows match")


class FlowsOut(Schema):
    total_pence: int = Field(description="Sum of every matching flow, in pence")
    pagination: PaginationOut = Field(description="Where this page is")
    results: list[FlowOut] = Field(description="The flows, in the order asked for")


def _flow(flow: MoneyFlow) -> dict[str, Any]:
    return {
        "id": flow.pk,
        "url": reverse("api-v1:money-flow", kwargs={"flow_id": flow.pk}),
        "web_url": reverse("money:flow", kwargs={"pk": flow.pk}),
        "channel": flow.channel,
        "date": flow.date,
        "financial_year": flow.financial_year,
        "amount_pence": flow.amount_pence,
        "currency": flow.currency,
        "payer_name": flow.payer_name,
        "payer_org_id": flow.payer_organisation.org_id if flow.payer_organisation else "",
        "payer_link_method": flow.payer_link_method,
        "recipient_name": flow.recipient_name,
        "recipient_org_id": (
            flow.recipient_organisation.org_id if flow.recipient_organisation else ""
        ),
        "recipient_link_method": flow.recipient_link_method,
        "recipient_sector": flow.recipient_sector,
        "recipient_attribution": flow.recipient_attribution,
        "attribution_rule": (
            flow.recipient_form_rule if flow.recipient_attribution == "inferred" else ""
        ),
        "award_share": flow_share_note(flow),
        "purpose": flow.purpose,
        "category": flow.category,
        "place": flow.place.gss_code if flow.place else "",
        "dataset": flow.dataset,
        "record_key": flow.record_key,
        "import_run": flow.import_run_id,
        "file_name": flow.file_name,
        "row_number": flow.row_number,
        "json_path": flow.json_path,
    }


@router.get(
    "/money-flows",
    response={200: FlowsOut, 422: ApiError},
    url_name="money-flows",
    summary="Money flows",
)
def list_money_flows(request: HttpRequest, query: Query[FlowsQuery]) -> Any:
    """Grants, contract awards and payments matching the filters and the name search, in the
    order asked for (newest first by default), with the sum of all of them (not only this
    page). A value a filter cannot take is refused with 422, naming the parameter."""
    params = query.dict(by_alias=True)
    filters, errors = filters_from_query({k: str(v) for k, v in params.items()})
    if errors:
        raise invalid(errors)
    flows = filtered_flows(filters)
    summary = flows_summary(flows)
    paginator = Paginator(flows_page(flows, filters.sort), query.page_size)
    page = paginator.get_page(query.page)
    return Status(
        200,
        {
            "total_pence": summary.total_pence,
            "pagination": {
                "page": page.number,
                "page_size": query.page_size,
                "pages": paginator.num_pages,
                "total": summary.count,
            },
            "results": [_flow(flow) for flow in page],
        },
    )


@router.get(
    "/money-flows/{flow_id}",
    response={200: FlowDetailOut, 404: ApiError, 422: ApiError},
    url_name="money-flow",
    summary="One money flow",
)
def get_money_flow(request: HttpRequest, flow_id: int) -> Any:
    """One flow with its source record as published."""
    flow = flow_by_id(flow_id) if 0 < flow_id < 2**62 else None
    if flow is None:
        raise refused(404, f"No money flow has the number {flow_id}")
    return Status(200, {**_flow(flow), "raw": flow.raw, "attributes": flow.attributes})
