"""What a person entered in the engagement context, for their data export; and their address
forgotten when they delete their account."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from .models import Conversation, LabelCorrection, Participant, Statement, Vote


def export_engagement(user: Any) -> dict[str, Any]:
    return {
        "conversations_convened": [
            {"id": c.pk, "title": c.title, "prompt": c.prompt, "created_at": c.created_at}
            for c in Conversation.objects.filter(convener=user)
        ],
        "statements": [
            {
                "id": s.pk,
                "conversation": s.conversation_id,
                "perspective": s.perspective,
                "text": s.text,
                "status": s.status,
                "created_at": s.created_at,
            }
            for s in Statement.objects.filter(author=user)
        ],
        "votes": [
            {"shared_statement": v.shared_statement_id, "choice": v.choice, "cast_at": v.cast_at}
            for v in Vote.objects.filter(voter=user)
        ],
        "label_reviews": [
            {
                "statement": c.statement_id,
                "orientation": c.orientation,
                "concepts": c.concepts,
                "principles": c.principles,
                "methodologies": c.methodologies,
                "reviewed_at": c.reviewed_at,
            }
            for c in LabelCorrection.objects.filter(reviewer=user)
        ],
    }


def erase_addresses(user: Any) -> None:
    """On deleting an account: no participant row keeps the person's address, whether they
    accepted the invitation or it still waits for them (the row, and what was said, stay)."""
    named = Q(user=user)
    if user.email:
        named |= Q(invited_email__iexact=user.email)
    Participant.objects.filter(named).exclude(invited_email="").update(invited_email="")
