"""Writes to partnerships: one function an action. Each checks the rule on the server, runs in one
transaction and records an audit event (before and after) in it, so a refused or failed write
leaves nothing behind."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from commonground.accounts import permissions
from commonground.accounts.perspectives import Perspective, perspective_for
from commonground.accounts.services import _send as send_email
from commonground.accounts.services import normalise_email, sender_name
from commonground.audit.services import audit_record, snapshot
from commonground.commissioning.case_studies import case_study
from commonground.commissioning.models import Appraisal
from commonground.core import ratelimit
from commonground.core.signed_links import new_link_secret, signed_link
from commonground.core.uploads import DOCUMENT_KINDS, UploadRejected, check_upload
from commonground.money.models import MoneyFlow
from commonground.organisations.models import Organisation
from commonground.places.models import Place

from .models import (
    HealthCheckAnswer,
    HealthCheckRound,
    HealthCheckScore,
    InvitationStatus,
    MemberRole,
    Milestone,
    Partnership,
    PartnershipDocument,
    PartnershipFunding,
    PartnershipInvitation,
    PartnershipMember,
    Principle,
    Stage,
    StageChange,
)
from .selectors import invitation_problem

PARTNERSHIP_FIELDS = [
    "name",
    "purpose",
    "place",
    "stage",
    "is_example",
    "resembles_case_study",
    "appraisal",
]
MEMBER_FIELDS = [
    "partnership",
    "user",
    "organisation",
    "perspective",
    "role",
    "joined_on",
    "left_on",
]
MILESTONE_FIELDS = ["title", "description", "due_on", "done_on"]
DOCUMENT_FIELDS = ["title", "original_name", "kind", "size_bytes"]
ROUND_FIELDS = ["number", "opened_on", "closed_on"]
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
INVITATION_FIELDS = ["partnership", "email", "role", "perspective", "status", "expires_at"]
INVITATION_DAYS = 14
# Sending limits over a rolling 24 hours (ADR 0015): enough for a lead setting up a partnership,
# too few to use Common Ground to send mail in bulk or to pester one address.
INVITATION_WINDOW = dt.timedelta(hours=24)
INVITATIONS_PER_PARTNERSHIP = 20  # by one lead, in one partnership
INVITATIONS_PER_LEAD = 50  # by one lead, across all their partnerships
INVITATIONS_PER_ADDRESS = 3  # to one address, in one partnership (re-invitations count)


class PartnershipError(Exception):
    """Input the rules refuse, with a message fit to show the person and the field it is about.
    `conflict` marks a clash with what is already recorded (an answer already given)."""

    def __init__(self, message: str, field: str = "", *, conflict: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.conflict = conflict


class InvitationLimit(PartnershipError):
    """The lead has sent as many invitations as the limits allow for now."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, "email")
        self.retry_after = retry_after


