"""Invitations to join a partnership, sent to an email address and answered through a signed
link (ADR 0015). Each write checks the rule on the server, runs in one transaction and records
an audit event in it."""

from __future__ import annotations

import datetime as dt
import math

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commonground.accounts import permissions
from commonground.accounts.services import _send as send_email
from commonground.accounts.services import normalise_email, sender_name
from commonground.audit.services import audit_record, snapshot
from commonground.core import ratelimit
from commonground.core.signed_links import new_link_secret, signed_link
from commonground.organisations.models import Organisation

from ..models import (
    InvitationStatus,
    MemberRole,
    Partnership,
    PartnershipInvitation,
    PartnershipMember,
)
from ..selectors import invitation_problem
from .partnerships import MEMBER_FIELDS, PartnershipError, _locked, _perspective, _role

INVITATION_FIELDS = ["partnership", "email", "role", "perspective", "status", "expires_at"]
INVITATION_DAYS = 14
# Sending limits over a rolling 24 hours (ADR 0015): enough for a lead setting up a partnership,
# too few to use Common Ground to send mail in bulk or to pester one address.
INVITATION_WINDOW = dt.timedelta(hours=24)
INVITATIONS_PER_PARTNERSHIP = 20  # by one lead, in one partnership
INVITATIONS_PER_LEAD = 50  # by one lead, across all their partnerships
INVITATIONS_PER_ADDRESS = 3  # to one address, in one partnership (re-invitations count)


def _snapshot(invitation: PartnershipInvitation) -> dict:
    """The invitation for the audit trail. A need's respondent's address is left out: the
    owner who invited them never sees it, and their data download includes their audit events."""
    after = snapshot(invitation, INVITATION_FIELDS)
    if invitation.organisation_id is not None:
        after["email"] = None
    return after


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
    actor: User,
    partnership: Partnership,
    email: str,
    now: dt.datetime,
    organisation: Organisation | None = None,
) -> None:
    # A need's respondent is named by their organisation: the owner never sees their address.
    invitee = email if organisation is None else f"A person at {organisation.name}"
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
            f"{invitee} has been invited {INVITATIONS_PER_ADDRESS} times in the last 24 hours, "
            f"the most allowed.",
        ),
    ]
    for rows, limit, message in checks:
        sent = list(rows.order_by("-created_at").values_list("created_at", flat=True)[:limit])
        if len(sent) >= limit:
            # The oldest of the last `limit` leaves the window first.
            wait = math.ceil((sent[-1] + INVITATION_WINDOW - now).total_seconds())
            raise InvitationLimit(f"{message} You can send another in {_wait_text(wait)}.", wait)


def _replace_pending(actor: User, partnership: Partnership, email: str) -> None:
    """Re-inviting an address replaces its pending invitation (only the newest link works)."""
    for old in partnership.invitations.select_for_update().filter(
        email=email, status=InvitationStatus.PENDING
    ):
        before = _snapshot(old)
        old.status = InvitationStatus.REPLACED
        old.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="partnership.invitation_replace",
            obj=old,
            before=before,
            after=_snapshot(old),
        )


@transaction.atomic
def invitation_send(
    actor: User,
    partnership: Partnership,
    *,
    email: str,
    perspective: str,
    role: str = MemberRole.MEMBER,
    site_url: str,
    organisation: Organisation | None = None,
) -> PartnershipInvitation:
    """Invite an email address to join with a role and a perspective. Only a lead invites. A
    pending invitation to the same address is replaced, so only the newest link works. The
    email goes once the invitation is committed. `organisation` is the one the invited person
    acts for when the actor did not type the address (a need's respondent): the invitation is
    then listed by it, and the address is never shown to the actor."""
    partnership = _locked(partnership)
    permissions.require(permissions.can_invite_to_partnership(actor, partnership))
    email = _email(email)
    role = _role(role)
    perspective = _perspective(perspective)
    # Members are listed by name, not address, so a typed address is invited whoever it
    # belongs to: refusing a member's address would tell the lead whose address it is. (They
    # keep their membership if they accept.) A respondent is known to the owner already.
    if (
        organisation is not None
        and partnership.members.filter(left_on__isnull=True, user__email__iexact=email).exists()
    ):
        raise PartnershipError(
            "That person is already a member of this partnership.", "email", conflict=True
        )
    now = timezone.now()
    _check_sending_limits(actor, partnership, email, now, organisation)
    _replace_pending(actor, partnership, email)
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
        organisation=organisation,
    )
    audit_record(
        actor=actor,
        action="partnership.invitation_send",
        obj=invitation,
        after=_snapshot(invitation),
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
    before = _snapshot(invitation)
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
        after=_snapshot(invitation),
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
