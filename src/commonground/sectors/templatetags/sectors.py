"""Links into the sector guide and glossary from any page that shows a legal form, a sector or
a term the glossary explains."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from ..catalogue import catalogue
from ..selectors import legal_form_entry

register = template.Library()


def _guide_url(sector: str, place: str, anchor: str = "") -> str:
    query = f"?{urlencode({'place': place})}" if place else ""
    return reverse("sectors:detail", args=[sector]) + query + (f"#{anchor}" if anchor else "")


@register.simple_tag
def legal_form_link(
    recorded: str, sector: str = "", empty: str = "Not known", place: str | None = ""
) -> SafeString:
    """The legal form as the register records it, linked to its guide entry when the guide
    explains it (plain text otherwise); with `place` (a GSS code, e.g. the organisation's local
    authority), the guide shows that place's figures for the sector."""
    if not recorded:
        return format_html("{}", empty)
    form = legal_form_entry(recorded, sector)
    if form is not None:
        url = _guide_url(form.sector, place or "", f"form-{form.code}")
    elif sector in catalogue().sectors:
        # A form the guide does not name (e.g. from a register we do not hold): its sector's
        # legal forms still say what organisations of that kind may do.
        url = _guide_url(sector, place or "", "legal-forms")
    else:
        return format_html("{}", recorded)
    return format_html(
        '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden">: what this '
        "legal form means</span></a>",
        url,
        recorded,
    )


@register.simple_tag
def sector_link(code: str, label: str = "", place: str | None = "") -> SafeString:
    """A sector's name, linked to its guide page when the guide has one (with `place`, showing
    that place's figures)."""
    entry = catalogue().sectors.get(code)
    text = label or (entry.name if entry else code)
    if entry is None:
        return format_html("{}", text)
    return format_html(
        '<a class="govuk-link" href="{}">{}</a>', _guide_url(code, place or ""), text
    )


def terms_in(*texts: str) -> list[tuple[str, str]]:
    """(code, term) of each glossary term whose word appears in the texts, as a whole word."""
    joined = " ".join(str(t) for t in texts if t)
    found = []
    for term in catalogue().glossary.values():
        pattern = r"\b(" + "|".join(re.escape(w) for w in term.words) + r")\b"
        if re.search(pattern, joined, flags=re.IGNORECASE):
            found.append((term.code, term.term))
    return found


@register.simple_tag
def glossary_links(*texts: str) -> SafeString:
    """'Words on this page in the glossary: ...', linking each term that appears in the texts
    to what it means to each perspective; nothing when none appears."""
    found = terms_in(*texts)
    if not found:
        return SafeString("")
    base = reverse("sectors:glossary")
    links = format_html_join(
        ", ", '<a class="govuk-link" href="{}#term-{}">{}</a>', ((base, c, t) for c, t in found)
    )
    return format_html(
        '<p class="govuk-body-s cg-glossary-links">Words on this page that mean different '
        "things to different people: {}.</p>",
        links,
    )


@register.inclusion_tag("sectors/route_sectors.html")
def route_sectors(route_code: str) -> dict[str, object]:
    """The sectors that can use, or be reached by, a route, for the route's page."""
    return {"found": catalogue().sectors_for_route(route_code)}


@register.simple_tag
def sector_guide_links(figures: list[Any]) -> SafeString:
    """'What these sectors are: ...' for the figures (each keyed by sector) the guide explains."""
    sectors = catalogue().sectors
    found = [(f.key, f.label) for f in figures if f.key in sectors]
    if not found:
        return SafeString("")
    links = format_html_join(
        ", ",
        '<a class="govuk-link" href="{}">{}</a>',
        ((reverse("sectors:detail", args=[k]), label) for k, label in found),
    )
    return format_html('<p class="govuk-body-s">What these sectors are: {}.</p>', links)
