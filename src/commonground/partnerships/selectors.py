"""Reads for the partnerships context: which partnerships a person is in, and the health check
results in aggregate only (never one person's answers to anyone but them)."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.crypto import constant_time_compare

from commonground.accounts.models import Membership, MembershipStatus
from commonground.accounts.permissions.partnerships import (
    HEALTH_CHECK_MIN_PERSPECTIVE_RESPONSES,
    HEALTH_CHECK_MIN_RESPONSES,
    can_invite_to_partnership,
    can_view_health_check_summary,
    can_view_partnership,
    is_platform_admin,
    is_signed_in,
)
from commonground.accounts.perspectives import Perspective
from commonground.accounts.services import display_name
from commonground.core.disclosure import withheld
from commonground.core.signed_links import read_signed_link
from commonground.money.models import MoneyFlow

from .models import (
    ACTING_ORGANISATION_ROLES,
    ROLE_STRENGTH,
    HealthCheckAnswer,
    HealthCheckRound,
    HealthCheckScore,
    InvitationStatus,
    Partnership,
    PartnershipFunding,
    PartnershipInvitation,
    PartnershipMember,
    Principle,
)


def partnership_by_id(pk: int) -> Partnership | None:
    return Partnership.objects.select_related("place").filter(pk=pk).first()


def partnership_visible_to(
    user: Any, pk: int, may_see: Callable[[Any, Partnership], bool] = can_view_partnership
) -> Partnership | None:
    """The partnership with this id if `may_see` lets the person see it, else None: pages and
    the API then answer 404 alike, so a partnership's existence stays private."""
    partnership = partnership_by_id(pk)
    if partnership is None or not may_see(user, partnership):
        return None
    return partnership


def partnerships_for(user: Any) -> QuerySet[Partnership]:
    """The partnerships a person is in (directly or acting for a member organisation); a
    platform administrator sees every one."""
    if not is_signed_in(user):
        return Partnership.objects.none()
    qs = Partnership.objects.select_related("place")
    if is_platform_admin(user):
        return qs.all()
    acting_for = Membership.objects.filter(
        user_id=user.pk, status=MembershipStatus.APPROVED, role__in=ACTING_ORGANISATION_ROLES
    ).values("organisation_id")
    member_of = PartnershipMember.objects.filter(left_on__isnull=True).filter(
        Q(user_id=user.pk) | Q(organisation_id__in=acting_for)
    )
    return qs.filter(pk__in=member_of.values("partnership_id"))


def current_members(partnership: Partnership) -> list[PartnershipMember]:
    """Current members, strongest role first, then in the order they joined."""
    members = partnership.members.filter(left_on__isnull=True).select_related(
        "user", "user__profile", "organisation"
    )
    return sorted(members, key=lambda m: (ROLE_STRENGTH.index(m.role), m.joined_on, m.pk))


def member_name(member: PartnershipMember) -> str:
    if member.organisation is not None:
        return member.organisation.name
    return display_name(member.user)


def open_round(partnership: Partnership) -> HealthCheckRound | None:
    return partnership.health_check_rounds.filter(closed_on__isnull=True).first()


def has_answered(health_round: HealthCheckRound, user: Any) -> bool:
    return is_signed_in(user) and health_round.answers.filter(respondent_id=user.pk).exists()


# ---- Health check results ----------------------------------------------------------------------


@dataclass
class PerspectiveView:
    perspective: str
    label: str
    responses: int
    average: float | None  # None: too few answered from this perspective to show it


@dataclass
class PrincipleResult:
    principle: str
    label: str
    responses: int
    average: float
    lowest: int
    highest: int
    spread: float  # population standard deviation of the scores
    counts: dict[int, int]  # score -> how many gave it
    perspectives: list[PerspectiveView]
    divergence: float | None  # gap between the highest and lowest perspective averages shown
    change: float | None  # against the previous round's average, where both are shown
    comments: list[str] = field(default_factory=list)

    @property
    def average_percent(self) -> int:
        return round(self.average / 5 * 100)


@dataclass
class RoundResult:
    round: HealthCheckRound
    responses: int
    shown: bool  # the round is closed and enough people answered to keep them anonymous
    reason: str  # why it is not shown, in plain words
    principles: list[PrincipleResult]

    @property
    def number(self) -> int:
        return self.round.number


def _round_scores(health_round: HealthCheckRound) -> list[HealthCheckScore]:
    return list(
        HealthCheckScore.objects.filter(answer__round=health_round).select_related("answer")
    )