class InvitationUnusable(PartnershipError):
    """The invitation can no longer be answered: `reason` says why (an InvitationState)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message, "invitation", conflict=True)
        self.reason = reason


def _text(value: str, field: str, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise PartnershipError(f"Enter {label}.", field)
    if len(value) > max_length:
        raise PartnershipError(
            f"{label.capitalize()} must be {max_length} characters or fewer.", field
        )
    return value


def _case_study_slug(slug: str) -> str:
    slug = (slug or "").strip()
    if slug and case_study(slug) is None:
        raise PartnershipError("Choose a case study from the list.", "resembles_case_study")
    return slug


def _stage(stage: str) -> str:
    if stage not in Stage.values:
        raise PartnershipError("Choose a stage from the list.", "stage")
    return stage


def _perspective(value: str) -> str:
    if value not in Perspective.values:
        raise PartnershipError(
            "Choose a perspective: commissioner, provider, funder or community.", "perspective"
        )
    return value


def _role(value: str) -> str:
    if value not in MemberRole.values:
        raise PartnershipError("Choose a role: lead, accountable body, member or observer.", "role")
    return value


# ---- Partnerships ------------------------------------------------------------------------------


@transaction.atomic
def partnership_create(
    actor: User,
    *,
    name: str,
    purpose: str,
    place: Place | None,
    perspective: str,
    stage: str = Stage.IDEA,
    resembles_case_study: str = "",
    is_example: bool = False,
    started_on: dt.date | None = None,
) -> Partnership:
    """A new partnership; whoever creates it becomes its lead, speaking from `perspective`."""
    permissions.require_confirmed(actor)
    if place is None:
        raise PartnershipError("Choose the place the partnership serves.", "place")
    now = timezone.now()
    partnership = Partnership.objects.create(
        name=_text(name, "name", "a name", 200),
        purpose=_text(purpose, "purpose", "the purpose", 5000),
        place=place,
        stage=_stage(stage),
        is_example=is_example,
        resembles_case_study=_case_study_slug(resembles_case_study),
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    today = started_on or timezone.localdate()
    lead = PartnershipMember.objects.create(
        partnership=partnership,
        user=actor,
        perspective=_perspective(perspective),
        role=MemberRole.LEAD,
        joined_on=today,
        added_by=actor,
    )
    StageChange.objects.create(
        partnership=partnership,
        from_stage="",
        to_stage=partnership.stage,
        changed_on=today,
        changed_by=actor,
        recorded_at=now,
    )
    audit_record(
        actor=actor,
        action="partnership.create",
        obj=partnership,
        after=snapshot(partnership, PARTNERSHIP_FIELDS),
    )
    audit_record(
        actor=actor, action="partnership.member_add", obj=lead, after=snapshot(lead, MEMBER_FIELDS)
    )
    return partnership


def _locked(partnership: Partnership) -> Partnership:
    return Partnership.objects.select_for_update().get(pk=partnership.pk)


@transaction.atomic
def partnership_update(
    actor: User, partnership: Partnership, changes: Mapping[str, Any]
) -> Partnership:
    """Change the name, purpose, place or the case study it resembles. The stage has its own
    action (`partnership_change_stage`) because each move is dated in the history."""
    partnership = _locked(partnership)
    permissions.require(permissions.can_change_partnership(actor, partnership))
    before = snapshot(partnership, PARTNERSHIP_FIELDS)
    for key, value in changes.items():
        if key == "name":
            partnership.name = _text(value, "name", "a name", 200)
        elif key == "purpose":
            partnership.purpose = _text(value, "purpose", "the purpose", 5000)
        elif key == "place":
            if value is None:
                raise PartnershipError("Choose the place the partnership serves.", "place")
            partnership.place = value
        elif key == "resembles_case_study":
            partnership.resembles_case_study = _case_study_slug(value)
        else:
            raise PartnershipError(f"{key} cannot be changed here.", key)
    after = snapshot(partnership, PARTNERSHIP_FIELDS)
    if after != before:
        partnership.updated_at = timezone.now()
        partnership.save()
        audit_record(
            actor=actor, action="partnership.update", obj=partnership, before=before, after=after
        )
    return partnership


@transaction.atomic
def partnership_change_stage(
    actor: User, partnership: Partnership, stage: str, changed_on: dt.date | None, note: str = ""
) -> StageChange:
    partnership = _locked(partnership)
    permissions.require(permissions.can_change_partnership(actor, partnership))
    stage = _stage(stage)
    if stage == partnership.stage:
        raise PartnershipError(f"The partnership is already at the {stage} stage.", "stage")
    if changed_on is None:
        raise PartnershipError("Enter the date the stage changed.", "changed_on")
    if changed_on > timezone.localdate():
        raise PartnershipError(
            "The date the stage changed must be today or in the past.", "changed_on"
        )
    last = partnership.stage_changes.order_by("-changed_on", "-pk").first()
    if last is not None and changed_on < last.changed_on:
        raise PartnershipError(
            f"The date must be on or after the last change ({last.changed_on:%d/%m/%Y}).",
            "changed_on",
        )
    before = snapshot(partnership, PARTNERSHIP_FIELDS)
    change = StageChange.objects.create(
        partnership=partnership,
        from_stage=partnership.stage,
        to_stage=stage,
        changed_on=changed_on,
        note=_text(note, "note", "a note", 2000, required=False),
        changed_by=actor,
        recorded_at=timezone.now(),
    )
    partnership.stage = stage
    partnership.updated_at = timezone.now()
    partnership.save()
    audit_record(
        actor=actor,
        action="partnership.stage_change",
        obj=partnership,
        before=before,
        after={**snapshot(partnership, PARTNERSHIP_FIELDS), "changed_on": changed_on},
    )
    return change


@transaction.atomic
def partnership_link_appraisal(
    actor: User, partnership: Partnership, appraisal: Appraisal | None
) -> Partnership:
    """Record which saved route appraisal the partnership's route came from (None: unlink).
    Only an appraisal the person can see may be linked; it stays private to whoever it is
    shared with."""
    partnership = _locked(partnership)
    permissions.require(permissions.can_change_partnership(actor, partnership))
    if appraisal is not None and not permissions.can_view(actor, appraisal):
        raise PartnershipError("Choose one of your saved route appraisals.", "appraisal")
    before = snapshot(partnership, PARTNERSHIP_FIELDS)
    partnership.appraisal = appraisal
    partnership.updated_at = timezone.now()
    partnership.save()
    audit_record(
        actor=actor,
        action="partnership.route_appraisal",
        obj=partnership,
        before=before,
        after=snapshot(partnership, PARTNERSHIP_FIELDS),
    )
    return partnership


@transaction.atomic
def partnership_add_funding(
    actor: User, partnership: Partnership, money_flow: MoneyFlow, note: str = ""
) -> PartnershipFunding:
    """Say that a money flow from the ledger funds the partnership."""
    permissions.require(permissions.can_change_partnership(actor, partnership))
    if partnership.funding.filter(money_flow=money_flow).exists():
        raise PartnershipError("That money flow is already linked.", "money_flow", conflict=True)
    link = PartnershipFunding.objects.create(
        partnership=partnership,
        money_flow=money_flow,
        note=_text(note, "note", "a note", 500, required=False),
        added_by=actor,
        added_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="partnership.funding_add",
        obj=link,
        after=snapshot(link, ["partnership", "money_flow", "note"]),
    )
    return link


@transaction.atomic
def partnership_remove_funding(actor: User, link: PartnershipFunding) -> None:
    permissions.require(permissions.can_change_partnership(actor, link.partnership))
    before = snapshot(link, ["partnership", "money_flow", "note"])
    audit_record(actor=actor, action="partnership.funding_remove", obj=link, before=before)
    link.delete()


# ---- Members -----------------------------------------------------------------------------------


@transaction.atomic
def partnership_add_member(
    actor: User,
    partnership: Partnership,
    *,
    user: User | None = None,
    organisation: Organisation | None = None,
    perspective: str = "",
    role: str = MemberRole.MEMBER,
    joined_on: dt.date | None = None,
) -> PartnershipMember:
    """Add a person or an organisation from the atlas. Only a lead adds members. Without a
    perspective an organisation's follows from its sector (as for the people who act for it)."""
    partnership = _locked(partnership)
    permissions.require(permissions.can_manage_partnership_members(actor, partnership))
    if (user is None) == (organisation is None):
        raise PartnershipError("Choose either a person or an organisation.", "organisation")
    if user is not None and not user.is_active:
        raise PartnershipError("That account has been closed.", "email")
    if not perspective and organisation is not None:
        perspective = perspective_for(organisation.sector, "officer").value
    current = partnership.members.filter(left_on__isnull=True)
    if user is not None and current.filter(user=user).exists():
        raise PartnershipError("That person is already a member.", "email", conflict=True)
    if organisation is not None and current.filter(organisation=organisation).exists():
        raise PartnershipError(
            "That organisation is already a member.", "organisation", conflict=True
        )
    member = PartnershipMember.objects.create(
        partnership=partnership,
        user=user,
        organisation=organisation,
        perspective=_perspective(perspective),
        role=_role(role),
        joined_on=joined_on or timezone.localdate(),
        added_by=actor,
    )
    audit_record(
        actor=actor,
        action="partnership.member_add",
        obj=member,
        after=snapshot(member, MEMBER_FIELDS),
    )
    return member


