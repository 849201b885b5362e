"""An organisation's money: what it received (by payer, channel and year) and paid, as its page
shows it (registered as a part of the organisation's page, ADR 0021).

A supplier's share of an award shared by several suppliers is shown as such, never as a
contract value of its own: "one of 6 suppliers of a £579,093 award (2019–22); equal share
£96,515.50" (ADR 0028).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum

from commonground.organisations.models import Organisation

from .award_shares import shared_award_note
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
