"""Which period a place profile covers, and how much of it each channel's data covers.

A profile is for one financial year (April to March) unless someone asks for a date range: sums
over periods that cannot be compared (two months of one year's spend, twelve years of grants)
say nothing. The default year is the latest in which some channel has flows in all twelve
months, else the latest with any flows (ADR 0028).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Max, Min, QuerySet, Sum
from django.db.models.functions import TruncMonth

from .models import Channel, MoneyFlow
from .parsing import financial_year_label

MONTHS_IN_YEAR = 12


class MonthStart(TruncMonth):
    """The first day of a date's month. On SQLite in the database's own date function: Django
    truncates there with a Python function called once a row, which made the month groupings of
    a place's 210,000 flows take most of its profile's time (ADR 0049)."""

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.lhs)
        return f"date({sql}, 'start of month')", params


def year_start(year: int) -> date:
    return date(year, 4, 1)


def year_end(year: int) -> date:
    return date(year + 1, 3, 31)


@dataclass(frozen=True)
class YearMonths:
    year: int
    channel: str
    months: int  # distinct calendar months with flows


def months_by_year(flows: QuerySet[MoneyFlow]) -> list[YearMonths]:
    """For each financial year and channel, how many of its months have flows."""
    # Grouped by month in the database and the months counted here: a COUNT(DISTINCT ...)
    # sorts every flow, this hashes them into a few hundred groups (ADR 0044).
    rows = (
        flows.values("financial_year", "channel", month=MonthStart("date"))
        .annotate(n=Count("*"))
        .values_list("financial_year", "channel", "month")
        .order_by()
    )
    counted: dict[tuple[int, str], int] = {}
    for year, channel, _month in rows:
        counted[(year, channel)] = counted.get((year, channel), 0) + 1
    return [YearMonths(y, c, n) for (y, c), n in sorted(counted.items())]


def years_with_data(found: list[YearMonths]) -> list[int]:
    return sorted({item.year for item in found}, reverse=True)


def default_year(found: list[YearMonths]) -> int | None:
    """The latest year some channel covers in full, else the latest with flows."""
    full = [item.year for item in found if item.months >= MONTHS_IN_YEAR]
    if full:
        return max(full)
    return max((item.year for item in found), default=None)


@dataclass(frozen=True)
class Coverage:
    """What one dataset of one channel holds in the period (and, across years, in one year)."""

    channel: str
    channel_label: str
    dataset: str
    year: int
    date_from: date
    date_to: date
    months: int
    flows: int
    payers: int
    pence: int

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)

    @property
    def full_year(self) -> bool:
        return self.months >= MONTHS_IN_YEAR


def coverage(flows: QuerySet[MoneyFlow]) -> list[Coverage]:
    """Each channel's datasets in these flows, a row a financial year, with the dates and the
    number of months they cover, how many flows and from how many payers."""
    labels = dict(Channel.choices)
    order = {c: i for i, c in enumerate(Channel.values)}
    found = [
        Coverage(
            channel,
            labels.get(channel, channel),
            dataset,
            year,
            part.first,
            part.last,
            len(part.months),
            part.n,
            len(part.payers),
            part.pence,
        )
        for (channel, dataset, year), part in _coverage_parts(flows).items()
    ]
    return sorted(found, key=lambda c: (-c.year, order.get(c.channel, 99), c.dataset))


@dataclass
class _Part:
    first: date
    last: date
    months: set[date] = field(default_factory=set)
    payers: set[str] = field(default_factory=set)
    n: int = 0
    pence: int = 0


def _coverage_parts(flows: QuerySet[MoneyFlow]) -> dict[tuple[str, str, int], _Part]:
    """The flows grouped in the database by dataset, year, payer and month (a few hundred
    groups, hashed, where distinct counts over every flow would sort them all), then merged
    here into a part a (channel, dataset, year), with its distinct months and payers."""
    rows = (
        flows.values("channel", "dataset", "financial_year", "payer_key", month=MonthStart("date"))
        .annotate(first=Min("date"), last=Max("date"), n=Count("*"), pence=Sum("amount_pence"))
        .values_list(
            "channel",
            "dataset",
            "financial_year",
            "payer_key",
            "month",
            "first",
            "last",
            "n",
            "pence",
        )
        .order_by()
    )
    parts: dict[tuple[str, str, int], _Part] = {}
    for channel, dataset, year, payer, month, first, last, n, pence in rows:
        part = parts.setdefault((channel, dataset, year), _Part(first, last))
        part.first, part.last = min(part.first, first), max(part.last, last)
        part.months.add(month)
        part.payers.add(payer)
        part.n += n
        part.pence += pence or 0
    return parts
