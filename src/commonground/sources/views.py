"""The public Data sources pages: the catalogue with licences, and each import's report. A
person's upload is private (ADR 0062): to anyone else its run does not exist (404)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from . import selectors
from .catalogue import dataset as catalogue_dataset

RUNS_PER_PAGE = 25
REJECTED_PER_PAGE = 50


def source_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "sources/list.html", {"datasets": selectors.catalogue_status(request.user)}
    )


def dataset_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        entry = catalogue_dataset(code)
    except KeyError:
        raise Http404("No dataset with that code") from None
    page = Paginator(selectors.dataset_runs(code, request.user), RUNS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "sources/dataset.html",
        {
            "dataset": entry,
            "page": page,
            "page_numbers": page.paginator.get_elided_page_range(page.number),
        },
    )


def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.import_run(pk, request.user)
    if run is None:
        raise Http404("No import with that number")
    try:
        entry = catalogue_dataset(run.dataset)
    except KeyError:
        entry = None
    page = Paginator(selectors.rejected_rows(run), REJECTED_PER_PAGE).get_page(
        request.GET.get("page")
    )
    response = render(
        request,
        "sources/run.html",
        {
            "run": run,
            "dataset": entry,
            "page": page,
            "page_numbers": page.paginator.get_elided_page_range(page.number),
        },
    )
    if run.private:
        patch_cache_control(response, private=True, no_store=True)
    return response
