"""What a person entered in the commissioning context, for their data download."""

from __future__ import annotations

from typing import Any

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
