"""Rules for partnerships, their members and health checks (the partnerships context)."""

from __future__ import annotations

from typing import Any, Protocol

from .core import Rule, has_confirmed_address, is_platform_admin, is_signed_in

PARTNERSHIP_ROLES = ("lead", "accountable_body", "member", "observer")
# Roles that may change a partnership's record; observers only read.
CHANGING_ROLES = ("lead", "accountable_body", "member")


class HasPartnershipRoles(Protocol):
    def role_of(self, user: Any) -> str | None: ...


def partnership_role(user: Any, partnership: HasPartnershipRoles) -> str | None:
    """`partnership.role_of(user)`: one of PARTNERSHIP_ROLES, or None (not a member)."""
    return partnership.role_of(user) if is_signed_in(user) else None


def can_create_partnership(user: Any) -> bool:
    """Start a partnership (and lead it, inviting others): a confirmed address."""
    return has_confirmed_address(user)


def can_view_partnership(user: Any, partnership: HasPartnershipRoles) -> bool:
    """Members of a partnership see it, whatever their role. Published summaries of a
    partnership are open data and need no rule."""
    return is_platform_admin(user) or partnership_role(user, partnership) is not None


def can_change_partnership(user: Any, partnership: HasPartnershipRoles) -> bool:
    """Leads, accountable bodies and members change it; observers only read."""
    return partnership_role(user, partnership) in CHANGING_ROLES


def can_manage_partnership_members(user: Any, partnership: HasPartnershipRoles) -> bool:
    return partnership_role(user, partnership) == "lead"


def can_invite_to_partnership(user: Any, partnership: HasPartnershipRoles) -> bool:
    """Leads invite people by email, see the invitations waiting for an answer and withdraw
    them. Invitee addresses are personal data, so not even a platform administrator sees them."""
    return can_manage_partnership_members(user, partnership)


def has_confirmed_email(user: Any, email: str) -> bool:
    """The person is signed in with `email` as their address (compared lower-cased) and has
    confirmed they receive mail at it."""
    if not is_signed_in(user) or not email or (user.email or "").strip().lower() != email.lower():
        return False
    return has_confirmed_address(user)


def can_answer_invitation(user: Any, invitation: Any) -> bool:
    """Only the person the invitation was sent to answers it: signed in with that address,
    confirmed. Holding the link is not enough (it may have been forwarded)."""
    return has_confirmed_email(user, invitation.email)


HEALTH_CHECK_MIN_RESPONSES = 3  # fewer answers than this could identify who gave them
# A perspective's own average is shown only when at least this many answered from it; a single
# commissioner's "average" would be their answer.
HEALTH_CHECK_MIN_PERSPECTIVE_RESPONSES = 2


def can_view_health_check_answer(user: Any, answer: Any) -> bool:
    """One person's answers (`answer.respondent_id`) are theirs alone; nobody else, not even the
    partnership's lead, reads them one by one."""
    return is_signed_in(user) and answer.respondent_id == user.pk


def can_view_health_check_summary(
    user: Any, partnership: HasPartnershipRoles, response_count: int
) -> bool:
    """Members see the aggregate, and only once enough people answered to keep them anonymous."""
    return (
        partnership_role(user, partnership) is not None
        and response_count >= HEALTH_CHECK_MIN_RESPONSES
    )


def can_manage_health_check(user: Any, partnership: HasPartnershipRoles) -> bool:
    """Leads open and close health-check rounds."""
    return partnership_role(user, partnership) == "lead"


def can_answer_health_check(user: Any, partnership: HasPartnershipRoles) -> bool:
    """Every current member answers for themselves, whatever their role."""
    return partnership_role(user, partnership) is not None


def _view_part(user: Any, obj: Any) -> bool:
    # Members, milestones, documents and rounds are seen by whoever sees their partnership.
    return can_view_partnership(user, obj.partnership)


def _change_part(user: Any, obj: Any) -> bool:
    return can_change_partnership(user, obj.partnership)


def _manage_part(user: Any, obj: Any) -> bool:
    return can_manage_partnership_members(user, obj.partnership)


def _invitation_party(user: Any, invitation: Any) -> bool:
    # The leads (who see and withdraw it) and the invitee (who accepts or declines it).
    return can_invite_to_partnership(user, invitation.partnership) or can_answer_invitation(
        user, invitation
    )


RULES: dict[str, tuple[Rule, Rule]] = {
    "partnerships.partnership": (can_view_partnership, can_change_partnership),
    "partnerships.partnershipmember": (_view_part, _manage_part),
    "partnerships.partnershipinvitation": (_invitation_party, _invitation_party),
    "partnerships.stagechange": (_view_part, _change_part),
    "partnerships.milestone": (_view_part, _change_part),
    "partnerships.partnershipdocument": (_view_part, _change_part),
    "partnerships.partnershipfunding": (_view_part, _change_part),
    "partnerships.healthcheckround": (_view_part, _manage_part),
    "partnerships.healthcheckanswer": (can_view_health_check_answer, can_view_health_check_answer),
}
