"""Rules for partnership profiles and services (the profiles context).

A profile is what an organisation says of itself, so only its verified members change it: people
whose membership an administrator approved, acting for it (administrator or officer), with a
confirmed email address. Profiles and services are public; the partnership contact is shown only
to signed-in commissioners and funders.
"""

from __future__ import annotations

from typing import Any

from commonground.accounts.models import Membership, MembershipStatus
from commonground.accounts.perspectives import ACTING_ROLES, Perspective, perspective_for

from .core import Rule, has_confirmed_address, is_platform_admin, is_signed_in


def can_change_profile_of(user: Any, organisation_id: int | None) -> bool:
    if organisation_id is None or not has_confirmed_address(user):
        return False
    return Membership.objects.filter(
        user=user,
        organisation_id=organisation_id,
        status=MembershipStatus.APPROVED,
        role__in=ACTING_ROLES,
    ).exists()


def can_see_profile_contact(user: Any) -> bool:
    """Signed in and speaking as a commissioner or a funder (from an approved membership)."""
    if not is_signed_in(user):
        return False
    if is_platform_admin(user):
        return True
    wanted = {Perspective.COMMISSIONER, Perspective.FUNDER}
    return any(
        perspective_for(sector, role) in wanted
        for sector, role in Membership.objects.filter(
            user=user, status=MembershipStatus.APPROVED
        ).values_list("organisation__sector", "role")
    )


def _view_public(user: Any, obj: Any) -> bool:
    return True


def _change_profile(user: Any, obj: Any) -> bool:
    return can_change_profile_of(user, obj.organisation_id)


RULES: dict[str, tuple[Rule, Rule]] = {
    "profiles.partnershipprofile": (_view_public, _change_profile),
    # An imported service (no organisation in the atlas) is changed only by importing again.
    "profiles.service": (_view_public, _change_profile),
}

__all__ = ["can_change_profile_of", "can_see_profile_contact"]
