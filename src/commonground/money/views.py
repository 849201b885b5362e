"""Pages of the place profile and its downloads (the flows explorer is in flow_views.py).

Thin: selectors compute, templates show. Everything here is public open data.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import reverse

from commonground.core.page_cache import public_page
from commonground.core.spreadsheets import csv_response, xlsx_response
from commonground.places.selectors import place_by_gss

from . import community_wealth, selectors
from .forms import profile_period_from_query
from .maps import grants_ward_map, ward_legend
from .parsing import financial_year_label
from .profile_json import profile_json
from .selectors import PlaceProfile

PER_PAGE = 50


def _profile_or_errors(
    request: HttpRequest, gss_code: str
) -> tuple[PlaceProfile | None, list[int], dict[str, str]]:
    """The profile asked for (a financial year, dates, or by default the latest year some
    channel covers in full), the years with data, and errors by field."""
    place = place_by_gss(gss_code)
    if place is None:
        raise Http404("No place with that code")
    date_from, date_to, year, errors = profile_period_from_query(request.GET)
    years, default = selectors.profile_years(place)
    if errors:
        return None, years, errors
    if year is None and date_from is None and date_to is None:
        year = default
    return selectors.place_profile(place, date_from, date_to, year), years, errors


@public_page
def place_profile(request: HttpRequest, gss_code: str) -> HttpResponse:
    profile, years, errors = _profile_or_errors(request, gss_code)
    place = place_by_gss(gss_code)
    context: dict[str, Any] = {
        "place": place,
        "profile": profile,
        "years": [(y, financial_year_label(y)) for y in years],
        "asked_year": request.GET.get("financial_year", "")[:20],
        "errors": [(f"id_{k}", v) for k, v in errors.items()],
        "field_errors": errors,
        "date_from": request.GET.get("from", "")[:10],
        "date_to": request.GET.get("to", "")[:10],
        "flows_url": reverse("money:flows"),
    }
    if profile is not None:
        context["ward_map"] = grants_ward_map(
            profile.grants_by_ward, f"Map of grants by ward in {profile.place.name}"
        )
        context["ward_legend"] = ward_legend(profile.grants_by_ward)
        context["query"] = profile.filters.query(place="")
    return render(request, "money/profile.html", context, status=400 if errors else 200)


def _profile_rows(profile: PlaceProfile, base: str) -> Iterator[list[Any]]:
    def row(section: str, label: str, figure: Any) -> list[Any]:
        return [
            section,
            label,
            figure.pence,
            f"{figure.pence / 100:.2f}",
            figure.count,
            "" if figure.share is None else f"{figure.share:.6f}",
            f"{base}?{figure.flows_query}",
        ]

    yield row("total", "All money", profile.total)
    for f in profile.by_channel:
        yield row("channel", f.label, f)
    for f in profile.by_year:
        yield row("financial_year", f.label, f)
    for year, figures in profile.by_channel_year:
        for f in figures:
            yield row("channel_by_year", f"{year} {f.label}", f)
    for f in profile.by_sector:
        yield row("sector", f.label, f)
    for f in profile.by_locality:
        yield row("locality", f.label, f)
    for f in profile.not_linked:
        yield row("not_linked", f.label, f)
    for sector, recipients in profile.top_by_sector:
        for r in recipients:
            yield [
                f"top_recipients:{sector.key}",
                r.name,
                r.pence,
                f"{r.pence / 100:.2f}",
                r.count,
                "",
                f"{base}?{r.flows_query}",
            ]
    for w in profile.grants_by_ward:
        yield [
            "grants_by_ward",
            f"{w.ward.name} ({w.ward.gss_code})",
            w.pence,
            f"{w.pence / 100:.2f}",
            w.count,
            "",
            f"{base}?{w.flows_query}",
        ]


def place_profile_csv(request: HttpRequest, gss_code: str) -> HttpResponse:
    profile, _, errors = _profile_or_errors(request, gss_code)
    if profile is None:
        return HttpResponse("; ".join(errors.values()), status=400, content_type="text/plain")
    base = request.build_absolute_uri(reverse("money:flows"))
    header = ["section", "label", "pence", "pounds", "flows", "share", "flows_url"]
    return csv_response(
        f"profile-{profile.place.gss_code}.csv", header, _profile_rows(profile, base)
    )


def profile_json_download(request: HttpRequest, gss_code: str) -> JsonResponse:
    """The profile as a JSON file to download: the same JSON as the API's."""
    profile, _, errors = _profile_or_errors(request, gss_code)
    if profile is None:
        return JsonResponse({"errors": errors}, status=400)
    response = JsonResponse(profile_json(profile))
    response["Content-Disposition"] = f'attachment; filename="profile-{gss_code}.json"'
    return response


@public_page
def community_wealth_view(request: HttpRequest, gss_code: str) -> HttpResponse:
    """Top suppliers with their attribution, the local share, the social economy's range and
    the year before (the CLES spend analysis behind Preston's community wealth building)."""
    profile, years, errors = _profile_or_errors(request, gss_code)
    context: dict[str, Any] = {
        "place": place_by_gss(gss_code),
        "profile": profile,
        "years": [(y, financial_year_label(y)) for y in years],
        "errors": [(f"id_{k}", v) for k, v in errors.items()],
        "field_errors": errors,
        "flows_url": reverse("money:flows"),
    }
    if profile is not None:
        context["suppliers"] = community_wealth.top_suppliers(profile)
        context["query"] = profile.filters.query(place="", ward="")
    return render(request, "money/community_wealth.html", context, status=400 if errors else 200)


def community_wealth_download(request: HttpRequest, gss_code: str, fmt: str) -> HttpResponse:
    profile, _, errors = _profile_or_errors(request, gss_code)
    if profile is None:
        return HttpResponse("; ".join(errors.values()), status=400, content_type="text/plain")
    base = request.build_absolute_uri(reverse("money:flows"))
    rows = community_wealth.download_rows(profile, community_wealth.top_suppliers(profile), base)
    name = f"community-wealth-{profile.place.gss_code}-{profile.year_label or 'dates'}"
    if fmt == "xlsx":
        return xlsx_response(f"{name}.xlsx", community_wealth.HEADER, rows, "Community wealth")
    return csv_response(f"{name}.csv", community_wealth.HEADER, rows)
