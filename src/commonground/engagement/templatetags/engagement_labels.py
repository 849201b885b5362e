"""Plain-English names for label and perspective codes in the engagement templates."""

from __future__ import annotations

from typing import Any

from django import template

from commonground.engagement.alignment import PERSPECTIVE_LABELS, theme_label, two_places

register = template.Library()


@register.filter
def theme(code: str) -> str:
    return theme_label(str(code))


@register.filter
def perspective(code: str) -> str:
    return PERSPECTIVE_LABELS.get(str(code), str(code))


@register.filter
def label_list(statement: Any) -> str:
    """A statement's labels in plain words, each once: collaboration is both a concept and a
    principle, and is listed once."""
    codes = [*statement.concepts, *statement.principles, *statement.methodologies]
    return ", ".join(theme_label(str(code)) for code in dict.fromkeys(codes))


@register.filter
def figure(value: float) -> str:
    """Two places, rounded as the PDF rounds them (alignment.two_places)."""
    return two_places(value)


@register.filter
def signed_figure(value: float) -> str:
    return two_places(value, signed=True)
