"""What a person entered in the partnerships context, for their data download: the
partnerships they started, their memberships, stage changes, milestones and documents they
recorded, the invitations they sent and answered, and their own health-check answers (which
nobody else ever reads one by one)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q

from .models import (
    HealthCheckAnswer,
    InvitationStatus,
    Milestone,
    Partnership,
    PartnershipDocument,
    PartnershipInvitation,
    PartnershipMember,
    StageChange,
)
from .selectors import invitee_label


def _partnership_work(user: User) -> dict[str, Any]:
    """The partnerships the person started, joined and recorded things in."""
    return {
        "partnerships_started": [
            {"id": p.pk, "name": p.name, "purpose": p.purpose, "created_at": p.created_at}
            for p in Partnership.objects.filter(created_by=user)
        ],
        "memberships": [
            {
                "partnership": m.partnership.name,
                "perspective": m.perspective,
                "role": m.role,
                "joined_on": m.joined_on,
                "left_on": m.left_on,
            }
            for m in PartnershipMember.objects.filter(user=user).select_related("partnership")
        ],
        "stage_changes": [
            {
                "partnership": c.partnership.name,
                "from_stage": c.from_stage,
                "to_stage": c.to_stage,
                "changed_on": c.changed_on,
                "note": c.note,
            }
            for c in StageChange.objects.filter(changed_by=user).select_related("partnership")
        ],
        "milestones": [
            {"partnership": m.partnership.name, "title": m.title, "description": m.description}
            for m in Milestone.objects.filter(created_by=user).select_related("partnership")
        ],
        "documents_uploaded": [
            {
                "partnership": d.partnership.name,
                "title": d.title,
                "file": d.original_name,
                "uploaded_at": d.uploaded_at,
            }
            for d in PartnershipDocument.objects.filter(uploaded_by=user).select_related(
                "partnership"
            )
        ],
    }


def _invitations(user: User) -> dict[str, Any]:
    """The invitations the person sent, and those they answered."""
    return {
        "invitations_sent": [
            {
                "partnership": i.partnership.name,
                # The address the person typed; a need's respondent's is never shown to them.
                "invitee": invitee_label(i, user),
                "role": i.role,
                "perspective": i.perspective,
                "status": i.status,
                "sent_at": i.created_at,
                "expires_at": i.expires_at,
                "answered_at": i.responded_at,
            }
            for i in PartnershipInvitation.objects.filter(invited_by=user).select_related(
                "partnership", "organisation"
            )
        ],
        "invitations_answered": [
            {
                "partnership": i.partnership.name,
                "role": i.role,
                "answer": i.status,
                "answered_at": i.responded_at,
            }
            for i in PartnershipInvitation.objects.filter(
                responded_by=user,
                status__in=[InvitationStatus.ACCEPTED, InvitationStatus.DECLINED],
            ).select_related("partnership")
        ],
    }


def _health_check_answers(user: User) -> dict[str, Any]:
    """The person's own health-check answers."""
    return {
        "health_check_answers": [
            {
                "partnership": a.round.partnership.name,
                "round": a.round.number,
                "perspective": a.perspective,
                "submitted_at": a.submitted_at,
                "scores": {
                    s.principle: {"score": s.score, "comment": s.comment} for s in a.scores.all()
                },
            }
            for a in HealthCheckAnswer.objects.filter(respondent=user)
            .select_related("round__partnership")
            .prefetch_related("scores")
        ],
    }


def export(user: User) -> dict[str, Any]:
    return {**_partnership_work(user), **_invitations(user), **_health_check_answers(user)}


def erase_addresses(user: User) -> None:
    """On deleting an account: no invitation keeps the person's address, whether it was sent
    to it or answered by them. One still waiting is withdrawn, as its address is gone; the rows
    stay, as they count towards the sending limits."""
    named = (
        Q(responded_by=user) | Q(email__iexact=user.email) if user.email else Q(responded_by=user)
    )
    invitations = PartnershipInvitation.objects.filter(named).exclude(email="")
    invitations.filter(status=InvitationStatus.PENDING).update(
        status=InvitationStatus.REVOKED, email=""
    )
    invitations.update(email="")
