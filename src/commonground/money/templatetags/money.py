"""Money in templates: exact pounds and pence, shares, and bar widths for the CSS charts."""

from __future__ import annotations

from decimal import Decimal

from django import template

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
