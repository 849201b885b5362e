"""Reads of the money ledger: the place profile and an organisation's money (the flows behind
each figure are read in flows.py). Every figure is computed in the database from integer pence,
so the parts add up to the totals exactly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Max, QuerySet, Sum

from commonground.core.page_cache import cached_derived
from commonground.imports.models import ImportRun, ImportStatus
from commonground.organisations.models import Organisation, Sector
from commonground.places.models import Place, PlaceKind

from .flows import (
    LINK_LABELS,
    NO_WARD,
    NOT_LINKED,
    SECTOR_LABELS,
    SOCIAL_ECONOMY,
    WITHHELD,
    FlowFilters,
    filtered_flows,
    place_version_ids,
)
from .linking import LINKED_METHODS
from .models import Channel, LinkMethod, MoneyFlow
from .parsing import financial_year_label
from .periods import Coverage, coverage, default_year, months_by_year, years_with_data
from .profile_parts import (
    Attribution,
    Comparison,
    Figure,
    ThisYear,
    _share,
    attribution_from_groups,
    comparison,
    unmapped_grants,
)

__all__ = [
    "NOT_LINKED",
    "NO_WARD",
    "SOCIAL_ECONOMY",
    "WITHHELD",
    "Figure",
    "FlowFilters",
    "filtered_flows",
]

TOP_PER_SECTOR = 5


# The place profile --------------------------------------------------------------------


@dataclass
class Recipient:
    name: str
    org_id: str  # "" when not linked
    key: str
    sector: str
    pence: int
    count: int
    flows_query: str


@dataclass
class WardFigure:
    ward: Place
    pence: int
    count: int
    flows_query: str
    band: int = 0  # 0 (none) .. 4 (most), for the map's shading


@dataclass
class NotLoaded:
    run: ImportRun
    rejected: int


@dataclass
class PlaceProfile:
    place: Place
    filters: FlowFilters
    total: Figure
    by_channel: list[Figure]
    by_year: list[Figure]
    by_channel_year: list[tuple[str, list[Figure]]]  # (year label, a figure per channel)
    by_sector: list[Figure]
    by_locality: list[Figure]
    distinct_recipients: int
    distinct_organisations: int
    hhi: float  # Herfindahl–Hirschman index, 0..10,000, over recipients of positive totals
    top_by_sector: list[tuple[Figure, list[Recipient]]]
    grants_by_ward: list[WardFigure]
    not_linked: list[Figure]
    not_linked_total: Figure
    not_loaded: list[NotLoaded] = field(default_factory=list)
    channels: list[tuple[str, str]] = field(default_factory=list)
    coverage: list[Coverage] = field(default_factory=list)
    attribution: Attribution | None = None
    grants_unmapped: Figure | None = None  # grant money that names no ward of the place
    grants_total: Figure | None = None
    comparison: list[Comparison] = field(default_factory=list)
    previous_year: int | None = None

    @property
    def financial_year(self) -> int | None:
        return self.filters.financial_year

    @property
    def year_label(self) -> str:
        year = self.filters.financial_year
        return financial_year_label(year) if year is not None else ""

    @property
    def not_loaded_rows(self) -> int:
        return sum(item.rejected for item in self.not_loaded)


def _area_filters(place: Place, **values: Any) -> FlowFilters:
    """A ward's flows are its local authority's whose ward (the flow's, else its recipient's) is
    the ward: the same rule as the authority's grants by ward, so the two profiles agree."""
    if place.kind == PlaceKind.WARD and place.parent is not None:
        return FlowFilters(place=place.parent.gss_code, ward=place.gss_code, **values)
    return FlowFilters(place=place.gss_code, **values)


def profile_years(place: Place) -> tuple[list[int], int | None]:
    """The financial years with flows for the place, latest first, and the one a profile shows
    when none is asked for (the latest some channel covers in full, else the latest)."""

    def compute() -> tuple[list[int], int | None]:
        found = months_by_year(filtered_flows(_area_filters(place)))
        return years_with_data(found), default_year(found)

    return cached_derived("place-profile-years", (place.pk, place.gss_code), compute)


def place_profile(
    place: Place,
    date_from: date | None = None,
    date_to: date | None = None,
    financial_year: int | None = None,
) -> PlaceProfile:
    """The place's money profile, for one financial year, a date range, or (neither) all flows.
    Derived from public data only, so it is kept in the shared cache under the public data
    generation, which an import or a link decision replaces."""
    return cached_derived(
        "place-profile",
        (place.pk, place.gss_code, date_from, date_to, financial_year),
        lambda: _place_profile(place, date_from, date_to, financial_year),
    )


