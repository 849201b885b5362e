"""Writes in the commissioning context: one function an action, each checking permission on the
server and recording an audit event in the same transaction."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commonground.accounts import permissions
from commonground.accounts.services import _send as send_email
from commonground.accounts.services import display_name, normalise_email
from commonground.audit.services import audit_record, snapshot
from commonground.core.signed_links import new_link_secret, signed_link

from .answers import Answers, answers_to_json
from .engine import appraise
from .models import Appraisal, AppraisalInvitation, ShareStatus

_FIELDS = ("name", "answers", "decision_date", "rules_version")


class ShareError(ValueError):
    """Sharing or answering a share failed for a reason the person can fix."""


def _default_name(answers: Answers) -> str:
    return f"Appraisal for {answers.decision_date:%-d %B %Y}"


@transaction.atomic
def appraisal_create(*, author: Any, answers: Answers, name: str = "") -> Appraisal:
    """Save an appraisal: the answers and the engine's result under today's rules version."""
    permissions.require(permissions.is_signed_in(author))
    result = appraise(answers)
    appraisal = Appraisal.objects.create(
        author=author,
        name=(name.strip() or _default_name(answers))[:200],
        answers=answers_to_json(answers),
        decision_date=answers.decision_date,
        result=result,
        rules_version=result["rules_version"],
    )
    audit_record(
        actor=author,
        action="appraisal.create",
        obj=appraisal,
        after=snapshot(appraisal, _FIELDS),
    )
    return appraisal


@transaction.atomic
def appraisal_copy(*, user: Any, appraisal: Appraisal) -> Appraisal:
    """A new appraisal of the copier's own with the same answers, worked out again with the
    current rules (so a copy of an old record shows what the rules say now)."""
    permissions.require(permissions.can_view(user, appraisal))
    from .answers import parse_answers

    answers = parse_answers(appraisal.answers)
    copy = appraisal_create(author=user, answers=answers, name=f"Copy of {appraisal.name}"[:200])
    audit_record(
        actor=user,
        action="appraisal.copy",
        obj=copy,
        after={"copied_from": appraisal.pk},
    )
    return copy


@transaction.atomic
def appraisal_rename(*, user: Any, appraisal: Appraisal, name: str) -> Appraisal:
    permissions.require(permissions.can_change(user, appraisal))
    before = snapshot(appraisal, ("name",))
    appraisal.name = name.strip()[:200] or appraisal.name
    appraisal.save(update_fields=["name", "updated_at"])
    audit_record(
        actor=user,
        action="appraisal.rename",
        obj=appraisal,
        before=before,
        after=snapshot(appraisal, ("name",)),
    )
    return appraisal


SHARE_DAYS = 14
# Sending limits over a rolling 24 hours, as for partnership invitations (ADR 0015): enough to
# share an appraisal with a committee, too few to send mail in bulk or pester one address.
SHARE_WINDOW = dt.timedelta(hours=24)
SHARES_PER_SENDER = 30  # by one person, across all their appraisals
SHARES_PER_ADDRESS = 3  # to one address, for one appraisal (re-sent invitations count)


class ShareLimit(ShareError):
    """The sender has sent as many invitations as the limits allow for now."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _check_share_limits(user: Any, appraisal: Appraisal, email: str, now: dt.datetime) -> None:
    recent = AppraisalInvitation.objects.filter(created_at__gt=now - SHARE_WINDOW)
    checks = [
        (
            recent.filter(invited_by=user),
            SHARES_PER_SENDER,
            f"You have sent {SHARES_PER_SENDER} invitations in the last 24 hours, the most "
            "allowed.",
        ),
        (
            recent.filter(appraisal=appraisal, email=email),
            SHARES_PER_ADDRESS,
            f"This appraisal has been shared with {email} {SHARES_PER_ADDRESS} times in the last "
            "24 hours, the most allowed.",
        ),
    ]
    for rows, limit, message in checks:
        sent = list(rows.order_by("-created_at").values_list("created_at", flat=True)[:limit])
        if len(sent) >= limit:
            # The oldest of the last `limit` leaves the window first; rounded up to the hour
            # or minute, so nobody is told to try again before they can.
            wait = math.ceil((sent[-1] + SHARE_WINDOW - now).total_seconds())
            hours, minutes = math.ceil(wait / 3600), math.ceil(wait / 60)
            plural = "s" if minutes != 1 else ""
            when = f"{hours} hours" if wait > 3600 else f"{minutes} minute{plural}"
            raise ShareLimit(f"{message} You can send another in {when}.", wait)


