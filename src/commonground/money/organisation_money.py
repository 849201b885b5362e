"""An organisation's money: what it received (by payer, channel and year) and paid, as its page
shows it (registered as a part of the organisation's page, ADR 0021).

A supplier's share of an award shared by several suppliers is shown as such, never as a
contract value of its own: "one of 6 suppliers of a £579,093 award (2019–22); equal share
£96,515.50" (ADR 0028).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum

from commonground.organisations.models import Organisation

from .models import Channel, MoneyFlow
from .parsing import financial_year_label

SHARED = Q(attributes__shared_award=True)
# Written out, not ~SHARED: a flow without the key would compare as NULL and the negation would
# drop it too, so every grant and spend line (which never carry the key) would vanish.
NOT_SHARED = ~Q(attributes__has_key="shared_award") | Q(attributes__shared_award=False)


@dataclass
class MoneyRow:
    counterparty: str
    counterparty_org_id: str
    channel: str
    year: str
    pence: int
    count: int
    flows_query: str
    note: str = ""  # e.g. what share of a joint award the amount is


@dataclass
class OrganisationMoney:
    received: list[MoneyRow]
    paid: list[MoneyRow]
    received_total: int
    paid_total: int

    @property
    def any(self) -> bool:
        return bool(self.received or self.paid)


def _pounds(pence: int) -> str:
    whole, part = divmod(abs(pence), 100)
    sign = "-" if pence < 0 else ""
    return f"{sign}£{whole:,}" if part == 0 else f"{sign}£{whole:,}.{part:02d}"


def _contract_years(raw: dict[str, Any]) -> str:
    """The contract's years as published ("2019–22"), from the award's or the tender's period."""
    release = raw.get("release") or {}
    periods = [a.get("contractPeriod") for a in release.get("awards") or [] if isinstance(a, dict)]
    periods.append((release.get("tender") or {}).get("contractPeriod"))
    for period in periods:
        if not isinstance(period, dict):
            continue
        start = str(period.get("startDate") or "")[:4]
        end = str(period.get("endDate") or "")[:4]
        if start.isdigit() and end.isdigit() and end != start:
            return f"{start}–{end[2:]}"
        if start.isdigit():
            return start
    return ""


def shared_award_note(attributes: dict[str, Any], raw: dict[str, Any], pence: int) -> str:
    """How a flow that is a share of a joint award reads, or "" when it is not one."""
    if not attributes.get("shared_award"):
        return ""
    suppliers = attributes.get("suppliers_in_award") or 0
    award = attributes.get("award_value_pence")
    years = _contract_years(raw)
    award_text = f"a {_pounds(award)} award" if isinstance(award, int) else "an award"
    when = f" ({years})" if years else ""
    return f"one of {suppliers} suppliers of {award_text}{when}; equal share {_pounds(pence)}"


def _grouped(org: Organisation, side: str, other: str) -> list[MoneyRow]:
    labels = dict(Channel.choices)
    found = (
        MoneyFlow.objects.filter(NOT_SHARED, **{f"{side}_organisation": org})
        .values(f"{other}_name", f"{other}_organisation__org_id", "channel", "financial_year")
        .annotate(n=Count("*"), pence=Sum("amount_pence"))
        .values_list(
            f"{other}_name",
            f"{other}_organisation__org_id",
            "channel",
            "financial_year",
            "n",
            "pence",
        )
        .order_by("-financial_year", "-pence")
    )
    key = "recipient" if side == "recipient" else "payer"
    return [
        MoneyRow(
            name,
            other_org or "",
            labels.get(channel, channel),
            financial_year_label(year),
            pence,
            n,
            urlencode({key: org.org_id, "channel": channel, "year": year}),
        )
        for name, other_org, channel, year, n, pence in found
    ]


def _shares(org: Organisation, side: str, other: str) -> list[MoneyRow]:
    """Each share of a joint award on its own row, saying what it is a share of."""
    labels = dict(Channel.choices)
    key = "recipient" if side == "recipient" else "payer"
    rows = []
    for flow in (
        MoneyFlow.objects.filter(SHARED, **{f"{side}_organisation": org})
        .select_related(f"{other}_organisation")
        .order_by("-financial_year", "-amount_pence", "pk")
    ):
        other_org = getattr(flow, f"{other}_organisation")
        rows.append(
            MoneyRow(
                getattr(flow, f"{other}_name"),
                other_org.org_id if other_org else "",
                labels.get(flow.channel, flow.channel),
                financial_year_label(flow.financial_year),
                flow.amount_pence,
                1,
                urlencode({key: org.org_id, "channel": flow.channel, "year": flow.financial_year}),
                shared_award_note(flow.attributes, flow.raw, flow.amount_pence),
            )
        )
    return rows


def organisation_money(org: Organisation) -> OrganisationMoney:
    """Money the organisation received (by payer, channel and year) and paid (by recipient)."""
    received = _grouped(org, "recipient", "payer") + _shares(org, "recipient", "payer")
    paid = _grouped(org, "payer", "recipient") + _shares(org, "payer", "recipient")
    return OrganisationMoney(
        received, paid, sum(r.pence for r in received), sum(r.pence for r in paid)
    )