def _place_profile(
    place: Place, date_from: date | None, date_to: date | None, financial_year: int | None = None
) -> PlaceProfile:
    filters = _area_filters(
        place, date_from=date_from, date_to=date_to, financial_year=financial_year
    )
    flows = filtered_flows(filters)
    place_ids = set(place_version_ids(filters.place))
    groups, datasets, attribution_rows = _flow_groups(flows, place_ids)
    total_pence = sum(g[6] for g in groups)
    total_count = sum(g[5] for g in groups)

    channel_sum, year_sum, channel_year, sector_sum, local_sum, method_sum = _group_sums(groups)

    def figure(label: str, key: str, entry: list[int], **query: Any) -> Figure:
        return Figure(
            label, entry[1], entry[0], filters.query(**query), _share(entry[1], total_pence), key
        )

    channel_labels = dict(Channel.choices)
    by_channel = [
        figure(channel_labels[c], c, channel_sum[c], channel=c)
        for c in Channel.values
        if c in channel_sum
    ]
    years = sorted(year_sum)
    by_year = [figure(financial_year_label(y), str(y), year_sum[y], year=y) for y in years]
    present = [c for c in Channel.values if c in channel_sum]
    by_channel_year = [
        (
            financial_year_label(y),
            [
                figure(channel_labels[c], c, channel_year.get((y, c), [0, 0]), channel=c, year=y)
                for c in present
            ],
        )
        for y in years
    ]
    sector_order = [*(s.value for s in Sector), NOT_LINKED, WITHHELD]
    by_sector = [
        figure(SECTOR_LABELS[s], s, sector_sum[s], sector=s)
        for s in sorted(sector_sum, key=lambda s: -sector_sum[s][1])
        if s in sector_order
    ]
    by_locality = _locality_figures(place, local_sum, figure)
    not_linked, not_linked_entry = _not_linked_figures(method_sum, figure)

    recipients, distinct_organisations = _recipients(flows)
    hhi = _hhi([r.pence for r in recipients])
    top = _top_by_sector(by_sector, recipients)
    _name_recipients(flows, filters, [r for _, rs in top for r in rs])
    profile = PlaceProfile(
        place=place,
        filters=filters,
        total=Figure(
            "All money", total_pence, total_count, filters.query(), 1.0 if total_pence else None
        ),
        by_channel=by_channel,
        by_year=by_year,
        by_channel_year=by_channel_year,
        by_sector=by_sector,
        by_locality=by_locality,
        distinct_recipients=len(recipients),
        distinct_organisations=distinct_organisations,
        hhi=hhi,
        top_by_sector=top,
        grants_by_ward=_grants_by_ward(place, flows, filters)
        if place.kind != PlaceKind.WARD
        else [],
        not_linked=not_linked,
        not_linked_total=figure("Not linked", "unlinked", not_linked_entry, link="unlinked"),
        not_loaded=_not_loaded(datasets),
        channels=[(c, channel_labels[c]) for c in present],
        coverage=coverage(flows),
        attribution=attribution_from_groups(attribution_rows, filters),
    )
    _add_year_parts(profile)
    return profile


_Group = tuple[Any, ...]


_FLOW_GROUP_FIELDS = (
    "channel",
    "financial_year",
    "recipient_sector",
    "recipient_link_method",
    "recipient_local_authority_id",
    "dataset",
    "recipient_attribution",
    "recipient_form_rule",
)


def _flow_groups(
    flows: QuerySet[MoneyFlow], place_ids: set[int]
) -> tuple[list[_Group], set[str], list[_Group]]:
    """The place's flows grouped by (channel, year, sector, link method, whether the recipient
    is based in the place), each with its count and pence; the datasets they come from; and
    the rows the attribution is counted from (level, rule, sector, count, pence)."""
    # One grouped read of the place's flows gives every figure but the recipients, the wards
    # and the coverage: the year's flows are read once for all of them (issue 19).
    rows = (
        flows.values(*_FLOW_GROUP_FIELDS)
        .annotate(n=Count("*"), pence=Sum("amount_pence"))
        .values_list(*_FLOW_GROUP_FIELDS, "n", "pence")
        .order_by()
    )
    merged: dict[tuple[Any, ...], list[int]] = {}
    datasets: set[str] = set()
    attribution_rows: list[_Group] = []
    for channel, year, sector, method, la, dataset, level, rule, n, pence in rows:
        datasets.add(dataset)
        attribution_rows.append((level, rule, sector, n, pence))
        is_local = 2 if method not in LINKED_METHODS else (1 if la in place_ids else 0)
        entry = merged.setdefault((channel, year, sector, method, is_local), [0, 0])
        entry[0] += n
        entry[1] += pence
    groups = [(*key, n, pence) for key, (n, pence) in merged.items()]
    return groups, datasets, attribution_rows


