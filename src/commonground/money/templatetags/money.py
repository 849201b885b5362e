"""Money in templates: exact pounds and pence, shares, and bar widths for the CSS charts."""

from __future__ import annotations

from decimal import Decimal

from django import template

from commonground.money import attribution
from commonground.money.award_shares import flow_share_note
from commonground.money.models import MoneyFlow

register = template.Library()


@register.filter
def pence(value: int | None) -> str:
    """Integer pence as pounds and pence, exactly: 129143654 -> "£1,291,436.54"."""
    if value is None:
        return ""
    amount = Decimal(value) / 100
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


@register.filter
def percent(share: float | None) -> str:
    if share is None:
        return "–"
    return f"{share * 100:.1f}%"


@register.filter
def bar(share: float | None) -> str:
    """A CSS modifier for a bar of this share, to the nearest 5% (negative shares draw none)."""
    if not share or share < 0:
        return "0"
    return str(min(100, round(share * 20) * 5))


@register.filter
def points(change: float | None) -> str:
    """A change of share in percentage points: 0.032 -> "+3.2 points"."""
    if change is None:
        return "–"
    return f"{change * 100:+.1f} points"


@register.filter
def pence_change(value: int | None) -> str:
    """A change of amount with its sign: 12345 -> "+£123.45"."""
    if value is None:
        return "–"
    return ("+" if value >= 0 else "") + pence(value)


@register.filter
def day_range(coverage: object) -> str:
    """A coverage row's dates, the year written once when both fall in it: "1 Apr–29 May 2026"."""
    first = getattr(coverage, "date_from", None)
    last = getattr(coverage, "date_to", None)
    if first is None or last is None:
        return ""
    if first == last:
        return f"{first.day} {first:%b %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%b}–{last.day} {last:%b %Y}"
    return f"{first.day} {first:%b %Y}–{last.day} {last:%b %Y}"


@register.filter
def award_share(flow: MoneyFlow) -> str:
    """What share of a joint award the flow's amount is ("one of 6 suppliers of a £579,093
    award; equal share £96,515.50"), or "" when it is not one."""
    return flow_share_note(flow)


@register.filter
def form_label(rule_code: str) -> str:
    """The legal form a rule infers, in words ("Company (Ltd, PLC or LLP)")."""
    rule = attribution.rule_by_code(rule_code)
    return attribution.legal_forms()[rule.form].label if rule else "Legal form not known"


@register.filter
def rule_text(rule_code: str) -> str:
    """The rule in words, as shown wherever an inference is."""
    rule = attribution.rule_by_code(rule_code)
    return rule.shown if rule else ""