@transaction.atomic
def partnership_member_leave(
    actor: User, member: PartnershipMember, left_on: dt.date | None = None
) -> PartnershipMember:
    """End a membership (the row stays, dated). The last lead cannot leave: someone must be
    able to manage the partnership."""
    partnership = _locked(member.partnership)
    member = PartnershipMember.objects.select_for_update().get(pk=member.pk)
    is_self = member.user_id is not None and member.user_id == actor.pk
    permissions.require(is_self or permissions.can_manage_partnership_members(actor, partnership))
    if member.left_on is not None:
        raise PartnershipError("That membership has already ended.", "member", conflict=True)
    leads = partnership.members.filter(left_on__isnull=True, role=MemberRole.LEAD)
    if member.role == MemberRole.LEAD and leads.count() == 1:
        raise PartnershipError(
            "The partnership's only lead cannot leave. Make another member lead first.", "member"
        )
    before = snapshot(member, MEMBER_FIELDS)
    member.left_on = left_on or timezone.localdate()
    member.save()
    audit_record(
        actor=actor,
        action="partnership.member_leave",
        obj=member,
        before=before,
        after=snapshot(member, MEMBER_FIELDS),
    )
    return member


# ---- Invitations -------------------------------------------------------------------------------
# A person joins by invitation to their email address. Nothing here looks up whether the address
# has an account: the lead sees the same outcome, and the same email is sent, either way.


