"""Reads in the commissioning context."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from commonground.accounts import permissions
from commonground.core.signed_links import read_signed_link

from .models import Appraisal, AppraisalInvitation, ShareStatus


def appraisals_for(user: Any) -> QuerySet[Appraisal]:
    """The appraisals a person wrote or that were shared with them, newest first."""
    if not permissions.is_signed_in(user):
        return Appraisal.objects.none()
    return (
        Appraisal.objects.filter(Q(author=user) | Q(shared_with=user))
        .distinct()
        .select_related("author", "author__profile")
        .prefetch_related("shared_with")
    )


def appraisal_visible_to(user: Any, pk: int) -> Appraisal | None:
    """The appraisal if this person may see it; None whether it is missing or private, so
    callers answer 404 either way."""
    appraisal = (
        Appraisal.objects.select_related("author", "author__profile")
        .prefetch_related("shared_with")
        .filter(pk=pk)
        .first()
    )
    if appraisal is None or not permissions.can_view(user, appraisal):
        return None
    return appraisal


def appraisals_authored_by(user: Any) -> QuerySet[Appraisal]:
    return Appraisal.objects.filter(author=user).order_by("created_at", "pk")


def share_invitation_for(token: str) -> AppraisalInvitation | None:
    """The invitation a share link names, or None for a link that is not one of ours."""
    read = read_signed_link(token, salt=AppraisalInvitation.LINK_SALT)
    if read is None:
        return None
    invitation_id, secret_hash = read
    return (
        AppraisalInvitation.objects.select_related("appraisal", "invited_by", "invited_by__profile")
        .filter(pk=invitation_id, secret_hash=secret_hash)
        .first()
    )


def pending_invitations(appraisal: Appraisal) -> QuerySet[AppraisalInvitation]:
    """Invitations to see the appraisal not yet answered, for the people who may change it."""
    return appraisal.invitations.filter(status=ShareStatus.PENDING).order_by("created_at", "pk")
