"""Rules for needs, expressions of interest and questions (the needs context, ADR 0028).

A need belongs to the organisation that publishes it: its administrators and officers (people
who act for it) write and publish it, see who responded and invite them. Anyone sees a public
need once published; a need for organisations only is seen by people signed in with an approved
membership of some organisation. People who act for an organisation answer a need for it.
"""

from __future__ import annotations

from typing import Any

from commonground.accounts.models import Membership, MembershipStatus

from .core import Rule, has_confirmed_address, is_platform_admin, is_signed_in, organisation_role

ACTING_ROLES = ("admin", "officer")


def acts_for(user: Any, organisation_id: int) -> bool:
    """An approved administrator or officer of the organisation."""
    return organisation_role(user, organisation_id) in ACTING_ROLES


def organisations_acted_for(user: Any) -> list[int]:
    if not is_signed_in(user):
        return []
    return list(
        Membership.objects.filter(
            user=user, status=MembershipStatus.APPROVED, role__in=ACTING_ROLES
        ).values_list("organisation_id", flat=True)
    )


def belongs_to_an_organisation(user: Any) -> bool:
    return (
        is_signed_in(user)
        and Membership.objects.filter(user=user, status=MembershipStatus.APPROVED).exists()
    )


def can_create_need(user: Any, organisation_id: int) -> bool:
    """Write a need for an organisation: act for it, with a confirmed address."""
    return has_confirmed_address(user) and acts_for(user, organisation_id)


def owns_need(user: Any, need: Any) -> bool:
    return acts_for(user, need.organisation_id)


def can_view_need(user: Any, need: Any) -> bool:
    """Drafts: their owners. Published: anyone if public, else members of organisations."""
    if owns_need(user, need) or is_platform_admin(user):
        return True
    if need.status != "published":
        return False
    return need.visibility == "public" or belongs_to_an_organisation(user)


def can_change_need(user: Any, need: Any) -> bool:
    return has_confirmed_address(user) and owns_need(user, need)


def can_respond_to_need(user: Any, need: Any, organisation_id: int) -> bool:
    """Express interest or ask a question for an organisation: act for it (with a confirmed
    address), see the need, and not be its owner."""
    return (
        has_confirmed_address(user)
        and need.status == "published"
        and organisation_id != need.organisation_id
        and acts_for(user, organisation_id)
        and can_view_need(user, need)
    )


def can_view_interests(user: Any, need: Any) -> bool:
    """Who responded is for the owner alone (respondents do not see each other)."""
    return owns_need(user, need)


def _view_interest(user: Any, interest: Any) -> bool:
    return owns_need(user, interest.need) or acts_for(user, interest.organisation_id)


def _change_interest(user: Any, interest: Any) -> bool:
    return can_change_need(user, interest.need)


def _view_question(user: Any, question: Any) -> bool:
    # An answered question is told to everyone who sees the need; before that, to the owner
    # and the organisation that asked.
    if question.answered_at is not None:
        return can_view_need(user, question.need)
    return owns_need(user, question.need) or acts_for(user, question.organisation_id)


def _change_question(user: Any, question: Any) -> bool:
    return can_change_need(user, question.need)


def _view_notice(user: Any, notice: Any) -> bool:
    return can_view_need(user, notice.need)


def _never(user: Any, obj: Any) -> bool:
    return False  # what was told is kept as told


RULES: dict[str, tuple[Rule, Rule]] = {
    "needs.need": (can_view_need, can_change_need),
    "needs.interest": (_view_interest, _change_interest),
    "needs.question": (_view_question, _change_question),
    "needs.neednotice": (_view_notice, _never),
}
