"""What a person entered in the atlas: their decisions on the linkage review queue."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from .models import LinkReview


def link_review_decisions(user: User) -> list[dict[str, Any]]:
    return [
        {
            "party_name": review.party_name,
            "party_postcode": review.party_postcode,
            "source": review.source,
            "organisation": review.organisation.name,
            "organisation_id": review.organisation.org_id,
            "decision": review.status,
            "decided_at": review.decided_at,
        }
        for review in LinkReview.objects.filter(decided_by=user)
        .select_related("organisation")
        .order_by("decided_at", "pk")
    ]
