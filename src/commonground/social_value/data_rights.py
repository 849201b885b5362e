"""What a person entered in the social value context, for their data export."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from .models import Commitment, Delivery, Evidence, ValueStatement


def export(user: User) -> dict[str, Any]:
    return {
        "commitments": [
            {
                "partnership": c.partnership.name,
                "measure": f"{c.measure.code} {c.measure.name}",
                "quantity": str(c.quantity),
                "unit": c.unit,
                "period_start": c.period_start,
                "period_end": c.period_end,
                "description": c.description,
                "perspective": c.perspective,
                "created_at": c.created_at,
            }
            for c in Commitment.objects.filter(committed_by=user).select_related(
                "partnership", "measure"
            )
        ],
        "deliveries_claimed": [
            {
                "id": d.pk,
                "measure": d.commitment.measure.code,
                "quantity": str(d.quantity),
                "unit": d.unit,
                "period_start": d.period_start,
                "period_end": d.period_end,
                "description": d.description,
                "status": d.status,
                "claimed_at": d.claimed_at,
            }
            for d in Delivery.objects.filter(claimed_by=user).select_related("commitment__measure")
        ],
        "verification_decisions": [
            {
                "delivery": d.pk,
                "decision": d.status,
                "note": d.decision_note,
                "decided_at": d.decided_at,
            }
            for d in Delivery.objects.filter(decided_by=user)
        ],
        "evidence_added": [
            {
                "delivery": e.delivery_id,
                "kind": e.kind,
                "description": e.description,
                "url": e.url,
                "file_name": e.original_name,
                "added_at": e.added_at,
            }
            for e in Evidence.objects.filter(added_by=user)
        ],
        "value_statements": [
            {"partnership": s.partnership.name, "text": s.text, "created_at": s.created_at}
            for s in ValueStatement.objects.filter(author=user).select_related("partnership")
        ],
    }
