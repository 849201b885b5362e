"""Pages of the partnerships context. Thin: services write, selectors read, rules decide."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .case_studies import all_case_studies, case_study


def case_study_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "partnerships/case_study_list.html", {"case_studies": all_case_studies()}
    )


def case_study_detail(request: HttpRequest, slug: str) -> HttpResponse:
    case = case_study(slug)
    if case is None:
        raise Http404("No such case study.")
    routes = [{"code": code, "note": case.route_note(code)} for code in case.routes]
    return render(request, "partnerships/case_study_detail.html", {"case": case, "routes": routes})
