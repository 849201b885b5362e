"""Grants by ward on the places' SVG map: each ward shaded by its band of grant money."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from commonground.places.maps import AreaStyle, svg_map

from .selectors import WardFigure
from .templatetags.money import pence


def ward_area(figure: WardFigure) -> AreaStyle:
    """A ward's band class and a title giving its figures, e.g. "Altrincham: £1,234.00 in 3
    grants" (the data table beside the map carries the same figures)."""
    grants = "grant" if figure.count == 1 else "grants"
    return AreaStyle(
        css_class=f"cg-money-band-{figure.band}",
        title=f"{figure.ward.name}: £{figure.pence / 100:,.2f} in {figure.count} {grants}",
    )


def grants_ward_map(figures: list[WardFigure], label: str) -> SafeString:
    """svg_map of the wards, each ward's shape shaded by its band of grant money and labelled
    with its number in the table beside the map."""
    if not figures:
        return mark_safe("")
    return svg_map(
        [f.ward for f in figures],
        label=label,
        areas={f.ward.pk: ward_area(f) for f in figures},
        labels={f.ward.pk: str(number) for number, f in enumerate(figures, start=1)},
    )


@dataclass(frozen=True)
class LegendBand:
    band: int
    text: str  # the amounts the wards in the band received, e.g. "£1,200.00 to £9,800.00"
    wards: int


def ward_legend(figures: list[WardFigure]) -> list[LegendBand]:
    """The map's key: each band with the range of grant money its wards received."""
    result = []
    for band in range(5):
        amounts = [f.pence for f in figures if f.band == band]
        if band == 0:
            text = "No grant money"
        elif not amounts:
            continue
        elif min(amounts) == max(amounts):
            text = pence(min(amounts))
        else:
            text = f"{pence(min(amounts))} to {pence(max(amounts))}"
        result.append(LegendBand(band, text, len(amounts)))
    return result