def _email(value: str) -> str:
    email = normalise_email(value or "")
    if not email:
        raise PartnershipError("Enter the person's email address.", "email")
    try:
        validate_email(email)
    except ValidationError:
        raise PartnershipError("Enter an email address like name@example.com.", "email") from None
    return email


def _wait_text(seconds: int) -> str:
    # Rounded up, so nobody is told to try again before they can.
    if seconds > 3600:
        hours = math.ceil(seconds / 3600)
        return f"{hours} hours"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _check_sending_limits(
    actor: User, partnership: Partnership, email: str, now: dt.datetime
) -> None:
    recent = PartnershipInvitation.objects.filter(created_at__gt=now - INVITATION_WINDOW)
    checks = [
        (
            recent.filter(invited_by=actor, partnership=partnership),
            INVITATIONS_PER_PARTNERSHIP,
            f"You have sent {INVITATIONS_PER_PARTNERSHIP} invitations for this partnership in "
            f"the last 24 hours, the most allowed.",
        ),
        (
            recent.filter(invited_by=actor),
            INVITATIONS_PER_LEAD,
            f"You have sent {INVITATIONS_PER_LEAD} invitations in the last 24 hours, the most "
            f"allowed.",
        ),
        (
            recent.filter(partnership=partnership, email=email),
            INVITATIONS_PER_ADDRESS,
            f"{email} has been invited {INVITATIONS_PER_ADDRESS} times in the last 24 hours, "
            f"the most allowed.",
        ),
    ]
    for rows, limit, message in checks:
        sent = list(rows.order_by("-created_at").values_list("created_at", flat=True)[:limit])
        if len(sent) >= limit:
            # The oldest of the last `limit` leaves the window first.
            wait = math.ceil((sent[-1] + INVITATION_WINDOW - now).total_seconds())
            raise InvitationLimit(f"{message} You can send another in {_wait_text(wait)}.", wait)


