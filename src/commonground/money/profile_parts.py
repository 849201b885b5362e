"""Parts of the place profile beyond its grouped totals: attribution levels and the social
economy's range (ADR 0028), the grants that name no ward, and the comparison with the year
before. Every figure carries the filters of the flows behind it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count, QuerySet, Sum

from . import attribution as attr
from .flows import NO_WARD, SOCIAL_ECONOMY, FlowFilters, filtered_flows, place_version_ids
from .models import Channel, MoneyFlow


@dataclass
class Figure:
    label: str
    pence: int
    count: int
    flows_query: str  # the query string of the flows behind the figure
    share: float | None = None  # of the profile's total, 0..1
    key: str = ""


def _share(pence: int, total: int) -> float | None:
    return pence / total if total else None


@dataclass
class Inferred:
    figure: Figure
    rule: attr.Rule
    form: attr.LegalForm


@dataclass
class Attribution:
    """The money by how its recipient is attributed: register, inferred (by rule), unknown; and
    the social economy's share as a range, never one figure hiding the unknown (ADR 0028)."""

    levels: list[Figure]  # register, inferred, unknown: always all three, in that order
    inferred: list[Inferred]  # the inferred money, a figure a rule
    social_register: Figure  # register-level money reaching the social economy's sectors
    total_pence: int

    def level(self, code: str) -> Figure:
        return next(f for f in self.levels if f.key == code)

    @property
    def social_inferred(self) -> list[Inferred]:
        return [i for i in self.inferred if i.form.sector in attr.SOCIAL_ECONOMY]

    @property
    def at_least(self) -> float | None:
        return _share(self.social_register.pence, self.total_pence)

    @property
    def up_to(self) -> float | None:
        inferred = sum(i.figure.pence for i in self.social_inferred)
        return _share(self.social_register.pence + inferred, self.total_pence)


@dataclass
class Comparison:
    """One measure this year beside the year before."""

    label: str
    this: Figure
    last: Figure
    as_share: bool = False  # compare the shares, not the amounts

    @property
    def change(self) -> float | None:
        if self.as_share:
            if self.this.share is None or self.last.share is None:
                return None
            return self.this.share - self.last.share
        return self.this.pence - self.last.pence


def _entry_figure(
    filters: FlowFilters, label: str, key: str, entry: list[int], total: int, **query: Any
) -> Figure:
    return Figure(label, entry[1], entry[0], filters.query(**query), _share(entry[1], total), key)


ATTRIBUTION_FIELDS = ("recipient_attribution", "recipient_form_rule", "recipient_sector")


def attribution(flows: QuerySet[MoneyFlow], filters: FlowFilters) -> Attribution:
    """The flows' money by attribution level and inference rule, from one grouped scan of the
    level and rule stored on each flow (ADR 0034): the fields the flows filter reads, so each
    figure's flows add up to it."""
    rows = (
        flows.values(*ATTRIBUTION_FIELDS)
        .annotate(n=Count("*"), pence=Sum("amount_pence"))
        .values_list(*ATTRIBUTION_FIELDS, "n", "pence")
        .order_by()
    )
    return attribution_from_groups(rows, filters)


def attribution_from_groups(
    rows: Iterable[tuple[str, str, str, int, int]], filters: FlowFilters
) -> Attribution:
    """The attribution of flows grouped by level, rule and sector (and perhaps more): rows of
    (level, rule, sector, count, pence), where rows with the same three are added up."""
    register_entry = [0, 0]
    social_entry = [0, 0]
    by_rule: dict[str, list[int]] = {}
    unknown = [0, 0]
    for level, rule, sector, n, pence in rows:
        if level == attr.REGISTER:
            entries = [register_entry]
            if sector in attr.SOCIAL_ECONOMY:
                entries.append(social_entry)
        elif level == attr.INFERRED:
            entries = [by_rule.setdefault(rule, [0, 0])]
        else:
            entries = [unknown]
        for entry in entries:
            entry[0] += n
            entry[1] += pence or 0
    inferred_entry = [sum(e[0] for e in by_rule.values()), sum(e[1] for e in by_rule.values())]
    total = register_entry[1] + inferred_entry[1] + unknown[1]
    labels = attr.LEVEL_LABELS

    def fig(label: str, key: str, entry: list[int], **query: Any) -> Figure:
        return _entry_figure(filters, label, key, entry, total, **query)

    forms = attr.legal_forms()
    return Attribution(
        levels=[
            fig(labels[attr.REGISTER], attr.REGISTER, register_entry, attribution=attr.REGISTER),
            fig(labels[attr.INFERRED], attr.INFERRED, inferred_entry, attribution=attr.INFERRED),
            fig(labels[attr.UNKNOWN], attr.UNKNOWN, unknown, attribution=attr.UNKNOWN),
        ],
        inferred=[
            Inferred(
                fig(forms[rule.form].label, rule.code, by_rule[rule.code], rule=rule.code),
                rule,
                forms[rule.form],
            )
            for rule in attr.rules()
            if rule.code in by_rule
        ],
        # An inferred flow whose rule is no longer in the rules file (until attribute_money
        # runs) still counts in the inferred level; it has no line of its own.
        social_register=fig(
            "Social economy (register)", SOCIAL_ECONOMY, social_entry, sector=SOCIAL_ECONOMY
        ),
        total_pence=total,
    )


