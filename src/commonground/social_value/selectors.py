"""Reads of the social value context, and the report: committed, verified, claimed-not-verified
and disputed figures per measure and theme, in units and (where a proxy or the unit allows) in
money, always apart."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from commonground.accounts.services import display_name
from commonground.core.spreadsheets import csv_text

from .models import (
    Commitment,
    Delivery,
    Evidence,
    EvidenceKind,
    Framework,
    Measure,
    Theme,
    Unit,
    ValueStatement,
    VerificationStatus,
)

ZERO = Decimal("0.00")
# The four figures, in the order they are always shown. Claimed figures are never summed
# with verified ones.
FIGURES = ("committed", "verified", "claimed", "disputed")
FIGURE_LABELS = {
    "committed": "Committed",
    "verified": "Verified",
    "claimed": "Claimed, not yet verified",
    "disputed": "Disputed",
}


def frameworks() -> QuerySet[Framework]:
    return Framework.objects.prefetch_related(
        Prefetch(
            "themes",
            queryset=Theme.objects.prefetch_related("outcomes__measures"),
        )
    )


def framework_by_slug(slug: str, version: str | None = None) -> Framework | None:
    found = Framework.objects.filter(slug=slug)
    if version:
        found = found.filter(version=version)
    return found.order_by("-loaded_at").first()


def default_framework() -> Framework | None:
    return Framework.objects.filter(is_default=True).order_by("-loaded_at").first()


def measures_for_choice() -> QuerySet[Measure]:
    return Measure.objects.select_related("framework", "outcome__theme").order_by(
        "framework__name", "framework__version", "outcome__theme__position", "position"
    )


def commitments_of(partnership: Any) -> QuerySet[Commitment]:
    return (
        Commitment.objects.filter(partnership=partnership)
        .select_related("measure__outcome__theme", "measure__framework", "committed_by__profile")
        .prefetch_related(
            Prefetch(
                "deliveries",
                queryset=Delivery.objects.select_related(
                    "claimed_by__profile", "decided_by__profile"
                ).prefetch_related("evidence"),
            )
        )
    )


def measure_by_id(pk: int) -> Measure | None:
    return Measure.objects.filter(pk=pk).first()


def commitment_by_id(pk: int, partnership: Any = None) -> Commitment | None:
    """A commitment with its partnership and measure; within `partnership` when given."""
    commitments = Commitment.objects.select_related("partnership", "measure").filter(pk=pk)
    if partnership is not None:
        commitments = commitments.filter(partnership=partnership)
    return commitments.first()


def file_evidence_of(partnership: Any, pk: int) -> Evidence | None:
    """An uploaded file held as evidence for one of the partnership's deliveries."""
    return (
        Evidence.objects.select_related("delivery__commitment__partnership")
        .filter(pk=pk, kind=EvidenceKind.FILE, delivery__commitment__partnership=partnership)
        .first()
    )


def delivery_for(pk: int) -> Delivery | None:
    return (
        Delivery.objects.select_related(
            "commitment__partnership",
            "commitment__measure",
            "claimed_by__profile",
            "decided_by__profile",
        )
        .prefetch_related("evidence")
        .filter(pk=pk)
        .first()
    )


def statements_of(partnership: Any) -> QuerySet[ValueStatement]:
    return ValueStatement.objects.filter(partnership=partnership).select_related("author__profile")