@transaction.atomic
def invitation_send(
    actor: User,
    partnership: Partnership,
    *,
    email: str,
    perspective: str,
    role: str = MemberRole.MEMBER,
    site_url: str,
) -> PartnershipInvitation:
    """Invite an email address to join with a role and a perspective. Only a lead invites. A
    pending invitation to the same address is replaced, so only the newest link works. The
    email goes once the invitation is committed."""
    partnership = _locked(partnership)
    permissions.require(permissions.can_invite_to_partnership(actor, partnership))
    email = _email(email)
    role = _role(role)
    perspective = _perspective(perspective)
    # Current members are listed with their addresses to the lead already, so saying so
    # reveals nothing new; whether anyone else has an account is never looked up.
    if partnership.members.filter(left_on__isnull=True, user__email__iexact=email).exists():
        raise PartnershipError(
            f"{email} is already a member of this partnership.", "email", conflict=True
        )
    now = timezone.now()
    _check_sending_limits(actor, partnership, email, now)
    for old in partnership.invitations.select_for_update().filter(
        email=email, status=InvitationStatus.PENDING
    ):
        before = snapshot(old, INVITATION_FIELDS)
        old.status = InvitationStatus.REPLACED
        old.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="partnership.invitation_replace",
            obj=old,
            before=before,
            after=snapshot(old, INVITATION_FIELDS),
        )
    secret, secret_hash = new_link_secret()
    invitation = PartnershipInvitation.objects.create(
        partnership=partnership,
        email=email,
        role=role,
        perspective=perspective,
        secret_hash=secret_hash,
        invited_by=actor,
        created_at=now,
        expires_at=now + dt.timedelta(days=INVITATION_DAYS),
    )
    audit_record(
        actor=actor,
        action="partnership.invitation_send",
        obj=invitation,
        after=snapshot(invitation, INVITATION_FIELDS),
    )
    path = reverse(
        "partnerships:invitation",
        args=[signed_link(invitation.pk, secret, salt=PartnershipInvitation.LINK_SALT)],
    )
    context = {
        "inviter": sender_name(actor),
        "partnership": partnership.name,
        "role": MemberRole(role).label,
        "email": email,
        "expires_on": timezone.localtime(invitation.expires_at).date(),
        "link": site_url.rstrip("/") + path,
    }
    transaction.on_commit(
        lambda: send_email(
            email,
            f"You are invited to join {partnership.name} on Common Ground",
            "partnerships/email/invitation.txt",
            context,
        )
    )
    return invitation


def _locked_invitation(invitation: PartnershipInvitation) -> PartnershipInvitation:
    # Partnership first, then the invitation: the order invitation_send takes its locks in.
    _locked(invitation.partnership)
    return (
        PartnershipInvitation.objects.select_for_update(of=("self",))
        .select_related("partnership", "invited_by")
        .get(pk=invitation.pk)
    )


def _require_usable(invitation: PartnershipInvitation) -> None:
    problem = invitation_problem(invitation)
    if problem is not None:
        raise InvitationUnusable(problem.message, problem.reason)


def _answer(
    actor: User,
    invitation: PartnershipInvitation,
    status: str,
    action: str,
    member: PartnershipMember | None = None,
) -> PartnershipInvitation:
    before = snapshot(invitation, INVITATION_FIELDS)
    invitation.status = status
    invitation.responded_by = actor
    invitation.responded_at = timezone.now()
    invitation.member = member
    invitation.save(update_fields=["status", "responded_by", "responded_at", "member"])
    audit_record(
        actor=actor,
        action=action,
        obj=invitation,
        before=before,
        after=snapshot(invitation, INVITATION_FIELDS),
    )
    return invitation


@transaction.atomic
def invitation_accept(
    actor: User, invitation: PartnershipInvitation
) -> tuple[PartnershipMember, bool]:
    """The invited person joins with the role and perspective in the invitation. They must be
    signed in with the invited address, confirmed; the link then stops working. Returns their
    membership and whether it is new (someone already a member keeps theirs as it is)."""
    if permissions.is_signed_in(actor):
        ratelimit.hit("invitation-answer", account=actor.pk)
    invitation = _locked_invitation(invitation)
    _require_usable(invitation)
    if not permissions.can_answer_invitation(actor, invitation):
        raise PermissionDenied("This invitation was sent to a different email address.")
    partnership = invitation.partnership
    current = partnership.members.filter(left_on__isnull=True, user=actor).first()
    joined = current is None
    if current is None:
        current = PartnershipMember.objects.create(
            partnership=partnership,
            user=actor,
            perspective=invitation.perspective,
            role=invitation.role,
            joined_on=timezone.localdate(),
            added_by=invitation.invited_by,
        )
        audit_record(
            actor=actor,
            action="partnership.member_add",
            obj=current,
            after=snapshot(current, MEMBER_FIELDS),
        )
    _answer(actor, invitation, InvitationStatus.ACCEPTED, "partnership.invitation_accept", current)
    return current, joined


@transaction.atomic
def invitation_decline(actor: User, invitation: PartnershipInvitation) -> PartnershipInvitation:
    if permissions.is_signed_in(actor):
        ratelimit.hit("invitation-answer", account=actor.pk)
    invitation = _locked_invitation(invitation)
    _require_usable(invitation)
    if not permissions.can_answer_invitation(actor, invitation):
        raise PermissionDenied("This invitation was sent to a different email address.")
    return _answer(actor, invitation, InvitationStatus.DECLINED, "partnership.invitation_decline")


