"""Who may see and change what: the one place the views and the API ask, object by object.

Every private read and every write calls `can_view(user, obj)` or `can_change(user, obj)` (or a
named rule below) on the server. Rules are plain functions of the user and the object; the
dispatch table `RULES` maps a model's label to its pair of rules and fails closed: an object
with no rule raises `NoRuleFor`, so a new model cannot be shown or changed by accident.

Public open data (the atlas, places, sources) needs no rule to be read.

Extension points for the contexts still to come (partnerships, appraisals, health checks,
statements) are the functions under "Extension points" below. Each documents the attributes
its model must offer; the app registers the pair in RULES by label (already listed) and, where a
rule is not a simple view/change pair, its views call the named function directly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from .models import Membership, MembershipStatus, Role

Rule = Callable[[Any, Any], bool]


class NoRuleFor(LookupError):
    """An object of a type no rule covers was checked: add its rules here."""


# ---- Who someone is ---------------------------------------------------------------------------


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


# ---- Organisations and memberships (in use now) ----------------------------------------------


def can_view_organisation(user: Any, organisation: Any) -> bool:
    return True  # the atlas is open data


def can_change_organisation(user: Any, organisation: Any) -> bool:
    """What an organisation says about itself: its administrators and platform administrators."""
    return is_platform_admin(user) or is_organisation_admin(user, organisation.pk)


def can_view_organisation_members(user: Any, organisation: Any) -> bool:
    return is_platform_admin(user) or organisation_role(user, organisation.pk) is not None


def can_request_membership(user: Any, organisation: Any) -> bool:
    """Signed in with a verified email address, and not already in or waiting to join."""
    if not is_signed_in(user):
        return False
    profile = getattr(user, "profile", None)
    if profile is None or profile.email_verified_at is None:
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


# ---- Extension points -------------------------------------------------------------------------
# Written against the attributes named in each docstring; the apps' models must provide them.

PARTNERSHIP_ROLES = ("lead", "member", "observer")


class HasPartnershipRoles(Protocol):
    def role_of(self, user: Any) -> str | None: ...


def partnership_role(user: Any, partnership: HasPartnershipRoles) -> str | None:
    """`partnership.role_of(user)`: "lead", "member", "observer" or None (not a member)."""
    return partnership.role_of(user) if is_signed_in(user) else None


def can_view_partnership(user: Any, partnership: HasPartnershipRoles) -> bool:
    """Members of a partnership see it, whatever their role. Published summaries of a
    partnership are open data and need no rule."""
    return is_platform_admin(user) or partnership_role(user, partnership) is not None


def can_change_partnership(user: Any, partnership: HasPartnershipRoles) -> bool:
    """Leads and members change it; observers only read."""
    return partnership_role(user, partnership) in ("lead", "member")


def can_manage_partnership_members(user: Any, partnership: HasPartnershipRoles) -> bool:
    return partnership_role(user, partnership) == "lead"


def can_view_appraisal(user: Any, appraisal: Any) -> bool:
    """`appraisal.author_id` and `appraisal.shared_with_ids` (a set of user ids): the author and
    whoever they shared it with. Not platform administrators: an appraisal is private work."""
    if not is_signed_in(user):
        return False
    return appraisal.author_id == user.pk or user.pk in appraisal.shared_with_ids


def can_change_appraisal(user: Any, appraisal: Any) -> bool:
    return is_signed_in(user) and appraisal.author_id == user.pk


HEALTH_CHECK_MIN_RESPONSES = 3  # fewer answers than this could identify who gave them


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


def can_view_statement(user: Any, statement: Any) -> bool:
    """`statement.status` ("pending", "published", "rejected") and `statement.author_id`:
    published statements are public; others only to their author and moderators."""
    if statement.status == "published":
        return True
    return is_moderator(user) or (is_signed_in(user) and statement.author_id == user.pk)


def can_change_statement(user: Any, statement: Any) -> bool:
    """Authors edit while pending; after that only moderators act on it."""
    if statement.status == "pending" and is_signed_in(user) and statement.author_id == user.pk:
        return True
    return is_moderator(user)


def can_moderate_statements(user: Any) -> bool:
    return is_moderator(user)


# ---- Dispatch ---------------------------------------------------------------------------------

RULES: dict[str, tuple[Rule, Rule]] = {
    "organisations.organisation": (can_view_organisation, can_change_organisation),
    "accounts.membership": (can_view_membership, can_change_membership),
    "accounts.apitoken": (can_view_api_token, can_change_api_token),
    "auth.user": (can_view_account, can_change_account),
    "partnerships.partnership": (can_view_partnership, can_change_partnership),
    "commissioning.appraisal": (can_view_appraisal, can_change_appraisal),
    "partnerships.healthcheckanswer": (can_view_health_check_answer, can_view_health_check_answer),
    "engagement.statement": (can_view_statement, can_change_statement),
}


def _rules_for(obj: Any) -> tuple[Rule, Rule]:
    meta = getattr(obj, "_meta", None)
    label = getattr(meta, "label_lower", None)
    if label not in RULES:
        raise NoRuleFor(f"No permission rule for {label or type(obj).__name__}.")
    return RULES[label]


def can_view(user: Any, obj: Any) -> bool:
    return _rules_for(obj)[0](user or AnonymousUser(), obj)


def can_change(user: Any, obj: Any) -> bool:
    return _rules_for(obj)[1](user or AnonymousUser(), obj)


def require(allowed: bool) -> None:
    """For views and API handlers: stop here unless the rule allowed it."""
    if not allowed:
        raise PermissionDenied
