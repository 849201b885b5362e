"""The review queue pages: uncertain links, the evidence side by side, accept or reject."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from commonground.core import permissions

from .selectors import pending_reviews, review_by_id
from .services import AlreadyDecided, link_review_decide

PAGE_SIZE = 50


@login_required
@require_GET
def reviews(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.is_link_reviewer(request.user))
    # The most likely match first, the same order on every page (the selector breaks ties by
    # id). A page past the end shows the last one: deciding the last match of the last page
    # brings the reviewer back to the page before.
    page = Paginator(pending_reviews(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/linkage/reviews.html",
        {
            "page": page,
            "page_numbers": page.paginator.get_elided_page_range(page.number),
            "total": page.paginator.count,
        },
    )


def _queue_url(page: str | None) -> str:
    """The queue at the page the decision was made on (a number, else the first page)."""
    url = reverse("organisations:link-reviews")
    return f"{url}?page={page}" if page and page.isdigit() and page != "1" else url


@login_required
@require_POST
def review_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    permissions.require(permissions.is_link_reviewer(request.user))
    review = review_by_id(pk)
    if review is None or decision not in ("accept", "reject"):
        raise Http404
    try:
        link_review_decide(request.user, review, accept=decision == "accept")
    except AlreadyDecided:
        messages.info(request, f"The match for {review.party_name} was already decided.")
    else:
        verb = "linked" if decision == "accept" else "not linked"
        messages.success(request, f"{review.party_name} is {verb} to {review.organisation.name}.")
    return redirect(_queue_url(request.POST.get("page")))