def _hide_what_the_rest_would_reveal(views: list[PerspectiveView]) -> None:
    """Hide perspective averages until those hidden hold no single answer on its own.

    A perspective fewer than the minimum answered from is hidden: a lone funder's average is
    their score. And with the overall average and every other perspective's shown, their score
    is what is left over (total minus the others). So while the answers behind hidden averages
    number fewer than the minimum (but more than none), the smallest shown perspective is hidden
    too (of equals, the one listed last, so the choice is always the same): the rule in
    core.disclosure, shared with the votes on shared statements."""
    sizes = [v.responses for v in views]
    for view, hide in zip(
        views, withheld(sizes, HEALTH_CHECK_MIN_PERSPECTIVE_RESPONSES), strict=True
    ):
        if hide:
            view.average = None


def _principle_results(
    scores: list[HealthCheckScore], previous: dict[str, float]
) -> list[PrincipleResult]:
    results = []
    for principle in Principle:
        mine = [s for s in scores if s.principle == principle.value]
        if not mine:
            continue
        values = [s.score for s in mine]
        average = statistics.fmean(values)
        views = []
        for perspective in Perspective:
            group = [s.score for s in mine if s.answer.perspective == perspective.value]
            if not group:
                continue
            views.append(
                PerspectiveView(
                    perspective=perspective.value,
                    label=perspective.label,
                    responses=len(group),
                    average=round(statistics.fmean(group), 2),
                )
            )
        _hide_what_the_rest_would_reveal(views)  # too few, or what the rest would reveal
        shown_averages = [v.average for v in views if v.average is not None]
        results.append(
            PrincipleResult(
                principle=principle.value,
                label=principle.label,
                responses=len(values),
                average=round(average, 2),
                lowest=min(values),
                highest=max(values),
                spread=round(statistics.pstdev(values), 2),
                counts={n: values.count(n) for n in range(1, 6)},
                perspectives=views,
                divergence=(
                    round(max(shown_averages) - min(shown_averages), 2)
                    if len(shown_averages) >= 2
                    else None
                ),
                change=(
                    round(average - previous[principle.value], 2) + 0.0  # no "-0.0"
                    if principle.value in previous
                    else None
                ),
                # Unattributed and in a fixed order (by text), so order does not identify anyone.
                comments=sorted(s.comment for s in mine if s.comment.strip()),
            )
        )
    return results


def health_results(partnership: Partnership, user: Any) -> list[RoundResult]:
    """Every round, oldest first. A round's results are shown only once it is closed and at
    least HEALTH_CHECK_MIN_RESPONSES members answered: showing an open round would let anyone
    work out a late answer from how the figures moved."""
    rounds = list(partnership.health_check_rounds.order_by("number"))
    counts = _answer_counts(rounds)
    out: list[RoundResult] = []
    previous: dict[str, float] = {}
    for health_round in rounds:
        responses = counts.get(health_round.pk, 0)
        if health_round.closed_on is None:
            shown, reason = False, "This round is still open. Results are shown once it closes."
        elif not can_view_health_check_summary(user, partnership, responses):
            shown = False
            reason = (
                f"Fewer than {HEALTH_CHECK_MIN_RESPONSES} members answered, so the results are "
                f"not shown: they could identify who gave them."
            )
        else:
            shown, reason = True, ""
        principles = _principle_results(_round_scores(health_round), previous) if shown else []
        if shown:
            previous = {p.principle: p.average for p in principles}
        out.append(RoundResult(health_round, responses, shown, reason, principles))
    return out