@transaction.atomic
def appraisal_share(*, user: Any, appraisal: Appraisal, email: str, site_url: str) -> None:
    """Offer the person at this address a view of the appraisal. Whether the address has an
    account is not looked up: the same thing happens either way (an email with a link), so the
    answer tells the sender nothing. Nothing is shared until the person accepts. A pending
    offer to the same address is replaced, so only the newest link works."""
    permissions.require(permissions.can_change(user, appraisal))
    permissions.require_confirmed(user)
    email = normalise_email(email)
    if not email:
        raise ShareError("Enter the email address of the person to share with")
    if email == normalise_email(user.email or ""):
        raise ShareError("You cannot share an appraisal with yourself")
    now = timezone.now()
    _check_share_limits(user, appraisal, email, now)
    appraisal.invitations.filter(email=email, status=ShareStatus.PENDING).update(
        status=ShareStatus.REPLACED
    )
    secret, secret_hash = new_link_secret()
    invitation = AppraisalInvitation.objects.create(
        appraisal=appraisal,
        email=email,
        secret_hash=secret_hash,
        invited_by=user,
        created_at=now,
        expires_at=now + dt.timedelta(days=SHARE_DAYS),
    )
    # The address is personal data: the audit keeps the invitation's id, not the address.
    audit_record(
        actor=user,
        action="appraisal.share_invite",
        obj=appraisal,
        after={"invitation": invitation.pk},
    )
    path = reverse(
        "commissioning:share-invitation",
        args=[signed_link(invitation.pk, secret, salt=AppraisalInvitation.LINK_SALT)],
    )
    context = {
        "inviter": display_name(user),
        "appraisal": appraisal.name,
        "link": site_url.rstrip("/") + path,
        "email": email,
        "expires_on": timezone.localtime(invitation.expires_at).date(),
    }
    transaction.on_commit(
        lambda: send_email(
            email,
            "A route appraisal has been shared with you on Common Ground",
            "commissioning/email/share.txt",
            context,
        )
    )


def share_invitation_problem(invitation: AppraisalInvitation | None, user: Any) -> str:
    """Why this person cannot answer this invitation now ('' if they can)."""
    if invitation is None:
        return "This link is not valid."
    if invitation.status != ShareStatus.PENDING:
        return "This invitation has already been answered, replaced by a newer one or withdrawn."
    if invitation.expires_at <= timezone.now():
        return "This invitation has expired. Ask the person who sent it to share it again."
    if not permissions.has_confirmed_email(user, invitation.email):
        return (
            "This invitation was sent to another email address. Sign in with the address it "
            "was sent to, and confirm that address, to answer it."
        )
    return ""


@transaction.atomic
def share_invitation_answer(*, user: Any, invitation: AppraisalInvitation, accept: bool) -> None:
    """The person it was sent to accepts (the appraisal joins their list) or declines."""
    invitation = AppraisalInvitation.objects.select_for_update().get(pk=invitation.pk)
    problem = share_invitation_problem(invitation, user)
    if problem:
        raise ShareError(problem)
    invitation.status = ShareStatus.ACCEPTED if accept else ShareStatus.DECLINED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    if accept:
        invitation.appraisal.shared_with.add(user)
    audit_record(
        actor=user,
        action="appraisal.share_accept" if accept else "appraisal.share_decline",
        obj=invitation.appraisal,
        after={"invitation": invitation.pk, "shared_with": user.pk if accept else None},
    )


@transaction.atomic
def share_invitation_withdraw(*, user: Any, invitation: AppraisalInvitation) -> None:
    """Whoever may change the appraisal withdraws an invitation not yet answered (expired ones
    too): its link stops working and nothing is shared."""
    invitation = AppraisalInvitation.objects.select_for_update().get(pk=invitation.pk)
    permissions.require(permissions.can_change(user, invitation.appraisal))
    if invitation.status != ShareStatus.PENDING:
        raise ShareError("That invitation has already been answered, replaced or withdrawn.")
    invitation.status = ShareStatus.WITHDRAWN
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    audit_record(
        actor=user,
        action="appraisal.share_withdraw",
        obj=invitation.appraisal,
        after={"invitation": invitation.pk},
    )


@transaction.atomic
def appraisal_unshare(*, user: Any, appraisal: Appraisal, other_id: int) -> None:
    permissions.require(permissions.can_change(user, appraisal))
    if not appraisal.shared_with.filter(pk=other_id).exists():
        return  # nothing to stop: the audit trail records only what changed
    appraisal.shared_with.remove(other_id)
    audit_record(
        actor=user,
        action="appraisal.unshare",
        obj=appraisal,
        before={"shared_with": other_id},
    )


@transaction.atomic
def appraisal_delete(*, user: Any, appraisal: Appraisal) -> None:
    permissions.require(permissions.can_change(user, appraisal))
    audit_record(
        actor=user,
        action="appraisal.delete",
        obj=appraisal,
        before=snapshot(appraisal, _FIELDS),
    )
    appraisal.delete()
