"""What a person entered in the commissioning context, for their data download."""

from __future__ import annotations

from typing import Any

from .models import AppraisalInvitation, ShareStatus
from .selectors import appraisals_authored_by


def export_appraisals(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": a.pk,
            "name": a.name,
            "answers": a.answers,
            "decision_date": a.decision_date,
            "rules_version": a.rules_version,
            "shared_with": sorted(a.shared_with_ids),
            "created_at": a.created_at,
            "updated_at": a.updated_at,
        }
        for a in appraisals_authored_by(user).prefetch_related("shared_with")
    ]


def erase_addresses(user: Any) -> None:
    """On deleting an account: no invitation to see an appraisal keeps the person's address.
    One still waiting is withdrawn, as its address is gone."""
    if not user.email:
        return
    invitations = AppraisalInvitation.objects.filter(email__iexact=user.email)
    invitations.filter(status=ShareStatus.PENDING).update(status=ShareStatus.WITHDRAWN, email="")
    invitations.update(email="")
