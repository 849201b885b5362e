"""Figures as people read them: money from pence, quantities without needless decimals."""

from __future__ import annotations

from decimal import Decimal

from django import template

from commonground.accounts.services import display_name

register = template.Library()


@register.filter
def pounds(pence: int | None) -> str:
    if pence is None:
        return "–"
    return f"£{Decimal(pence) / 100:,.2f}"


@register.filter
def quantity(value: Decimal | None) -> str:
    if value is None:
        return "–"
    text = f"{value:,.2f}"
    return text[:-3] if text.endswith(".00") else text


@register.filter
def figure(mapping: dict, key: str):  # type: ignore[no-untyped-def, type-arg]
    return mapping.get(key) if mapping else None


@register.filter
def person(user) -> str:  # type: ignore[no-untyped-def]
    """A person's name as the accounts context shows it ("Deleted account" once deleted)."""
    return display_name(user)
