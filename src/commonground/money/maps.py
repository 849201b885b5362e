"""Grants by ward on the places' SVG map: each ward shaded by its band of grant money."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe

from commonground.places.maps import AreaStyle, svg_map

from .selectors import WardFigure


def ward_area(figure: WardFigure) -> AreaStyle:
    """A ward's band class and a title giving its figures, e.g. "Altrincham: £1,234.00 in 3
    grants" (the data table beside the map carries the same figures)."""
    grants = "grant" if figure.count == 1 else "grants"
    return AreaStyle(
        css_class=f"cg-money-band-{figure.band}",
        title=f"{figure.ward.name}: £{figure.pence / 100:,.2f} in {figure.count} {grants}",
    )


def grants_ward_map(figures: list[WardFigure], label: str) -> SafeString:
    """svg_map of the wards, each ward's shape shaded by its band of grant money."""
    if not figures:
        return mark_safe("")
    return svg_map(
        [f.ward for f in figures],
        label=label,
        areas={f.ward.pk: ward_area(f) for f in figures},
    )
