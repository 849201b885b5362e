"""A reviewer's decision on an uncertain link: the one write of the review queue."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from commonground.audit.services import audit_record, snapshot
from commonground.core import permissions
from commonground.organisations.models import LinkReview, LinkReviewStatus

from .callbacks import notify_link_decided

_AUDITED = ("status", "decided_by", "decided_at", "organisation", "party_key", "score")


class AlreadyDecided(Exception):
    """The review was decided before (by someone else, or in another tab)."""


def link_review_decide(actor: Any, review: LinkReview, *, accept: bool) -> LinkReview:
    """Accept or reject the proposed organisation for the party. The decision is kept (by the
    party's key and its name-and-postcode signature) and wins over the model on every later
    import; the ledger is told through the on_link_decided callbacks in the same transaction.
    """
    permissions.require(permissions.is_link_reviewer(actor))
    with transaction.atomic():
        review = LinkReview.objects.select_for_update().get(pk=review.pk)
        if review.status != LinkReviewStatus.PENDING:
            raise AlreadyDecided
        before = snapshot(review, _AUDITED)
        review.status = LinkReviewStatus.ACCEPTED if accept else LinkReviewStatus.REJECTED
        review.decided_by = actor
        review.decided_at = timezone.now()
        review.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(
            actor=actor,
            action="linkage.review_accept" if accept else "linkage.review_reject",
            obj=review,
            before=before,
            after=snapshot(review, _AUDITED),
        )
        notify_link_decided(review.party_key, review.organisation_id if accept else None)
    return review
