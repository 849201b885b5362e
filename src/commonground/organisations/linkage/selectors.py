"""Reads of the review queue."""

from __future__ import annotations

from django.db.models import QuerySet

from commonground.organisations.models import LinkReview, LinkReviewStatus


def pending_reviews() -> QuerySet[LinkReview]:
    """Reviews waiting for a decision, the most likely match first."""
    return (
        LinkReview.objects.filter(status=LinkReviewStatus.PENDING)
        .select_related("organisation")
        .order_by("-score", "pk")
    )


def pending_review_page(offset: int, limit: int) -> tuple[int, list[LinkReview]]:
    """How many reviews wait, and `limit` of them from `offset`, in pending_reviews' order."""
    pending = pending_reviews()
    return pending.count(), list(pending[offset : offset + limit])


def review_by_id(pk: int) -> LinkReview | None:
    return LinkReview.objects.select_related("organisation").filter(pk=pk).first()
