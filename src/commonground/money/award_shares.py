"""A supplier's equal share of an award made to several suppliers together, said as such wherever
it appears (the flows list, a flow's page, the API, an organisation's page): "one of 6 suppliers
of a £579,093 award (2019–22); equal share £96,515.50", never as a contract value of its own
(issue 16, ADR 0028). The ledger counts one share a supplier, so the award counts once."""

from __future__ import annotations

from typing import Any

from .models import MoneyFlow


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


def flow_share_note(flow: MoneyFlow) -> str:
    """The flow's share note, or "". The years of the contract come from the published record,
    when it was read with the flow (a list does not read it)."""
    raw = flow.raw if "raw" in flow.__dict__ else {}
    return shared_award_note(flow.attributes or {}, raw or {}, flow.amount_pence)