def money_pence(quantity: Decimal, measure: Measure) -> int | None:
    """A quantity's money value in pence: through the measure's proxy, or at face value for a
    measure counted in pounds; None where neither applies. Rounded once, half up, to the
    penny."""
    if measure.unit == Unit.POUNDS:
        return int((quantity * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if measure.proxy_value_pence is None:
        return None
    return int((quantity * measure.proxy_value_pence).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def money_basis(measure: Measure) -> str:
    if measure.unit == Unit.POUNDS:
        return "counted in pounds"
    if measure.proxy_value_pence is None:
        return "no proxy value"
    return f"proxy £{measure.proxy_value_pence / 100:,.2f} a {measure.unit.rstrip('s')}" + (
        f" ({measure.proxy_source}, {measure.proxy_version})"
    )


@dataclass
class MeasureLine:
    measure: Measure
    units: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(FIGURES, ZERO))
    money: dict[str, int] | None = None

    @property
    def has_money(self) -> bool:
        return self.money is not None

    @property
    def basis(self) -> str:
        return money_basis(self.measure)

    def bar(self, figure: str) -> int:
        """Length of a figure's bar, 0–300, against the largest figure of this measure."""
        top = max(self.units.values()) or Decimal(1)
        return int((self.units[figure] / top * 300).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def bars(self) -> list[tuple[str, str, Decimal, int, int]]:
        """(figure, label, quantity, bar length, y position) for the chart."""
        return [
            (name, FIGURE_LABELS[name], self.units[name], self.bar(name), 8 + i * 26)
            for i, name in enumerate(FIGURES)
        ]


@dataclass
class ThemeLine:
    theme: Theme
    measures: list[MeasureLine] = field(default_factory=list)

    @property
    def money(self) -> dict[str, int] | None:
        with_money = [m.money for m in self.measures if m.money is not None]
        if not with_money:
            return None
        return {f: sum(m[f] for m in with_money) for f in FIGURES}

    @property
    def measures_without_money(self) -> int:
        return sum(1 for m in self.measures if m.money is None)


@dataclass
class Report:
    themes: list[ThemeLine]
    statements: list[ValueStatement]
    delivery_counts: dict[str, int]

    @property
    def money(self) -> dict[str, int] | None:
        with_money = [t.money for t in self.themes if t.money is not None]
        if not with_money:
            return None
        return {f: sum(m[f] for m in with_money) for f in FIGURES}

    @property
    def measure_lines(self) -> list[MeasureLine]:
        return [m for t in self.themes for m in t.measures]


def social_value_report(partnership: Any) -> Report:
    lines: dict[int, MeasureLine] = {}
    counts: dict[str, int] = dict.fromkeys(VerificationStatus.values, 0)
    for commitment in commitments_of(partnership):
        line = lines.setdefault(commitment.measure_id, MeasureLine(commitment.measure))
        line.units["committed"] += commitment.quantity
        for delivery in commitment.deliveries.all():
            counts[delivery.status] += 1
            figure = {
                VerificationStatus.VERIFIED: "verified",
                VerificationStatus.DISPUTED: "disputed",
            }.get(delivery.status, "claimed")  # type: ignore[call-overload]
            line.units[figure] += delivery.quantity
    by_theme: dict[int, ThemeLine] = {}
    ordered = sorted(
        lines.values(),
        key=lambda m: (
            m.measure.framework.name,
            m.measure.outcome.theme.position,
            m.measure.outcome.position,
            m.measure.position,
        ),
    )
    for line in ordered:
        # Sum the quantities first, then convert once: the money is exact to the penny.
        values = {f: money_pence(q, line.measure) for f, q in line.units.items()}
        if all(v is not None for v in values.values()):
            line.money = {f: int(v or 0) for f, v in values.items()}
        theme = line.measure.outcome.theme
        by_theme.setdefault(theme.pk, ThemeLine(theme)).measures.append(line)
    return Report(
        themes=list(by_theme.values()),
        statements=list(statements_of(partnership)),
        delivery_counts=counts,
    )


def pounds(pence: int | None) -> str:
    return "" if pence is None else f"{Decimal(pence) / 100:.2f}"


REPORT_CSV_COLUMNS = [
    "framework",
    "framework_version",
    "theme",
    "outcome",
    "measure_code",
    "measure",
    "unit",
    *(f"{f}_quantity" for f in FIGURES),
    *(f"{f}_gbp" for f in FIGURES),
    "money_basis",
]


def report_csv_rows(report: Report) -> Iterator[list[str]]:
    """One row a measure: every figure in units and, where it applies, in pounds."""
    for line in report.measure_lines:
        m = line.measure
        yield [
            m.framework.name,
            m.framework.version,
            m.outcome.theme.name,
            m.outcome.name,
            m.code,
            m.name,
            m.unit,
            *(f"{line.units[f]:.2f}" for f in FIGURES),
            *(pounds(line.money[f]) if line.money else "" for f in FIGURES),
            line.basis,
        ]


def report_csv(report: Report) -> str:
    return csv_text(REPORT_CSV_COLUMNS, report_csv_rows(report))


def statements_by_perspective(report: Report) -> dict[str, list[ValueStatement]]:
    grouped: dict[str, list[ValueStatement]] = defaultdict(list)
    for statement in report.statements:
        grouped[statement.perspective].append(statement)
    return dict(grouped)


def author_name(user: Any) -> str:
    return display_name(user)
