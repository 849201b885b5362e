"""Presentation helpers for the atlas templates: money and raw source values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def pounds(pence: int | None) -> str:
    """Integer pence as whole pounds, e.g. 123456789 -> "£1,234,568"."""
    if pence is None:
        return ""
    amount = (Decimal(pence) / 100).quantize(Decimal(1))
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,}"


@register.filter
def raw_items(raw: Any) -> list[tuple[str, str]]:
    """A raw source record's fields in their published order, as text."""
    if isinstance(raw, dict):
        return [(str(k), "" if v is None else str(v)) for k, v in raw.items()]
    return [("value", str(raw))]