@transaction.atomic
def invitation_revoke(actor: User, invitation: PartnershipInvitation) -> PartnershipInvitation:
    """A lead withdraws an invitation that has not been answered (expired ones too)."""
    invitation = _locked_invitation(invitation)
    permissions.require(permissions.can_invite_to_partnership(actor, invitation.partnership))
    if invitation.status != InvitationStatus.PENDING:
        raise PartnershipError(
            "That invitation has already been answered or withdrawn.", "invitation", conflict=True
        )
    return _answer(actor, invitation, InvitationStatus.REVOKED, "partnership.invitation_revoke")


# ---- Milestones and documents ------------------------------------------------------------------


@transaction.atomic
def milestone_add(
    actor: User,
    partnership: Partnership,
    *,
    title: str,
    description: str = "",
    due_on: dt.date | None = None,
) -> Milestone:
    permissions.require(permissions.can_change_partnership(actor, partnership))
    milestone = Milestone.objects.create(
        partnership=partnership,
        title=_text(title, "title", "a title", 200),
        description=_text(description, "description", "a description", 2000, required=False),
        due_on=due_on,
        created_by=actor,
        created_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="partnership.milestone_add",
        obj=milestone,
        after=snapshot(milestone, MILESTONE_FIELDS),
    )
    return milestone


@transaction.atomic
def milestone_mark_done(actor: User, milestone: Milestone, done_on: dt.date | None) -> Milestone:
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    permissions.require(permissions.can_change_partnership(actor, milestone.partnership))
    if done_on is None:
        raise PartnershipError("Enter the date the milestone was reached.", "done_on")
    if done_on > timezone.localdate():
        raise PartnershipError("The date must be today or in the past.", "done_on")
    before = snapshot(milestone, MILESTONE_FIELDS)
    milestone.done_on = done_on
    milestone.save()
    audit_record(
        actor=actor,
        action="partnership.milestone_done",
        obj=milestone,
        before=before,
        after=snapshot(milestone, MILESTONE_FIELDS),
    )
    return milestone


