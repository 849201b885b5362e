"""Reads of the flows explorer: the filters a flows list (page, API, download) accepts, the
flows they select, and one flow. The place profile reads its figures through the same filter, so
every figure leads to the flows that add up to it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from commonground.organisations.models import Organisation, Sector
from commonground.places.models import Place, PlaceKind

from . import attribution as attr
from .models import LinkMethod, MoneyFlow
from .parsing import financial_year_label
from .periods import MonthStart

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

NO_PLACE = "none"  # the place filter's value for flows attributed to no place
# Each sort: its label, and the order (a field, then the id, so every chunk's keyset is exact).
SORTS: dict[str, tuple[str, tuple[str, str]]] = {
    "newest": ("Newest first", ("-date", "-id")),
    "oldest": ("Oldest first", ("date", "id")),
    "largest": ("Largest amount first", ("-amount_pence", "-id")),
    "smallest": ("Smallest amount first", ("amount_pence", "id")),
}
DEFAULT_SORT = "newest"


@dataclass
class FlowFilters:
    """The filters a flows list (page, API, download) accepts; each profile figure is one."""

    place: str = ""  # GSS code of the local authority, or NO_PLACE
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
    q: str = ""  # words in the payer's or the recipient's name
    sort: str = ""  # a key of SORTS; "" is DEFAULT_SORT

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
            "q": self.q,
            "sort": self.sort,
        }

    @property
    def order(self) -> tuple[str, str]:
        return SORTS[self.sort or DEFAULT_SORT][1]


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
    if filters.place == NO_PLACE:
        flows = flows.filter(place=None)
    elif filters.place:
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
    flows = _by_recipient(flows, filters, place_ids)
    if filters.payer:
        flows = flows.filter(payer_organisation__org_id=filters.payer)
    if filters.ward == NO_WARD:
        # Named no ward of the place: the complement of the profile's grants by ward.
        flows = flows.annotate(
            effective_ward=Coalesce("ward_id", "recipient_organisation__ward_id")
        ).filter(Q(effective_ward__isnull=True) | ~Q(effective_ward__in=_ward_ids(filters.place)))
    elif filters.ward:
        # The flow's ward, else its recipient's. The candidates are found by the indexes on the
        # ward and on the recipient, not by reading every flow of the authority (issue 19): as
        # one OR condition beside the place, SQLite read all 250,000 of Trafford's flows for a
        # ward's 14 (ADR 0064). The recipients' flows are taken whatever their ward, since "no
        # ward" matches nearly every flow; the ward condition is then tested on the candidates.
        ward_ids = place_version_ids(filters.ward)
        in_ward = list(
            Organisation.objects.filter(ward_id__in=ward_ids).values_list("pk", flat=True)
        )
        of_ward = MoneyFlow.objects.filter(ward_id__in=ward_ids).order_by().values("pk")
        of_recipients = (
            MoneyFlow.objects.filter(recipient_organisation_id__in=in_ward).order_by().values("pk")
        )
        flows = flows.filter(pk__in=of_ward.union(of_recipients, all=True)).filter(
            Q(ward_id__in=ward_ids) | Q(ward_id__isnull=True)
        )
    if filters.dataset:
        flows = flows.filter(dataset=filters.dataset)
    if filters.attribution in attr.LEVELS:
        flows = flows.filter(attr.level_q(filters.attribution))
    if filters.rule:
        flows = flows.filter(attr.rule_q(filters.rule))
    if filters.q:
        flows = flows.filter(name_matches(filters.q))
    return flows


def name_matches(words: str) -> Q:
    """Flows whose payer or recipient is named with these words, in this order (as published,
    or the name of the organisation it is linked to); case does not matter."""
    phrase = " ".join(words.split())
    return (
        Q(payer_name__icontains=phrase)
        | Q(recipient_name__icontains=phrase)
        | Q(recipient_organisation__name__icontains=phrase)
        | Q(payer_organisation__name__icontains=phrase)
    )


def _by_recipient(
    flows: QuerySet[MoneyFlow], filters: FlowFilters, place_ids: list[int]
) -> QuerySet[MoneyFlow]:
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
    return flows


@dataclass(frozen=True)
class FlowsSummary:
    count: int
    total_pence: int


def flows_summary(flows: QuerySet[MoneyFlow]) -> FlowsSummary:
    found = flows.order_by().aggregate(n=Count("*"), total=Sum("amount_pence"))
    return FlowsSummary(found["n"] or 0, found["total"] or 0)


# The fields a list shows: the flow's own, and only the org-id and name of whom it links to.
LIST_FIELDS = (
    "id", "channel", "date", "financial_year", "amount_pence", "currency", "payer_name",
    "payer_link_method", "recipient_name", "recipient_link_method", "recipient_sector",
    "recipient_attribution", "recipient_form_rule", "attributes", "purpose", "category",
    "dataset", "record_key", "import_run_id", "file_name", "row_number", "json_path",
    "place__gss_code", "place__name",
    "payer_organisation__org_id", "payer_organisation__name",
    "recipient_organisation__org_id", "recipient_organisation__name",
)  # fmt: skip


def flows_page(flows: QuerySet[MoneyFlow], sort: str = "") -> QuerySet[MoneyFlow]:
    """The flows in the chosen order, with what a list shows of them (not the published record,
    nor the linked organisations' register data)."""
    return (
        flows.select_related("recipient_organisation", "payer_organisation", "place")
        .only(*LIST_FIELDS)
        .order_by(*SORTS[sort or DEFAULT_SORT][1])
    )


# One row of a download: these columns, in this order.
ROW_FIELDS = (
    "id", "date", "financial_year", "channel", "payer_name", "payer_organisation__org_id",
    "recipient_name", "recipient_organisation__org_id", "recipient_link_method",
    "recipient_sector", "recipient_attribution", "recipient_form_rule", "amount_pence",
    "purpose", "category", "place__gss_code", "dataset",
    "record_key", "file_name", "row_number", "json_path", "import_run_id",
)  # fmt: skip


def flow_row_chunks(
    flows: QuerySet[MoneyFlow], sort: str = "", chunk_size: int = 5000, first_chunk: int = 500
) -> Iterator[list[tuple[Any, ...]]]:
    """Every flow as a tuple of ROW_FIELDS, in the chosen order, a chunk at a time. Each chunk
    is its own query that starts after the last row of the one before (a keyset on the sort
    field and the id), so the first rows are sent while the rest are still to be read, no
    cursor is held open between chunks, and a download of any length takes one chunk of memory.
    The first chunk is small, so the first rows leave at once."""
    order = SORTS[sort or DEFAULT_SORT][1]
    field = order[0].lstrip("-")
    step = "lt" if order[0].startswith("-") else "gt"
    position = ROW_FIELDS.index(field)
    rows = flows.order_by(*order).values_list(*ROW_FIELDS)
    after: tuple[Any, int] | None = None
    while True:
        chunk = rows
        if after is not None:
            value, pk = after
            chunk = rows.filter(
                Q(**{f"{field}__{step}": value}) | Q(**{field: value, f"id__{step}": pk})
            )
        size = chunk_size if after is not None else first_chunk
        found = list(chunk[:size])
        if found:
            yield found
        if len(found) < size:
            return
        after = (found[-1][position], found[-1][0])


def flow_by_id(pk: int) -> MoneyFlow | None:
    return (
        MoneyFlow.objects.select_related(
            "recipient_organisation", "payer_organisation", "place", "ward", "import_run"
        )
        .filter(pk=pk)
        .first()
    )


# Money over time ----------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    label: str
    pence: int
    count: int
    flows_query: str  # the flows of this period, with the other filters kept


@dataclass(frozen=True)
class OverTime:
    unit: str  # "financial year" or "month"
    periods: list[Period]


def money_over_time(flows: QuerySet[MoneyFlow], filters: FlowFilters) -> OverTime:
    """The flows' money by financial year, every year from the first to the last (a year with
    no flows shows as nothing, not left out); by month when they all fall in one year."""
    by_year = {
        year: (n, pence)
        for year, n, pence in flows.order_by()
        .values("financial_year")
        .annotate(n=Count("*"), pence=Sum("amount_pence"))
        .values_list("financial_year", "n", "pence")
    }
    if len(by_year) > 1:
        first, last = min(by_year), max(by_year)
        return OverTime(
            "financial year",
            [
                Period(
                    financial_year_label(year),
                    by_year.get(year, (0, 0))[1],
                    by_year.get(year, (0, 0))[0],
                    filters.query(year=year, page=""),
                )
                for year in range(first, last + 1)
            ],
        )
    by_month = {
        month: (n, pence)
        for month, n, pence in flows.order_by()
        .annotate(month=MonthStart("date"))
        .values("month")
        .annotate(n=Count("*"), pence=Sum("amount_pence"))
        .values_list("month", "n", "pence")
    }
    if not by_month:
        return OverTime("month", [])
    periods = []
    month = min(by_month)
    while month <= max(by_month):
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        start = max(month, filters.date_from or month)
        end = min(following - timedelta(days=1), filters.date_to or following)
        n, pence = by_month.get(month, (0, 0))
        query = filters.query(**{"from": start.isoformat(), "to": end.isoformat(), "page": ""})
        periods.append(Period(month.strftime("%b %Y"), pence, n, query))
        month = following
    return OverTime("month", periods)


@dataclass(frozen=True)
class PlaceShare:
    gss_code: str  # "" for flows attributed to no place
    name: str
    pence: int
    count: int


def flows_by_place(flows: QuerySet[MoneyFlow]) -> list[PlaceShare]:
    """The flows' money by the place it is attributed to, most first; flows of no place are one
    line. Says what a list that spans places covers."""
    rows = (
        flows.order_by()
        .values("place__gss_code", "place__name")
        .annotate(n=Count("*"), pence=Sum("amount_pence"))
        .values_list("place__gss_code", "place__name", "n", "pence")
    )
    merged: dict[str, PlaceShare] = {}
    for gss, name, n, pence in rows:
        key = gss or ""
        before = merged.get(key)
        merged[key] = PlaceShare(
            key,
            name or "",
            pence + (before.pence if before else 0),
            n + (before.count if before else 0),
        )
    return sorted(merged.values(), key=lambda share: (-share.pence, share.name))
