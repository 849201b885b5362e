from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from . import permissions
from .models import ApiToken, Membership, MembershipStatus, Role
from .perspectives import Perspective, perspective_for


def memberships_of(user: Any) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("-requested_at")
    )


def perspectives_of(user: Any) -> list[Perspective]:
    """Every perspective a person speaks from: one an approved membership, or community."""
    found: list[Perspective] = []
    if permissions.is_signed_in(user):
        for sector, role in Membership.objects.filter(
            user=user, status=MembershipStatus.APPROVED
        ).values_list("organisation__sector", "role"):
            perspective = perspective_for(sector, role)
            if perspective not in found:
                found.append(perspective)
    return found or [Perspective.COMMUNITY]


def membership_visible_to(user: Any, pk: int) -> Membership | None:
    """A request to join (or membership) the person may see, else None; callers answer 404
    alike, so nobody learns that someone asked to join."""
    membership = Membership.objects.select_related("organisation").filter(pk=pk).first()
    if membership is None or not permissions.can_view(user, membership):
        return None
    return membership


def requests_to_decide(user: Any) -> QuerySet[Membership]:
    """Pending requests this person may approve: for organisations they administer, and, for a
    platform administrator, every request."""
    pending = Membership.objects.filter(status=MembershipStatus.PENDING).exclude(user=user)
    if not permissions.is_platform_admin(user):
        administered = Membership.objects.filter(
            user=user, status=MembershipStatus.APPROVED, role=Role.ADMIN
        ).values("organisation_id")
        pending = pending.filter(Q(organisation_id__in=administered) & Q(first_claim=False))
    return pending.select_related("user", "organisation").order_by("requested_at")


def requests_to_decide_count(user: Any) -> int:
    """How many requests to join wait for this person's decision (their account page)."""
    return requests_to_decide(user).count()


def live_tokens_of(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at")
