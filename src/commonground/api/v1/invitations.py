"""Partnership invitations for the person invited: see one, accept it or decline it (ADR 0015).

{token} is the last part of the link in the invitation email, the part after
/partnerships/invitations/ (without the final slash): the API asks for nothing the link does not
already hold. The same selectors and services as the invitation page answer, so the two always
agree.

Holding the link is not enough, as it may have been forwarded: only the person signed in (here,
by a token of their account) with the invited address, confirmed, sees the invitation or answers
it. Everyone else gets the same 404 as a link that is not one of ours, so the API says nothing
about an invitation, or about who has an account, to anyone but the invited person. An
invitation that can no longer be answered (expired, already answered, withdrawn, replaced, or
lapsed because its sender no longer leads) gets 410 when answered, with the page's words.
Registered in api/urls.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from commonground.accounts import permissions
from commonground.accounts.api_auth import BearerToken
from commonground.accounts.services import sender_name
from commonground.core.ratelimit import limit_for
from commonground.partnerships import selectors, services
from commonground.partnerships.models import PartnershipInvitation

from .errors import ApiError, Refused, refused
from .partnerships import (
    MemberOut,
    PartnershipOut,
    PerspectiveCode,
    RoleCode,
    member_out,
    partnership_summary,
)

router = Router(auth=BearerToken(), tags=["invitations"])

NOT_FOUND = (
    "This invitation link has not worked. It works only with an API token of an account with "
    "the email address the invitation was sent to, once that address is confirmed. Check that "
    "you copied the whole link from the invitation email, or ask a lead of the partnership to "
    "invite you again."
)
ANSWERABLE = "You can accept or decline this invitation."

InvitationStateCode = Literal[
    "pending", "expired", "lapsed", "accepted", "declined", "revoked", "replaced"
]
ProblemCode = Literal["expired", "lapsed", "accepted", "declined", "revoked", "replaced"]


class InvitationToYouOut(Schema):
    partnership_name: str = Field(description="Name of the partnership you are invited to join.")
    role: RoleCode = Field(description="The role you get by accepting.")
    perspective: PerspectiveCode = Field(description="The perspective you get by accepting.")
    invited_by: str = Field(
        description="Who sent it: the lead's name, or their confirmed email address if they "
        "gave none ('Deleted account' if they deleted it)."
    )
    email: str = Field(description="The address it was sent to (lower-cased): yours.")
    created_at: dt.datetime = Field(description="When it was sent.")
    expires_at: dt.datetime = Field(description="When its link stops working.")
    state: InvitationStateCode = Field(
        description="pending while it can be answered; otherwise why not: expired, lapsed (its "
        "sender no longer leads the partnership), accepted, declined, revoked (withdrawn by a "
        "lead) or replaced (by a newer invitation to the same address)."
    )
    can_answer: bool = Field(description="True while it can be accepted or declined.")
    detail: str = Field(description="The state in words fit to show, as on the invitation page.")


class InvitationAcceptedOut(Schema):
    detail: str = Field(description="What happened, in words fit to show.")
    joined: bool = Field(
        description="True if you joined now; false if you were already a member, whose "
        "membership is kept as it was (the invitation is used up either way)."
    )
    partnership: PartnershipOut = Field(description="The partnership, as you now see it.")
    membership: MemberOut = Field(description="Your membership of it.")
    invitation: InvitationToYouOut = Field(description="The invitation, now accepted.")


class InvitationDeclinedOut(Schema):
    detail: str = Field(description="What happened, in words fit to show.")
    invitation: InvitationToYouOut = Field(description="The invitation, now declined.")


# No 422: the token is any text, and a text that is not a link of ours is a 404.
READ_RESPONSES: dict[int, Any] = {401: ApiError, 404: ApiError}
# A 410's code says why the invitation can no longer be answered: expired, lapsed, accepted,
# declined, revoked or replaced (see the invitation's state). 429: core.ratelimit
# "invitation-answer", per account.
ANSWER_RESPONSES: dict[int, Any] = {401: ApiError, 404: ApiError, 410: ApiError, 429: ApiError}
ANSWER_LIMIT = (
    f" Rate limit: {limit_for('invitation-answer').describe()}; over it, 429 with Retry-After."
)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _yours(request: HttpRequest, token: str) -> PartnershipInvitation:
    """The invitation the link names, if the token holder is the person it was sent to.

    One 404 for a made-up link and for a real one sent to someone else (or to an address not
    yet confirmed), so nobody learns from the answer whether a link, or an account, exists."""
    invitation = selectors.invitation_for_token(token)
    if invitation is None or not permissions.can_answer_invitation(request.user, invitation):
        raise HttpError(404, NOT_FOUND)
    return invitation


def _to_you(invitation: PartnershipInvitation) -> dict[str, Any]:
    problem = selectors.invitation_problem(invitation)
    return {
        "partnership_name": invitation.partnership.name,
        "role": invitation.role,
        "perspective": invitation.perspective,
        "invited_by": sender_name(invitation.invited_by),
        "email": invitation.email,
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
        "state": problem.reason if problem else "pending",
        "can_answer": problem is None,
        "detail": problem.message if problem else ANSWERABLE,
    }


def _gone(error: services.InvitationUnusable) -> Refused:
    return refused(410, error.message, code=error.reason)


@router.get(
    "/invitations/{token}",
    response={200: InvitationToYouOut, **READ_RESPONSES},
    summary="An invitation to join a partnership, for the person it was sent to",
    description=(
        "token: the last part of the link in the invitation email. Answers only a token of the "
        "account with the invited email address, confirmed; anyone else gets 404, as for a "
        "link that does not exist. state says whether it can still be answered."
    ),
)
def invitation_get(request: HttpRequest, token: str) -> dict[str, Any]:
    return _to_you(_yours(request, token))


@router.post(
    "/invitations/{token}/accept",
    response={200: InvitationAcceptedOut, **ANSWER_RESPONSES},
    summary="Accept an invitation: join the partnership with its role and perspective",
    description=(
        "As the invitation page's Accept button: only for the person it was sent to (else "
        "404); the link then stops working. 410 if it can no longer be answered: expired, "
        "already accepted or declined, withdrawn, replaced or lapsed." + ANSWER_LIMIT
    ),
)
def invitation_accept(request: HttpRequest, token: str) -> Any:
    invitation = _yours(request, token)
    try:
        member, joined = services.invitation_accept(_user(request), invitation)
    except services.InvitationUnusable as error:
        raise _gone(error) from error
    except PermissionDenied as error:  # the address changed since _yours looked
        raise HttpError(404, NOT_FOUND) from error
    invitation.refresh_from_db()
    partnership = member.partnership  # as read under the service's lock
    return {
        "detail": selectors.invitation_accepted_message(member, joined),
        "joined": joined,
        "partnership": partnership_summary(partnership, request.user),
        "membership": member_out(member),
        "invitation": _to_you(invitation),
    }


@router.post(
    "/invitations/{token}/decline",
    response={200: InvitationDeclinedOut, **ANSWER_RESPONSES},
    summary="Decline an invitation to join a partnership",
    description=(
        "As the invitation page's Decline button: only for the person it was sent to (else "
        "404); the link then stops working, and a lead can invite the address again. 410 if it "
        "can no longer be answered." + ANSWER_LIMIT
    ),
)
def invitation_decline(request: HttpRequest, token: str) -> Any:
    invitation = _yours(request, token)
    try:
        services.invitation_decline(_user(request), invitation)
    except services.InvitationUnusable as error:
        raise _gone(error) from error
    except PermissionDenied as error:
        raise HttpError(404, NOT_FOUND) from error
    invitation.refresh_from_db()
    return {
        "detail": selectors.invitation_declined_message(invitation),
        "invitation": _to_you(invitation),
    }
