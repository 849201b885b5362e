"""Grants by ward on the places' SVG map: each ward shaded by its band of grant money."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from commonground.places.maps import svg_map

from .selectors import WardFigure

_AREA = re.compile(
    r'<path class="cg-map__area" (d="[^"]*" fill-rule="evenodd")><title>([^<]*)</title>'
)


def grants_ward_map(figures: list[WardFigure], label: str) -> SafeString:
    """svg_map of the wards, with each ward's path given its band's class and its amount in
    the title (the data table beside the map carries the same figures)."""
    if not figures:
        return mark_safe("")
    base = str(svg_map([f.ward for f in figures], label=label))
    by_name = {str(escape(f.ward.name)): f for f in figures}

    def shade(match: re.Match[str]) -> str:
        figure = by_name.get(match.group(2))
        band = figure.band if figure else 0
        title = match.group(2)
        if figure is not None:
            title += escape(f": £{figure.pence / 100:,.2f} in {figure.count} grants")
        css = f"cg-map__area cg-money-band-{band}"
        return f'<path class="{css}" {match.group(1)}><title>{title}</title>'

    return mark_safe(_AREA.sub(shade, base))  # noqa: S308 - svg_map escaped it; we add escaped text
