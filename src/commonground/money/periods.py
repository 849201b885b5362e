"""Which period a place profile covers, and how much of it each channel's data covers.

A profile is for one financial year (April to March) unless someone asks for a date range: sums
over periods that cannot be compared (two months of one year's spend, twelve years of grants)
say nothing. The default year is the latest in which some channel has flows in all twelve
months, else the latest with any flows (ADR 0028).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Min, QuerySet, Sum
from django.db.models.functions import TruncMonth

from .models import Channel, MoneyFlow
from .parsing import financial_year_label

MONTHS_IN_YEAR = 12


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
    rows = (
        flows.values("financial_year", "channel")
        .annotate(months=Count(TruncMonth("date"), distinct=True))
        .values_list("financial_year", "channel", "months")
        .order_by()
    )
    counted = {(year, channel): months for year, channel, months in rows}
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
    totals = (
        flows.values("channel", "dataset", "financial_year")
        .annotate(
            first=Min("date"),
            last=Max("date"),
            months=Count(TruncMonth("date"), distinct=True),
            n=Count("*"),
            payers=Count("payer_key", distinct=True),
            pence=Sum("amount_pence"),
        )
        .values_list(
            "channel",
            "dataset",
            "financial_year",
            "first",
            "last",
            "months",
            "n",
            "payers",
            "pence",
        )
        .order_by()
    )
    order = {c: i for i, c in enumerate(Channel.values)}
    found = [
        Coverage(
            channel,
            labels.get(channel, channel),
            dataset,
            year,
            first,
            last,
            months,
            n,
            payers,
            pence or 0,
        )
        for channel, dataset, year, first, last, months, n, payers, pence in totals
    ]
    return sorted(found, key=lambda c: (-c.year, order.get(c.channel, 99), c.dataset))
