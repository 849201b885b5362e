"""Who someone is: the questions every context's rules are built from."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied

from commonground.accounts.models import Membership, MembershipStatus, Role

Rule = Callable[[Any, Any], bool]


class NoRuleFor(LookupError):
    """An object of a type no rule covers was checked: add its rules to its context's module."""


def require(allowed: bool) -> None:
    """For views and API handlers: stop here unless the rule allowed it."""
    if not allowed:
        raise PermissionDenied


def is_signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_platform_admin(user: Any) -> bool:
    return is_signed_in(user) and bool(user.is_staff)


def is_moderator(user: Any) -> bool:
    """Moderators see statements waiting for moderation: platform administrators and anyone
    in the "moderators" group."""
    return is_platform_admin(user) or (
        is_signed_in(user) and user.groups.filter(name="moderators").exists()
    )


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
