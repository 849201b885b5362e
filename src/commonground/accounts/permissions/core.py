"""Who someone is: the questions every context's rules are built from. Those asked of the user
alone live in `core.permissions` (so the atlas and the audit trail can ask them too) and are
repeated here; those that need an account's memberships are here only."""

from __future__ import annotations

from typing import Any

from commonground.accounts.models import Membership, MembershipStatus, Role
from commonground.core.permissions import *  # noqa: F403
from commonground.core.permissions import is_signed_in


def organisation_role(user: Any, organisation_id: int) -> str | None:
    """The role of a signed-in person in an organisation, once approved; otherwise None."""
    if not is_signed_in(user):
        return None
    return (
        Membership.objects.filter(
            user=user, organisation_id=organisation_id, status=MembershipStatus.APPROVED
        )
        .values_list("role", flat=True)
        .first()
    )


def is_organisation_admin(user: Any, organisation_id: int) -> bool:
    return organisation_role(user, organisation_id) == Role.ADMIN
