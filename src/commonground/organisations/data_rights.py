"""What a person entered in the atlas: their decisions on the linkage review queue, and their
shortlists."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from .models import LinkReview, Shortlist


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


def shortlists(user: User) -> list[dict[str, Any]]:
    return [
        {
            "name": shortlist.name,
            "created_at": shortlist.created_at,
            "organisations": [
                {
                    "organisation": entry.organisation.name,
                    "organisation_id": entry.organisation.org_id,
                    "note": entry.note,
                    "added_at": entry.added_at,
                }
                for entry in shortlist.entries.select_related("organisation").order_by(
                    "added_at", "pk"
                )
            ],
        }
        for shortlist in Shortlist.objects.filter(owner=user).order_by("created_at", "pk")
    ]
