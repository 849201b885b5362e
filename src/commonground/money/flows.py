"""Reads of the flows explorer: the filters a flows list (page, API, download) accepts, the
flows they select, and one flow. The place profile reads its figures through the same filter, so
every figure leads to the flows that add up to it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from commonground.organisations.models import Sector
from commonground.places.models import Place, PlaceKind

from . import attribution as attr
from .models import LinkMethod, MoneyFlow

NOT_LINKED = "not_linked"
WITHHELD = "withheld"
SOCIAL_ECONOMY = "social_economy"  # a sector filter: any sector of the social economy
NO_WARD = "none"  # a ward filter: grants that name no ward of the place

SECTOR_LABELS: dict[str, str] = {
    **{s.value: s.label for s in Sector},
    NOT_LINKED: "Not linked to an organisation",
    WITHHELD: "Name withheld (payments to individuals)",
}
LINK_LABELS = {m.value: m.label for m in LinkMethod}


# Filters ------------------------------------------------------------------------------


@dataclass
class FlowFilters:
    """The filters a flows list (page, API, download) accepts; each profile figure is one."""

    place: str = ""  # GSS code of the local authority
    date_from: date | None = None
    date_to: date | None = None
    channel: str = ""
    financial_year: int | None = None
    sector: str = ""  # a Sector value, "not_linked" or "withheld"
    local: str = ""  # "yes" (recipient based in the place), "elsewhere", "unknown"
    link: str = ""  # "linked", "unlinked", or a LinkMethod value
    recipient: str = ""  # an organisation's org-id
    recipient_key: str = ""
    payer: str = ""  # an organisation's org-id
    ward: str = ""  # GSS code of a ward (grants: the flow's or the recipient's ward)
    dataset: str = ""
    attribution: str = ""  # "register", "inferred" or "unknown" (ADR 0028)
    rule: str = ""  # the code of the rule a recipient's legal form was inferred by

    def query(self, **changes: Any) -> str:
        values = {**self.as_params(), **{k: v for k, v in changes.items()}}
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})

    def as_params(self) -> dict[str, Any]:
        return {
            "place": self.place,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "channel": self.channel,
            "year": self.financial_year if self.financial_year is not None else "",
            "sector": self.sector,
            "local": self.local,
            "link": self.link,
            "recipient": self.recipient,
            "recipient_key": self.recipient_key,
            "payer": self.payer,
            "ward": self.ward,
            "dataset": self.dataset,
            "attribution": self.attribution,
            "rule": self.rule,
        }


def place_version_ids(gss_code: str) -> list[int]:
    """Every version of a place (boundaries change; flows keep the version they were given)."""
    return list(Place.objects.filter(gss_code=gss_code.upper()).values_list("pk", flat=True))


def _ward_ids(gss_code: str) -> list[int]:
    """The current wards of a local authority (those the grants by ward are counted in)."""
    return list(
        Place.objects.filter(
            kind=PlaceKind.WARD, parent__gss_code=gss_code.upper(), end_date__isnull=True
        ).values_list("pk", flat=True)
    )


def filtered_flows(filters: FlowFilters) -> QuerySet[MoneyFlow]:
    flows = MoneyFlow.objects.all()
    place_ids: list[int] = []
    if filters.place:
        place_ids = place_version_ids(filters.place)
        flows = flows.filter(place_id__in=place_ids)
    if filters.date_from:
        flows = flows.filter(date__gte=filters.date_from)
    if filters.date_to:
        flows = flows.filter(date__lte=filters.date_to)
    if filters.channel:
        flows = flows.filter(channel=filters.channel)
    if filters.financial_year is not None:
        flows = flows.filter(financial_year=filters.financial_year)
    if filters.sector == WITHHELD:
        flows = flows.filter(recipient_link_method=LinkMethod.REDACTED)
    elif filters.sector == NOT_LINKED:
        flows = flows.filter(recipient_organisation=None).exclude(
            recipient_link_method=LinkMethod.REDACTED
        )
    elif filters.sector == SOCIAL_ECONOMY:
        flows = flows.filter(attr.level_q(attr.REGISTER)).filter(
            recipient_sector__in=sorted(attr.SOCIAL_ECONOMY)
        )
    elif filters.sector:
        flows = flows.filter(recipient_sector=filters.sector).exclude(recipient_organisation=None)
    if filters.local == "yes":
        flows = flows.filter(recipient_local_authority_id__in=place_ids or [-1])
    elif filters.local == "elsewhere":
        flows = flows.exclude(recipient_organisation=None).exclude(
            recipient_local_authority_id__in=place_ids or [-1]
        )
    elif filters.local == "unknown":
        flows = flows.filter(recipient_organisation=None)
    if filters.link == "linked":
        flows = flows.exclude(recipient_organisation=None)
    elif filters.link == "unlinked":
        flows = flows.filter(recipient_organisation=None)
    elif filters.link:
        flows = flows.filter(recipient_link_method=filters.link)
    if filters.recipient:
        flows = flows.filter(recipient_organisation__org_id=filters.recipient)
    if filters.recipient_key:
        flows = flows.filter(recipient_key=filters.recipient_key)
    if filters.payer:
        flows = flows.filter(payer_organisation__org_id=filters.payer)
    if filters.ward == NO_WARD:
        # Named no ward of the place: the complement of the profile's grants by ward.
        flows = flows.annotate(
            effective_ward=Coalesce("ward_id", "recipient_organisation__ward_id")
        ).filter(Q(effective_ward__isnull=True) | ~Q(effective_ward__in=_ward_ids(filters.place)))
    elif filters.ward:
        ward_ids = place_version_ids(filters.ward)
        flows = flows.annotate(
            effective_ward=Coalesce("ward_id", "recipient_organisation__ward_id")
        ).filter(effective_ward__in=ward_ids)
    if filters.dataset:
        flows = flows.filter(dataset=filters.dataset)
    if filters.attribution in attr.LEVELS:
        flows = flows.filter(attr.level_q(filters.attribution))
    if filters.rule:
        flows = flows.filter(attr.rule_q(filters.rule))
    return flows


@dataclass(frozen=True)
class FlowsSummary:
    count: int
    total_pence: int


def flows_summary(flows: QuerySet[MoneyFlow]) -> FlowsSummary:
    found = flows.aggregate(n=Count("*"), total=Sum("amount_pence"))
    return FlowsSummary(found["n"] or 0, found["total"] or 0)


def flows_page(flows: QuerySet[MoneyFlow]) -> QuerySet[MoneyFlow]:
    return (
        flows.select_related("recipient_organisation", "payer_organisation", "place")
        .defer("raw")
        .order_by("-date", "-id")
    )


def iter_flows(flows: QuerySet[MoneyFlow], chunk_size: int = 2000) -> Iterator[MoneyFlow]:
    yield from flows_page(flows).iterator(chunk_size=chunk_size)


def flow_by_id(pk: int) -> MoneyFlow | None:
    return (
        MoneyFlow.objects.select_related(
            "recipient_organisation", "payer_organisation", "place", "ward", "import_run"
        )
        .filter(pk=pk)
        .first()
    )
