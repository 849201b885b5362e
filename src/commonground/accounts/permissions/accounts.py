"""Rules for organisations, memberships and a person's own things (tokens, account, audit)."""

from __future__ import annotations

from typing import Any

from commonground.accounts.models import Membership, MembershipStatus

from .core import (
    Rule,
    has_confirmed_address,
    is_organisation_admin,
    is_platform_admin,
    is_signed_in,
    organisation_role,
)


def can_view_organisation(user: Any, organisation: Any) -> bool:
    return True  # the atlas is open data


def can_change_organisation(user: Any, organisation: Any) -> bool:
    """What an organisation says about itself: its administrators and platform administrators."""
    return is_platform_admin(user) or is_organisation_admin(user, organisation.pk)


def can_view_organisation_members(user: Any, organisation: Any) -> bool:
    return is_platform_admin(user) or organisation_role(user, organisation.pk) is not None


def can_request_membership(user: Any, organisation: Any) -> bool:
    """Signed in with a verified email address, and not already in or waiting to join."""
    if not has_confirmed_address(user):
        return False
    return not Membership.objects.filter(
        user=user,
        organisation=organisation,
        status__in=[MembershipStatus.PENDING, MembershipStatus.APPROVED],
    ).exists()


def can_view_membership(user: Any, membership: Membership) -> bool:
    return (
        is_platform_admin(user)
        or (is_signed_in(user) and membership.user_id == user.pk)
        or is_organisation_admin(user, membership.organisation_id)
    )


def can_approve_membership(user: Any, membership: Membership) -> bool:
    """A pending request is decided by an administrator of the organisation; the first claim of
    an organisation (no administrator yet) only by a platform administrator. Nobody decides
    their own request."""
    if membership.status != MembershipStatus.PENDING or not is_signed_in(user):
        return False
    if membership.user_id == user.pk:
        return False
    if is_platform_admin(user):
        return True
    return not membership.first_claim and is_organisation_admin(user, membership.organisation_id)


def can_change_membership(user: Any, membership: Membership) -> bool:
    """Change a role or end a membership: the organisation's administrators, platform
    administrators, and the person themselves (to leave or withdraw)."""
    if membership.status not in (MembershipStatus.PENDING, MembershipStatus.APPROVED):
        return False
    return (
        is_platform_admin(user)
        or (is_signed_in(user) and membership.user_id == user.pk)
        or is_organisation_admin(user, membership.organisation_id)
    )


# ---- The person's own things ------------------------------------------------------------------


def _owner(user: Any, obj: Any) -> bool:
    return is_signed_in(user) and obj.user_id == user.pk


def can_create_api_token(user: Any) -> bool:
    """A token acts as the person, so it needs a confirmed address like everything it could do."""
    return has_confirmed_address(user)


def can_view_api_token(user: Any, token: Any) -> bool:
    return _owner(user, token)


def can_change_api_token(user: Any, token: Any) -> bool:
    return _owner(user, token) or is_platform_admin(user)  # an administrator may revoke


def can_view_account(user: Any, account: Any) -> bool:
    return is_platform_admin(user) or (is_signed_in(user) and account.pk == user.pk)


def can_change_account(user: Any, account: Any) -> bool:
    return is_signed_in(user) and account.pk == user.pk


def can_view_audit(user: Any) -> bool:
    return is_platform_admin(user)


RULES: dict[str, tuple[Rule, Rule]] = {
    "organisations.organisation": (can_view_organisation, can_change_organisation),
    "accounts.membership": (can_view_membership, can_change_membership),
    "accounts.apitoken": (can_view_api_token, can_change_api_token),
    "auth.user": (can_view_account, can_change_account),
}
