"""A column chart of money over time, drawn as SVG on the server (no script, no inline styles
under the content security policy). Its figures are also given as a table beside it, and the
chart's description says what it shows, so nothing is known from the picture alone."""

from __future__ import annotations

from dataclasses import dataclass

from .flows import OverTime

WIDTH = 640
HEIGHT = 220
LEFT = 64  # room for the amount labels
BOTTOM = 36  # room for the period labels
TOP = 10
MAX_LABELS = 8  # period labels shown under the axis; the others are in each bar's title


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    width: float
    height: float
    label: str
    title: str  # the period and its figure, read by a pointer or screen reader
    flows_query: str
    show_label: bool
    label_x: float


@dataclass(frozen=True)
class Tick:
    y: float
    text: str


@dataclass(frozen=True)
class TimeChart:
    width: int
    height: int
    left: int
    baseline: float
    columns: list[Column]
    ticks: list[Tick]
    description: str


def short_pounds(pence: int) -> str:
    """An axis label: £1.2bn, £95.9m, £12k, £500."""
    pounds = pence / 100
    sign = "-" if pounds < 0 else ""
    pounds = abs(pounds)
    for size, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if pounds >= size:
            return f"{sign}£{pounds / size:.3g}{suffix}"
    return f"{sign}£{pounds:.0f}"


def _pounds(pence: int) -> str:
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}£{whole:,}.{part:02d}"


def time_chart(over_time: OverTime) -> TimeChart | None:
    """The chart's geometry, or None when there is nothing to draw. A period whose flows add up
    to less than nothing (refunds) draws no column; the table gives its figure."""
    periods = over_time.periods
    if not periods:
        return None
    top = max(max(p.pence for p in periods), 1)
    plot_width = WIDTH - LEFT - 28
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_height
    slot = plot_width / len(periods)
    gap = min(slot * 0.2, 8)
    every = max(1, -(-len(periods) // MAX_LABELS))
    columns = []
    for index, period in enumerate(periods):
        height = plot_height * max(period.pence, 0) / top
        x = LEFT + index * slot + gap / 2
        columns.append(
            Column(
                x=round(x, 1),
                y=round(baseline - height, 1),
                width=round(slot - gap, 1),
                height=round(height, 1),
                label=period.label,
                title=f"{period.label}: {_pounds(period.pence)} in {period.count:,} "
                f"flow{'' if period.count == 1 else 's'}",
                flows_query=period.flows_query,
                show_label=index % every == 0,
                label_x=round(x + (slot - gap) / 2, 1),
            )
        )
    ticks = [
        Tick(round(baseline - plot_height * share, 1), short_pounds(round(top * share)))
        for share in (0, 0.5, 1)
    ]
    highest = max(periods, key=lambda p: p.pence)
    description = (
        f"Money by {over_time.unit}, {periods[0].label} to {periods[-1].label}. "
        f"The most was {_pounds(highest.pence)} in {highest.label}."
    )
    return TimeChart(WIDTH, HEIGHT, LEFT, baseline, columns, ticks, description)