def _group_sums(
    groups: list[_Group],
) -> tuple[
    dict[str, list[int]],
    dict[int, list[int]],
    dict[tuple[int, str], list[int]],
    dict[str, list[int]],
    dict[int, list[int]],
    dict[str, list[int]],
]:
    """[count, pence] by channel, by year, by (year, channel), by sector, by locality and,
    for flows not linked, by link method."""

    def add(bucket: dict[Any, list[int]], key: Any, n: int, pence: int) -> None:
        entry = bucket.setdefault(key, [0, 0])
        entry[0] += n
        entry[1] += pence

    channel_sum: dict[str, list[int]] = {}
    year_sum: dict[int, list[int]] = {}
    channel_year: dict[tuple[int, str], list[int]] = {}
    sector_sum: dict[str, list[int]] = {}
    local_sum: dict[int, list[int]] = {}
    method_sum: dict[str, list[int]] = {}
    for channel, year, sector, method, is_local, n, pence in groups:
        linked = method in LINKED_METHODS
        add(channel_sum, channel, n, pence)
        add(year_sum, year, n, pence)
        add(channel_year, (year, channel), n, pence)
        if method == LinkMethod.REDACTED:
            sector_key = WITHHELD
        elif linked:
            sector_key = sector or Sector.UNKNOWN.value
        else:
            sector_key = NOT_LINKED
        add(sector_sum, sector_key, n, pence)
        add(local_sum, is_local if linked else 2, n, pence)
        if not linked:
            add(method_sum, method or "", n, pence)

    return channel_sum, year_sum, channel_year, sector_sum, local_sum, method_sum


def _locality_figures(
    place: Place, local_sum: dict[int, list[int]], figure: Callable[..., Figure]
) -> list[Figure]:
    """Money to organisations based in the place, based elsewhere, and not known."""
    locality_labels = {
        1: (f"Organisations based in {place.name}", "yes"),
        0: ("Organisations based elsewhere", "elsewhere"),
        2: ("Not known (recipient not linked)", "unknown"),
    }
    return [
        figure(label, param, local_sum[k], local=param)
        for k, (label, param) in locality_labels.items()
        if k in local_sum
    ]


def _not_linked_figures(
    method_sum: dict[str, list[int]], figure: Callable[..., Figure]
) -> tuple[list[Figure], list[int]]:
    """Money to recipients not linked, by why not, largest first; and its [count, pence]."""
    not_linked = [
        figure(LINK_LABELS.get(m, m), m or "none", method_sum[m], link=m or "unlinked")
        for m in sorted(method_sum, key=lambda m: -method_sum[m][1])
    ]
    not_linked_entry = [
        sum(v[0] for v in method_sum.values()),
        sum(v[1] for v in method_sum.values()),
    ]
    return not_linked, not_linked_entry


def _top_by_sector(
    by_sector: list[Figure], recipients: list[Recipient]
) -> list[tuple[Figure, list[Recipient]]]:
    """Each sector's figure with its largest recipients (withheld recipients are not named)."""
    top: list[tuple[Figure, list[Recipient]]] = []
    for sector_figure in by_sector:
        if sector_figure.key == WITHHELD:
            continue
        in_sector = [r for r in recipients if r.sector == sector_figure.key]
        top.append((sector_figure, in_sector[:TOP_PER_SECTOR]))
    return top


def _add_year_parts(profile: PlaceProfile) -> None:
    grants = next((f for f in profile.by_channel if f.key == Channel.GRANT), None)
    if profile.grants_by_ward and grants is not None:
        profile.grants_total = grants
        profile.grants_unmapped = unmapped_grants(
            grants,
            sum(w.count for w in profile.grants_by_ward),
            sum(w.pence for w in profile.grants_by_ward),
            profile.filters,
        )
    if profile.attribution is not None:
        profile.previous_year, profile.comparison = comparison(
            ThisYear(
                profile.filters,
                profile.place.name,
                profile.total,
                profile.by_channel,
                next((f for f in profile.by_locality if f.key == "yes"), None),
                profile.attribution,
            )
        )