def _answer_counts(rounds: list[HealthCheckRound]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for round_id in HealthCheckAnswer.objects.filter(round__in=rounds).values_list(
        "round_id", flat=True
    ):
        counts[round_id] = counts.get(round_id, 0) + 1
    return counts


def latest_shown(results: list[RoundResult]) -> RoundResult | None:
    shown = [r for r in results if r.shown]
    return shown[-1] if shown else None


# ---- Funding -----------------------------------------------------------------------------------


def funding_of(partnership: Partnership) -> list[PartnershipFunding]:
    return list(partnership.funding.select_related("money_flow").order_by("-money_flow__date"))


def funding_total_pence(links: list[PartnershipFunding]) -> int:
    return sum(link.money_flow.amount_pence for link in links)


def response_count(health_round: HealthCheckRound) -> int:
    """How many members have answered a health-check round."""
    return health_round.answers.count()


def funding_candidates(partnership: Partnership, limit: int = 50) -> list[MoneyFlow]:
    """Money flows in the ledger paid to or by the partnership's member organisations, newest
    first, not yet linked: the likely sources of its funding."""
    organisation_ids = partnership.members.filter(
        left_on__isnull=True, organisation__isnull=False
    ).values("organisation_id")
    return list(
        MoneyFlow.objects.filter(
            Q(recipient_organisation_id__in=organisation_ids)
            | Q(payer_organisation_id__in=organisation_ids)
        )
        .exclude(partnership_links__partnership=partnership)
        .order_by("-date", "-pk")[:limit]
    )


def own_answers(partnership: Partnership, user: Any) -> list[HealthCheckAnswer]:
    """A person's own answers in each round: theirs to see, nobody else's."""
    if not is_signed_in(user):
        return []
    return list(
        HealthCheckAnswer.objects.filter(round__partnership=partnership, respondent_id=user.pk)
        .select_related("round")
        .prefetch_related("scores")
        .order_by("round__number")
    )


# ---- Invitations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class InvitationProblem:
    reason: str  # expired, accepted, declined, revoked, replaced or lapsed
    message: str


INVITATION_PROBLEMS = {
    "expired": "This invitation has expired. Ask a lead of the partnership to invite you again.",
    InvitationStatus.ACCEPTED: "This invitation has already been accepted. Each invitation "
    "link works once.",
    InvitationStatus.DECLINED: "This invitation was declined. Each invitation link works once: "
    "if you change your mind, ask a lead of the partnership to invite you again.",
    InvitationStatus.REVOKED: "This invitation was withdrawn by the partnership.",
    InvitationStatus.REPLACED: "A newer invitation was sent to this email address. Use the "
    "link in the most recent email.",
    "lapsed": "The person who sent this invitation no longer leads the partnership, so it "
    "cannot be accepted. Ask a current lead to invite you again.",
}


def invitation_problem(invitation: PartnershipInvitation) -> InvitationProblem | None:
    """Why the invitation can no longer be answered, or None while it can."""
    if invitation.status != InvitationStatus.PENDING:
        reason = str(invitation.status)
    elif invitation.expired:
        reason = "expired"
    elif not can_invite_to_partnership(invitation.invited_by, invitation.partnership):
        # An invitation speaks for a lead; once they no longer lead, it lapses with them.
        reason = "lapsed"
    else:
        return None
    return InvitationProblem(reason, INVITATION_PROBLEMS[reason])


def invitation_accepted_message(member: PartnershipMember, joined: bool) -> str:
    """What the invited person is told after accepting, on the page and in the API."""
    name = member.partnership.name
    if joined:
        return f"You have joined {name} as {member.get_role_display().lower()}."
    return f"You were already a member of {name}, so nothing has changed."


def invitation_declined_message(invitation: PartnershipInvitation) -> str:
    return f"You have declined the invitation to {invitation.partnership.name}."


def invitation_for_token(token: str) -> PartnershipInvitation | None:
    """The invitation a link names, whatever its state; None for a link that is not one."""
    found = read_signed_link(token, salt=PartnershipInvitation.LINK_SALT)
    if found is None:
        return None
    invitation = (
        PartnershipInvitation.objects.select_related("partnership", "invited_by")
        .filter(pk=found[0])
        .first()
    )
    if invitation is None or not constant_time_compare(invitation.secret_hash, found[1]):
        return None
    return invitation


def invitee_address_shown(invitation: PartnershipInvitation, viewer: Any) -> bool:
    """An invitation's address is personal data: shown only to the lead who typed it in (an
    invitation to a need's respondent names their organisation instead, to everyone)."""
    return invitation.organisation_id is None and invitation.invited_by_id == getattr(
        viewer, "pk", None
    )


def invitee_label(invitation: PartnershipInvitation, viewer: Any) -> str:
    """Whom an invitation went to, as the viewer may see it: the address they typed, someone at
    the organisation invited, or who sent it (never another person's address). An address
    forgotten when its person deleted their account is a deleted account."""
    if not invitation.email:
        return "Deleted account"
    if invitee_address_shown(invitation, viewer):
        return invitation.email
    if invitation.organisation is not None:
        return f"A person at {invitation.organisation.name}"
    return f"A person invited by {display_name(invitation.invited_by)}"


def pending_invitations(partnership: Partnership) -> list[PartnershipInvitation]:
    """Invitations not yet answered or withdrawn (expired ones included, so a lead sees
    them), newest first."""
    return list(
        partnership.invitations.filter(status=InvitationStatus.PENDING)
        .select_related("organisation", "invited_by")
        .order_by("-created_at", "-pk")
    )
