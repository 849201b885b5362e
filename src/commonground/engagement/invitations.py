"""Inviting a person into a conversation by email address, as partnerships do (ADR 0015).

Nothing here looks up whether an address has an account: the convener sees the same page, the
same email is sent and the same audit record is written either way. Whoever signs in with the
invited address, confirmed, takes the participant's place (`participant_accept`)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commonground.accounts import permissions
from commonground.accounts.services import _send as send_email
from commonground.accounts.services import normalise_email, sender_name
from commonground.audit.services import audit_record, snapshot

from .models import Conversation, Participant

# Over a rolling 24 hours: enough to set up a round table, too few to send mail in bulk.
INVITATION_WINDOW = dt.timedelta(hours=24)
INVITATIONS_PER_CONVERSATION = 20
INVITATIONS_PER_CONVENER = 50  # across every conversation one person convenes
PARTICIPANT_FIELDS = (
    "conversation",
    "user",
    "display_name",
    "perspective",
    "invited_email",
    "invitation_accepted_at",
)


def invited_address(value: str) -> str:
    email = normalise_email(value or "")
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": "Enter an email address like name@example.com."}) from None
    return email


def check_invitation(conversation: Conversation, email: str) -> None:
    """Refuses an address already invited here (the convener typed it, so saying so reveals
    nothing) and invitations over the sending limits."""
    if conversation.participants.filter(invited_email=email).exists():
        raise ValidationError({"email": f"{email} has already been invited to this conversation."})
    now = timezone.now()
    recent = Participant.objects.filter(added_at__gt=now - INVITATION_WINDOW).exclude(
        invited_email=""
    )
    by_convener = recent.filter(conversation__convener_id=conversation.convener_id)
    for rows, limit in (
        (recent.filter(conversation=conversation), INVITATIONS_PER_CONVERSATION),
        (by_convener, INVITATIONS_PER_CONVENER),
    ):
        sent = list(rows.order_by("-added_at").values_list("added_at", flat=True)[:limit])
        if len(sent) >= limit:
            wait = math.ceil((sent[-1] + INVITATION_WINDOW - now).total_seconds() / 3600)
            raise ValidationError(
                {
                    "email": f"{limit} invitations have been sent in the last 24 hours, the most "
                    f"allowed. You can send another in {wait} hour{'s' if wait != 1 else ''}."
                }
            )


def send_invitation(actor: Any, participant: Participant, site_url: str) -> None:
    """The same email whether or not the address has an account, sent once committed."""
    context = {
        "inviter": sender_name(actor),
        "conversation": participant.conversation.title,
        "email": participant.invited_email,
        "link": site_url.rstrip("/")
        + reverse("engagement:invitation", args=[participant.conversation_id]),
    }
    transaction.on_commit(
        lambda: send_email(
            participant.invited_email,
            "You are invited to a conversation on Common Ground",
            "engagement/email/participant_invitation.txt",
            context,
        )
    )


@transaction.atomic
def participant_accept(user: Any, participant: Participant) -> Participant:
    """The person signed in with the invited address, confirmed, takes the participant's place.
    Someone already taking part keeps their place, and the invitation is used up."""
    permissions.require_confirmed(user)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if (
        participant.invitation_accepted_at is not None
        or not participant.invited_email
        or participant.invited_email != normalise_email(user.email)
    ):
        raise ValidationError("This invitation is not yours to accept.")
    before = snapshot(participant, PARTICIPANT_FIELDS)
    if not participant.conversation.participants.filter(user=user).exists():
        participant.user = user
    participant.invitation_accepted_at = timezone.now()
    participant.save(update_fields=["user", "invitation_accepted_at"])
    audit_record(
        actor=user,
        action="engagement.participant_accept",
        obj=participant,
        before=before,
        after=snapshot(participant, PARTICIPANT_FIELDS),
    )
    return participant
