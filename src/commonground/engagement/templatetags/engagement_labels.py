"""Plain-English names for label and perspective codes in the engagement templates."""

from __future__ import annotations

from django import template

from commonground.engagement.alignment import PERSPECTIVE_LABELS, theme_label

register = template.Library()


@register.filter
def theme(code: str) -> str:
    return theme_label(str(code))


@register.filter
def perspective(code: str) -> str:
    return PERSPECTIVE_LABELS.get(str(code), str(code))