def unmapped_grants(
    grants: Figure, mapped_count: int, mapped_pence: int, filters: FlowFilters
) -> Figure:
    """Grant money that names no ward of the place, said beside the grants by ward."""
    pence = grants.pence - mapped_pence
    return Figure(
        "Grant money that names no ward",
        pence,
        grants.count - mapped_count,
        filters.query(channel=Channel.GRANT, ward=NO_WARD),
        _share(pence, grants.pence),
        NO_WARD,
    )


@dataclass(frozen=True)
class ThisYear:
    """What the comparison needs of the year shown."""

    filters: FlowFilters
    place_name: str
    total: Figure
    by_channel: list[Figure]
    local: Figure | None
    attribution: Attribution


def comparison(this: ThisYear) -> tuple[int | None, list[Comparison]]:
    """This financial year beside the one before: totals by channel, the local share, the
    social economy's range and the unknown share (each figure with its flows)."""
    year = this.filters.financial_year
    if year is None:
        return None, []
    last_filters = replace(this.filters, financial_year=year - 1)
    last_year = _LastYear(last_filters)
    last_total = last_year.total
    if not last_total[0]:
        return None, []
    this_total = this.total.pence

    def last(label: str, key: str, entry: list[int], **query: Any) -> Figure:
        return _entry_figure(last_filters, label, key, entry, last_total[1], **query)

    rows = [Comparison("All money", this.total, last("All money", "", last_total))]
    for code, label in Channel.choices:
        found = next((f for f in this.by_channel if f.key == code), None)
        last_entry = last_year.by_channel.get(code, [0, 0])
        if found is None and not last_entry[0]:
            continue
        found = found or _entry_figure(this.filters, label, code, [0, 0], this_total, channel=code)
        rows.append(Comparison(label, found, last(label, code, last_entry, channel=code)))
    rows.append(
        Comparison(
            f"Share to organisations based in {this.place_name}",
            this.local or _entry_figure(this.filters, "", "yes", [0, 0], this_total, local="yes"),
            last("", "yes", last_year.local, local="yes"),
            True,
        )
    )
    last_attribution = attribution_from_groups(last_year.attribution_rows, last_filters)
    rows.append(
        Comparison(
            "Social economy, at least (register)",
            this.attribution.social_register,
            last_attribution.social_register,
            True,
        )
    )
    rows.append(
        Comparison(
            "Recipient unknown",
            this.attribution.level(attr.UNKNOWN),
            last_attribution.level(attr.UNKNOWN),
            True,
        )
    )
    return year - 1, rows


class _LastYear:
    """The year before's flows in one grouped read: the count and pence in all, by channel and
    to organisations based in the place (the flows filter's `local=yes`), and the rows the
    attribution is counted from."""

    def __init__(self, filters: FlowFilters) -> None:
        local_ids = set(place_version_ids(filters.place)) if filters.place else set()
        self.total = [0, 0]
        self.local = [0, 0]
        self.by_channel: dict[str, list[int]] = {}
        self.attribution_rows: list[tuple[str, str, str, int, int]] = []
        fields = ("channel", "recipient_local_authority_id", *ATTRIBUTION_FIELDS)
        grouped = (
            filtered_flows(filters)
            .values(*fields)
            .annotate(n=Count("*"), pence=Sum("amount_pence"))
            .values_list(*fields, "n", "pence")
            .order_by()
        )
        for channel, local_authority, level, rule, sector, n, pence in grouped:
            entries = [self.total, self.by_channel.setdefault(channel, [0, 0])]
            if local_authority in local_ids:
                entries.append(self.local)
            for entry in entries:
                entry[0] += n
                entry[1] += pence or 0
            self.attribution_rows.append((level, rule, sector, n, pence))