def document_upload(
    actor: User, partnership: Partnership, *, title: str, upload: Any
) -> PartnershipDocument:
    """Store a document after checking its size and, by its content, its type. The file is
    written only once the checks pass; if the database write fails it is removed again."""
    permissions.require(permissions.can_change_partnership(actor, partnership))
    title = _text(title, "title", "a title for the document", 200)
    if upload is None:
        raise PartnershipError("Select a file to upload.", "file")
    try:
        kind = check_upload(upload, allowed=DOCUMENT_KINDS, max_bytes=DOCUMENT_MAX_BYTES)
    except UploadRejected as error:
        raise PartnershipError(str(error), "file") from error
    original_name = PurePath(upload.name or "upload").name[:255]
    document = PartnershipDocument(
        partnership=partnership,
        title=title,
        original_name=original_name,
        kind=kind.code,
        size_bytes=upload.size,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    document.file.save(original_name, upload, save=False)
    try:
        with transaction.atomic():
            document.save()
            audit_record(
                actor=actor,
                action="partnership.document_upload",
                obj=document,
                after=snapshot(document, DOCUMENT_FIELDS),
            )
    except Exception:
        document.file.delete(save=False)
        raise
    return document


# ---- Health check ------------------------------------------------------------------------------


@transaction.atomic
def health_check_round_open(
    actor: User, partnership: Partnership, opened_on: dt.date | None = None
) -> HealthCheckRound:
    """Open the next round. Only a lead opens one, and only one is open at a time."""
    partnership = _locked(partnership)
    permissions.require(permissions.can_manage_health_check(actor, partnership))
    if partnership.health_check_rounds.filter(closed_on__isnull=True).exists():
        raise PartnershipError(
            "A round is already open. Close it before opening another.", "round", conflict=True
        )
    last = partnership.health_check_rounds.order_by("-number").first()
    health_round = HealthCheckRound.objects.create(
        partnership=partnership,
        number=(last.number + 1) if last else 1,
        opened_on=opened_on or timezone.localdate(),
        opened_by=actor,
    )
    audit_record(
        actor=actor,
        action="partnership.health_check_open",
        obj=health_round,
        after=snapshot(health_round, ROUND_FIELDS),
    )
    return health_round


@transaction.atomic
def health_check_round_close(
    actor: User, health_round: HealthCheckRound, closed_on: dt.date | None = None
) -> HealthCheckRound:
    health_round = HealthCheckRound.objects.select_for_update().get(pk=health_round.pk)
    permissions.require(permissions.can_manage_health_check(actor, health_round.partnership))
    if health_round.closed_on is not None:
        raise PartnershipError("This round is already closed.", "round", conflict=True)
    before = snapshot(health_round, ROUND_FIELDS)
    health_round.closed_on = max(closed_on or timezone.localdate(), health_round.opened_on)
    health_round.save()
    audit_record(
        actor=actor,
        action="partnership.health_check_close",
        obj=health_round,
        before=before,
        after=snapshot(health_round, ROUND_FIELDS),
    )
    return health_round


def _score(value: Any, principle: str) -> int:
    # bool is an int in Python; True is not a score.
    if isinstance(value, bool):
        raise PartnershipError(
            f"Choose a score from 1 to 5 for {Principle(principle).label.lower()}.",
            f"{principle}_score",
        )
    try:
        score = int(value)
    except (TypeError, ValueError):
        raise PartnershipError(
            f"Choose a score from 1 to 5 for {Principle(principle).label.lower()}.",
            f"{principle}_score",
        ) from None
    if str(value).strip() not in (str(score), f"{score}.0") or not 1 <= score <= 5:
        raise PartnershipError(
            f"The score for {Principle(principle).label.lower()} must be a whole number from 1 "
            f"to 5.",
            f"{principle}_score",
        )
    return score


@transaction.atomic
def health_check_answer(
    actor: User,
    health_round: HealthCheckRound,
    answers: Mapping[str, tuple[Any, str]],
    *,
    respondent: User | None = None,
) -> HealthCheckAnswer:
    """One member's answers for the open round: a score from 1 to 5 and a comment for each of
    the nine principles. People answer only for themselves, once a round."""
    health_round = HealthCheckRound.objects.select_for_update().get(pk=health_round.pk)
    partnership = health_round.partnership
    if respondent is not None and respondent.pk != actor.pk:
        raise PermissionDenied("People answer the health check only for themselves.")
    perspective = partnership.perspective_of(actor)
    if perspective is None:
        raise PermissionDenied("Only the partnership's members answer its health check.")
    if health_round.closed_on is not None:
        raise PartnershipError("This round has closed.", "round", conflict=True)
    if health_round.answers.filter(respondent=actor).exists():
        raise PartnershipError(
            "You have already answered this round. Each member answers once a round.",
            "round",
            conflict=True,
        )
    unknown = sorted(set(answers) - set(Principle.values))
    if unknown:
        raise PartnershipError(f"{unknown[0]} is not one of the nine principles.", unknown[0])
    missing = [p for p in Principle.values if p not in answers]
    if missing:
        raise PartnershipError(
            f"Choose a score for {Principle(missing[0]).label.lower()}.", f"{missing[0]}_score"
        )
    cleaned = {}
    for principle in Principle.values:
        score, comment = answers[principle]
        cleaned[principle] = (
            _score(score, principle),
            _text(comment, f"{principle}_comment", "a comment", 2000, required=False),
        )
    try:
        with transaction.atomic():
            answer = HealthCheckAnswer.objects.create(
                round=health_round,
                respondent=actor,
                perspective=perspective,
                submitted_at=timezone.now(),
            )
    except IntegrityError:
        raise PartnershipError(
            "You have already answered this round. Each member answers once a round.",
            "round",
            conflict=True,
        ) from None
    HealthCheckScore.objects.bulk_create(
        HealthCheckScore(answer=answer, principle=p, score=s, comment=c)
        for p, (s, c) in cleaned.items()
    )
    # The audit keeps that an answer was given, not the scores: one person's answers are theirs.
    audit_record(
        actor=actor,
        action="partnership.health_check_answer",
        obj=answer,
        after={"round": health_round.pk, "perspective": perspective, "principles": 9},
    )
    return answer
