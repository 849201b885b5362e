"""Rules for social value commitments, deliveries, evidence and verification.

Frameworks are open data and need no rule. Everything a partnership records is seen by its
members (and platform administrators); members who act (not observers) record commitments,
deliveries and evidence; a delivery is verified or disputed only by a member who is neither the
person who claimed it nor speaks from the same perspective as they did.
"""

from __future__ import annotations

from typing import Any, Protocol

from commonground.accounts.models import Membership, MembershipStatus
from commonground.accounts.perspectives import ACTING_ROLES

from .core import Rule, is_platform_admin, is_signed_in

__all__ = [
    "can_import_framework",
    "can_record_social_value",
    "can_replace_framework",
    "can_verify_delivery",
    "can_view_social_value",
    "verification_refusal",
]

RECORDING_ROLES = ("lead", "accountable_body", "member")


class HasRolesAndPerspectives(Protocol):
    def role_of(self, user: Any) -> str | None: ...

    def perspective_of(self, user: Any) -> str | None: ...


def _role(user: Any, partnership: HasRolesAndPerspectives) -> str | None:
    return partnership.role_of(user) if is_signed_in(user) else None


def can_view_social_value(user: Any, partnership: HasRolesAndPerspectives) -> bool:
    return is_platform_admin(user) or _role(user, partnership) is not None


def can_record_social_value(user: Any, partnership: HasRolesAndPerspectives) -> bool:
    """Commit, claim a delivery, add evidence, describe the partnership's value in words."""
    return (
        _role(user, partnership) in RECORDING_ROLES and partnership.perspective_of(user) is not None
    )


def verification_refusal(user: Any, delivery: Any) -> str | None:
    """Why this person may not verify or dispute this delivery, or None if they may.

    `delivery` has `claimed_by_id`, `claimant_perspective` and `commitment.partnership`."""
    partnership = delivery.commitment.partnership
    if _role(user, partnership) not in RECORDING_ROLES:
        return "Only members of the partnership who act for it can verify a delivery."
    if user.pk == delivery.claimed_by_id:
        return "You claimed this delivery, so someone else must verify it."
    perspective = partnership.perspective_of(user)
    if perspective is None or perspective == delivery.claimant_perspective:
        return (
            f"This delivery was claimed from the {delivery.claimant_perspective} perspective; "
            "it must be verified by someone from another perspective."
        )
    return None


def can_verify_delivery(user: Any, delivery: Any) -> bool:
    return verification_refusal(user, delivery) is None


def can_import_framework(user: Any) -> bool:
    """Platform administrators, and people who act for a public body (commissioners), may load
    a framework of their own. Frameworks are open data once loaded."""
    if is_platform_admin(user):
        return True
    return (
        is_signed_in(user)
        and Membership.objects.filter(
            user=user,
            status=MembershipStatus.APPROVED,
            role__in=ACTING_ROLES,
            organisation__sector="public_body",
        ).exists()
    )


def can_replace_framework(user: Any, framework: Any) -> bool:
    """A framework loaded from the repository, or by someone else, is not theirs to replace."""
    return is_platform_admin(user) or (
        framework.imported_by_id is not None and framework.imported_by_id == user.pk
    )


def _view_via_partnership(user: Any, obj: Any) -> bool:
    return can_view_social_value(user, _partnership_of(obj))


def _change_via_partnership(user: Any, obj: Any) -> bool:
    return can_record_social_value(user, _partnership_of(obj))


def _partnership_of(obj: Any) -> Any:
    label = obj._meta.label_lower
    if label == "social_value.delivery":
        return obj.commitment.partnership
    if label == "social_value.evidence":
        return obj.delivery.commitment.partnership
    return obj.partnership


RULES: dict[str, tuple[Rule, Rule]] = {
    "social_value.commitment": (_view_via_partnership, _change_via_partnership),
    "social_value.delivery": (_view_via_partnership, _change_via_partnership),
    "social_value.evidence": (_view_via_partnership, _change_via_partnership),
    "social_value.valuestatement": (_view_via_partnership, _change_via_partnership),
}