def _recipients(flows: QuerySet[MoneyFlow]) -> tuple[list[Recipient], int]:
    """Recipients by total received, largest first: a linked organisation counts once however
    many names it was paid under; an unlinked name counts once per source. Withheld names are
    left out (they stand for many people). Names and links are filled in later, for the few
    that are shown."""
    rows = (
        flows.exclude(recipient_link_method=LinkMethod.REDACTED)
        .values("recipient_organisation_id", "recipient_key")
        .annotate(n=Count("*"), pence=Sum("amount_pence"), sector=Max("recipient_sector"))
        .values_list("recipient_organisation_id", "recipient_key", "n", "pence", "sector")
        .order_by()
    )
    by_org: dict[int, list[Any]] = {}
    unlinked: dict[str, list[Any]] = {}
    for org, key, n, pence, sector in rows:
        if org is not None:
            entry = by_org.setdefault(org, [0, 0, sector or Sector.UNKNOWN.value])
        else:
            entry = unlinked.setdefault(key, [0, 0, NOT_LINKED])
        entry[0] += n
        entry[1] += pence
    result = [
        Recipient("", str(pk), "", sector, pence, n, "")
        for pk, (n, pence, sector) in by_org.items()
    ]
    result += [
        Recipient("", "", key, sector, pence, n, "") for key, (n, pence, sector) in unlinked.items()
    ]
    result.sort(key=lambda r: (-r.pence, r.key, r.org_id))
    return result, len(by_org)


def _name_recipients(
    flows: QuerySet[MoneyFlow], filters: FlowFilters, recipients: list[Recipient]
) -> None:
    """Names, org-ids and flows links for the recipients shown (org_id holds the pk until
    then)."""
    org_pks = [int(r.org_id) for r in recipients if r.org_id]
    orgs = {o.pk: o for o in Organisation.objects.filter(pk__in=org_pks).only("org_id", "name")}
    keys = [r.key for r in recipients if not r.org_id]
    names = dict(
        flows.filter(recipient_key__in=keys)
        .values_list("recipient_key", "recipient_name")
        .order_by()
        .distinct()
    )
    for recipient in recipients:
        if recipient.org_id:
            org = orgs.get(int(recipient.org_id))
            recipient.org_id = org.org_id if org else ""
            recipient.name = org.name if org else "Organisation no longer in the atlas"
            recipient.flows_query = filters.query(recipient=recipient.org_id)
        else:
            recipient.name = names.get(recipient.key, recipient.key)
            recipient.flows_query = filters.query(recipient_key=recipient.key)


def _hhi(amounts: list[int]) -> float:
    """Sum of squared market shares in percent (0..10,000), over positive totals."""
    positive = [a for a in amounts if a > 0]
    total = sum(positive)
    if not total:
        return 0.0
    return round(sum((a * 100 / total) ** 2 for a in positive), 1)


def _grants_by_ward(
    place: Place, flows: QuerySet[MoneyFlow], filters: FlowFilters
) -> list[WardFigure]:
    wards = {
        w.pk: w
        for w in Place.objects.filter(
            kind=PlaceKind.WARD, parent__gss_code=place.gss_code, end_date__isnull=True
        )
    }
    # Grouped by the flow's ward and recipient from one index (money_flow_place_grants); the
    # ward of a grant without one is its recipient's, looked up for those recipients only.
    rows = list(
        flows.filter(channel=Channel.GRANT)
        .values("ward_id", "recipient_organisation_id")
        .annotate(n=Count("*"), pence=Sum("amount_pence"))
        .values_list("ward_id", "recipient_organisation_id", "n", "pence")
        .order_by()
    )
    needed = {org for ward, org, _, _ in rows if ward is None and org is not None}
    org_ward = dict(Organisation.objects.filter(pk__in=sorted(needed)).values_list("pk", "ward_id"))
    found: dict[int, tuple[int, int]] = {}
    for ward_id, org, n, pence in rows:
        placed = ward_id if ward_id is not None else org_ward.get(org)
        if placed in wards:
            count, total = found.get(placed, (0, 0))
            found[placed] = (count + n, total + pence)
    top = max((p for _, p in found.values()), default=0)
    result = []
    for pk, ward in sorted(wards.items(), key=lambda item: item[1].name):
        n, pence = found.get(pk, (0, 0))
        band = 0 if pence <= 0 or not top else min(4, 1 + int(4 * pence / (top + 1)))
        result.append(
            WardFigure(ward, pence, n, filters.query(channel="grant", ward=ward.gss_code), band)
        )
    return result


def _not_loaded(datasets: set[str]) -> list[NotLoaded]:
    """The latest successful import of each file of the datasets behind these flows, where it
    rejected rows."""
    latest: dict[tuple[str, str], ImportRun] = {}
    # Money comes from published files, never private uploads; public() keeps it so (ADR 0062).
    runs = ImportRun.objects.public().filter(
        dataset__in=sorted(datasets), status__in=ImportStatus.loaded()
    )
    for run in runs.order_by("started_at", "pk"):
        latest[(run.dataset, run.source)] = run
    return [NotLoaded(run, run.rows_rejected) for run in latest.values() if run.rows_rejected]
