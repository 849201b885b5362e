"""Partnerships and their members (health checks: api/v1/health_checks.py).

Every operation needs a Bearer token: a partnership is private to its members. Someone who is
not a member gets 404 (its existence is private); a member whose role does not allow the change
gets 403. Bad input gets 422 naming the field; a clash with what is recorded (an answer already
given this round, no open round) gets 409. Registered in api/urls.py.

People join by invitation (ADR 0015): a lead invites an email address, and the answer is the
same whether or not the address has an account. The invited person answers through the link in
the email, signed in on the website with that address, or through /invitations/{token}
(api/v1/invitations.py) with a token of their account.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from commonground.accounts import permissions
from commonground.accounts.api_auth import BearerToken
from commonground.commissioning.selectors import appraisal_visible_to
from commonground.organisations.selectors import organisation_by_identifier
from commonground.partnerships import selectors, services
from commonground.partnerships.models import (
    Partnership,
    PartnershipInvitation,
    PartnershipMember,
)
from commonground.places.selectors import place_by_gss

from .errors import ApiError, Refused, body, refused

router = Router(auth=BearerToken(), tags=["partnerships"])

StageCode = Literal["idea", "exploring", "co_design", "agreement", "delivery", "review", "ended"]
PerspectiveCode = Literal["commissioner", "provider", "funder", "community"]
RoleCode = Literal["lead", "accountable_body", "member", "observer"]
PrincipleCode = Literal[
    "long_term",
    "integration",
    "prevention",
    "collaboration",
    "communication",
    "transparency",
    "trust",
    "mutuality",
    "flexibility",
]


class PlaceOut(Schema):
    gss_code: str = Field(description="ONS GSS code of the place, e.g. E08000009.")
    name: str = Field(description="Name of the place.")


class MemberOut(Schema):
    id: int = Field(description="Identifier of this membership.")
    kind: Literal["organisation", "person"] = Field(
        description="Whether the member is an organisation from the atlas or a person."
    )
    name: str = Field(
        description="The organisation's name, or the name the person gives (never their "
        "email address; 'Deleted account' if they deleted it)."
    )
    org_id: str | None = Field(description="The organisation's identifier; null for a person.")
    perspective: PerspectiveCode = Field(description="The perspective the member speaks from.")
    role: RoleCode = Field(description="The member's role in the partnership.")
    joined_on: dt.date = Field(description="Date the member joined.")
    left_on: dt.date | None = Field(description="Date the member left; null while a member.")


class StageChangeOut(Schema):
    from_stage: str = Field(description="Stage before the change; empty for the first entry.")
    to_stage: StageCode = Field(description="Stage after the change.")
    changed_on: dt.date = Field(description="Date the partners say the stage changed.")
    note: str = Field(description="What the partners noted about the change.")


class MilestoneOut(Schema):
    id: int = Field(description="Identifier of the milestone.")
    title: str = Field(description="The milestone.")
    description: str = Field(description="More about it.")
    due_on: dt.date | None = Field(description="Date it is due, if set.")
    done_on: dt.date | None = Field(description="Date it was reached; null until then.")


class DocumentOut(Schema):
    id: int = Field(description="Identifier of the document.")
    title: str = Field(description="Title given when uploaded.")
    original_name: str = Field(description="The uploaded file's name.")
    kind: str = Field(description="File type judged from its content (pdf, docx, ...).")
    size_bytes: int = Field(description="Size in bytes.")
    uploaded_at: dt.datetime = Field(description="When it was uploaded.")
    download_url: str = Field(description="Page address that downloads it (members only).")


class PartnershipOut(Schema):
    id: int = Field(description="Identifier of the partnership.")
    name: str = Field(description="Name of the partnership.")
    purpose: str = Field(description="What the partnership is for, in the partners' words.")
    place: PlaceOut = Field(description="The place it serves.")
    stage: StageCode = Field(description="Where it stands now.")
    is_example: bool = Field(description="True for illustrative demo data: not a real partnership.")
    resembles_case_study: str = Field(
        description="Slug of the case study the partners say it resembles (see "
        "/case-studies/); empty for none."
    )
    created_at: dt.datetime = Field(description="When it was recorded.")
    updated_at: dt.datetime = Field(description="When its details last changed.")
    your_role: RoleCode | None = Field(
        description="The token holder's role; null for a platform administrator who is not "
        "a member."
    )
    your_perspective: PerspectiveCode | None = Field(
        description="The perspective the token holder speaks from here; null if not a member."
    )
    web_url: str = Field(description="The partnership's page.")


class FundingOut(Schema):
    money_flow_id: int = Field(description="The money flow in the ledger (open data).")
    payer_name: str = Field(description="Who paid, as published.")
    recipient_name: str = Field(description="Who received it, as published.")
    amount_pence: int = Field(description="Amount in pence (negative for refunds).")
    date: dt.date = Field(description="Date of the payment or award.")
    note: str = Field(description="What the partners noted about it.")


class PartnershipDetailOut(PartnershipOut):
    members: list[MemberOut] = Field(description="Current members.")
    stage_history: list[StageChangeOut] = Field(description="Every stage change, oldest first.")
    milestones: list[MilestoneOut] = Field(description="Milestones, by due date.")
    documents: list[DocumentOut] = Field(description="Uploaded documents, newest first.")
    appraisal_id: int | None = Field(
        description="The saved route appraisal the route came from; it opens only for the "
        "people it is shared with."
    )
    funding: list[FundingOut] = Field(description="Money flows the partners say fund it.")
    funding_total_pence: int = Field(description="Total of the linked money flows, in pence.")


class PartnershipIn(Schema):
    name: str = Field(max_length=200, description="Name of the partnership.")
    purpose: str = Field(max_length=5000, description="What the partnership is for.")
    place_gss: str = Field(
        max_length=9, description="ONS GSS code of the place it serves, e.g. E08000009."
    )
    perspective: PerspectiveCode = Field(
        description="The perspective you bring. You become the partnership's lead."
    )
    stage: StageCode = Field("idea", description="Where it stands now (default idea).")
    resembles_case_study: str = Field(
        "", max_length=80, description="Slug of a case study it resembles, or empty."
    )


class PartnershipPatch(Schema):
    name: str | None = Field(None, max_length=200, description="New name.")
    purpose: str | None = Field(None, max_length=5000, description="New purpose statement.")
    place_gss: str | None = Field(None, max_length=9, description="GSS code of the new place.")
    resembles_case_study: str | None = Field(
        None, max_length=80, description="Slug of a case study, or empty for none."
    )
    stage: StageCode | None = Field(
        None, description="Move to this stage; recorded, dated, in the stage history."
    )
    stage_changed_on: dt.date | None = Field(
        None, description="Date the stage changed (needed with stage; today or earlier)."
    )
    stage_note: str = Field("", max_length=2000, description="A note on the stage change.")
    appraisal_id: int | None = Field(
        None,
        ge=0,
        description="Id of a saved route appraisal you can see, to link as the route's "
        "appraisal; 0 unlinks it.",
    )


class MemberIn(Schema):
    org_id: str = Field(
        max_length=60,
        description="Identifier of an organisation in the atlas. People are invited by email "
        "instead: POST /partnerships/{id}/invitations.",
    )
    perspective: PerspectiveCode | None = Field(
        None, description="The organisation's perspective; omit it to follow from its sector."
    )
    role: RoleCode = Field("member", description="The member's role (default member).")


InvitationStatusCode = Literal["pending", "accepted", "declined", "revoked", "replaced"]


class InvitationIn(Schema):
    email: str = Field(max_length=254, description="Email address to send the invitation to.")
    perspective: PerspectiveCode = Field(description="The perspective they will speak from.")
    role: RoleCode = Field("member", description="Their role once they accept (default member).")


class InvitationOut(Schema):
    id: int = Field(description="Identifier of the invitation.")
    email: str | None = Field(
        description="The address it was sent to (lower-cased), only to the lead who typed it "
        "in; null for everyone else (an address is personal data)."
    )
    invitee: str = Field(
        description="Whom it went to as you may see it: the address you typed, 'A person at' "
        "the organisation invited (an invitation to a need's respondent), or who sent it."
    )
    role: RoleCode = Field(description="The role they get by accepting.")
    perspective: PerspectiveCode = Field(description="The perspective they get by accepting.")
    status: InvitationStatusCode = Field(
        description="pending until accepted or declined by the invited person, withdrawn "
        "(revoked) by a lead, or replaced by a newer invitation to the same address."
    )
    expired: bool = Field(description="True once the link's time has run out.")
    created_at: dt.datetime = Field(description="When it was sent.")
    expires_at: dt.datetime = Field(description="When its link stops working.")


class InvitationSentOut(Schema):
    detail: str = Field(
        description="What happened, in words fit to show: the same whether or not the address "
        "has an account."
    )
    invitation: InvitationOut = Field(description="The invitation sent.")


# ---- Helpers -----------------------------------------------------------------------------------


def token_user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def visible_partnership(request: HttpRequest, pk: int) -> Partnership:
    partnership = selectors.partnership_visible_to(request.user, pk)
    if partnership is None:
        raise HttpError(404, "Not found")
    return partnership


def refusal_of(error: services.PartnershipError) -> Refused:
    if error.conflict:
        return refused(409, error.message)
    return refused(422, error.message, error.field or None)


def member_out(m: PartnershipMember) -> dict[str, Any]:
    return {
        "id": m.pk,
        "kind": "organisation" if m.organisation_id else "person",
        "name": selectors.member_name(m),
        "org_id": m.organisation.org_id if m.organisation else None,
        "perspective": m.perspective,
        "role": m.role,
        "joined_on": m.joined_on,
        "left_on": m.left_on,
    }


def partnership_summary(p: Partnership, user: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "name": p.name,
        "purpose": p.purpose,
        "place": {"gss_code": p.place.gss_code, "name": p.place.name},
        "stage": p.stage,
        "is_example": p.is_example,
        "resembles_case_study": p.resembles_case_study,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
        "your_role": p.role_of(user),
        "your_perspective": p.perspective_of(user),
        "web_url": reverse("partnerships:detail", args=[p.pk]),
    }


def _detail(p: Partnership, user: Any) -> dict[str, Any]:
    links = selectors.funding_of(p)
    return {
        **partnership_summary(p, user),
        "members": [member_out(m) for m in selectors.current_members(p)],
        "stage_history": [
            {
                "from_stage": c.from_stage,
                "to_stage": c.to_stage,
                "changed_on": c.changed_on,
                "note": c.note,
            }
            for c in p.stage_changes.all()
        ],
        "milestones": [
            {
                "id": m.pk,
                "title": m.title,
                "description": m.description,
                "due_on": m.due_on,
                "done_on": m.done_on,
            }
            for m in p.milestones.all()
        ],
        "documents": [
            {
                "id": d.pk,
                "title": d.title,
                "original_name": d.original_name,
                "kind": d.kind,
                "size_bytes": d.size_bytes,
                "uploaded_at": d.uploaded_at,
                "download_url": reverse("partnerships:document", args=[p.pk, d.pk]),
            }
            for d in p.documents.all()
        ],
        "appraisal_id": p.appraisal_id,
        "funding": [
            {
                "money_flow_id": link.money_flow_id,
                "payer_name": link.money_flow.payer_name,
                "recipient_name": link.money_flow.recipient_name,
                "amount_pence": link.money_flow.amount_pence,
                "date": link.money_flow.date,
                "note": link.note,
            }
            for link in links
        ],
        "funding_total_pence": selectors.funding_total_pence(links),
    }


def _place(gss: str) -> Any:
    place = place_by_gss(gss.strip().upper())
    if place is None:
        raise refused(422, field="place_gss", detail=f"No place has the GSS code {gss!r}.")
    return place


# ---- Operations --------------------------------------------------------------------------------

# 400: a body that is not JSON; 422: a field or path parameter that is wrong (named in `field`).
READ_ERRORS: dict[int, Any] = dict.fromkeys((401, 404, 422), ApiError)
WRITE_ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 422), ApiError)


@router.get(
    "/partnerships",
    response={200: list[PartnershipOut], 401: ApiError},
    summary="The partnerships the token holder is in",
)
def partnership_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    return [partnership_summary(p, user) for p in selectors.partnerships_for(user)]


@router.post(
    "/partnerships",
    response={201: PartnershipDetailOut, **WRITE_ERRORS},
    summary="Start a partnership (you become its lead)",
    description="Needs a confirmed email address (else 403 saying how to confirm).",
)
def partnership_create(request: HttpRequest, payload: PartnershipIn) -> tuple[int, dict]:
    place = _place(payload.place_gss)
    try:
        partnership = services.partnership_create(
            token_user(request),
            name=payload.name,
            purpose=payload.purpose,
            place=place,
            perspective=payload.perspective,
            stage=payload.stage,
            resembles_case_study=payload.resembles_case_study,
        )
    except services.PartnershipError as error:
        raise refusal_of(error) from error
    return 201, _detail(partnership, request.user)


@router.get(
    "/partnerships/{id}",
    response={200: PartnershipDetailOut, **READ_ERRORS},
    summary="One partnership, its members, stage history, milestones and documents",
)
def partnership_get(request: HttpRequest, id: int) -> dict[str, Any]:
    return _detail(visible_partnership(request, id), request.user)


@router.patch(
    "/partnerships/{id}",
    response={200: PartnershipDetailOut, **WRITE_ERRORS},
    summary="Change a partnership's details or move it to another stage",
)
def partnership_patch(
    request: HttpRequest,
    id: int,
    payload: PartnershipPatch,
) -> dict[str, Any]:
    partnership = visible_partnership(request, id)
    if not permissions.can_change_partnership(request.user, partnership):
        raise HttpError(403, "Your role in this partnership does not allow changes.")
    changes: dict[str, Any] = {}
    for key in ("name", "purpose", "resembles_case_study"):
        value = getattr(payload, key)
        if value is not None:
            changes[key] = value
    if payload.place_gss is not None:
        changes["place"] = _place(payload.place_gss)
    appraisal = None
    if payload.appraisal_id:
        appraisal = appraisal_visible_to(request.user, payload.appraisal_id)
        if appraisal is None:
            raise refused(
                422,
                field="appraisal_id",
                detail="No saved route appraisal you can see has that id.",
            )
    if payload.stage is None and payload.stage_changed_on is not None:
        raise refused(422, "Give the new stage with the date it changed.", "stage")
    try:
        # Both changes in one transaction: a refused stage change leaves the details unchanged.
        with transaction.atomic():
            if changes:
                partnership = services.partnership_update(token_user(request), partnership, changes)
            if payload.appraisal_id is not None:
                services.partnership_link_appraisal(token_user(request), partnership, appraisal)
            if payload.stage is not None:
                services.partnership_change_stage(
                    token_user(request),
                    partnership,
                    payload.stage,
                    payload.stage_changed_on,
                    payload.stage_note,
                )
    except services.PartnershipError as error:
        raise refusal_of(error) from error
    except permissions.EmailNotConfirmed:
        raise  # answered with its own explanation (api/urls.py)
    except PermissionDenied as error:
        raise HttpError(403, "Your role in this partnership does not allow changes.") from error
    partnership.refresh_from_db()
    return _detail(partnership, request.user)


@router.post(
    "/partnerships/{id}/members",
    response={201: MemberOut, **WRITE_ERRORS},
    summary="Add an organisation from the atlas to a partnership (leads only)",
)
def member_add(
    request: HttpRequest,
    id: int,
    payload: MemberIn,
) -> tuple[int, dict]:
    partnership = visible_partnership(request, id)
    if not permissions.can_manage_partnership_members(request.user, partnership):
        raise HttpError(403, "Only a lead adds members.")
    organisation = organisation_by_identifier(payload.org_id.strip())
    if organisation is None:
        raise refused(
            422, field="org_id", detail="No organisation in the atlas has that identifier."
        )
    try:
        member = services.partnership_add_member(
            token_user(request),
            partnership,
            organisation=organisation,
            perspective=payload.perspective or "",
            role=payload.role,
        )
    except services.PartnershipError as error:
        raise refusal_of(error) from error
    return 201, member_out(member)


def _invitation(invitation: PartnershipInvitation, viewer: Any) -> dict[str, Any]:
    shown = selectors.invitee_address_shown(invitation, viewer)
    return {
        "id": invitation.pk,
        "email": invitation.email if shown else None,
        "invitee": selectors.invitee_label(invitation, viewer),
        "role": invitation.role,
        "perspective": invitation.perspective,
        "status": invitation.status,
        "expired": invitation.expired,
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
    }


def _inviting(request: HttpRequest, id: int) -> Partnership:
    partnership = visible_partnership(request, id)
    if not permissions.can_invite_to_partnership(request.user, partnership):
        raise HttpError(403, "Only a lead invites people and sees invitations.")
    return partnership


@router.post(
    "/partnerships/{id}/invitations",
    response={201: InvitationSentOut, **WRITE_ERRORS, 429: ApiError},
    summary="Invite a person by email to join a partnership (leads only)",
    description=(
        "Emails the address a link that works once, for "
        f"{services.INVITATION_DAYS} days; the person joins with the role and perspective given "
        "when they accept it, signed in with that address. The answer is the same whether or "
        "not the address has an account. A pending invitation to the same address is replaced. "
        "A lead sends at most "
        f"{services.INVITATIONS_PER_PARTNERSHIP} invitations a partnership and "
        f"{services.INVITATIONS_PER_LEAD} in all in 24 hours, and invites one address at most "
        f"{services.INVITATIONS_PER_ADDRESS} times: over that, 429 with Retry-After."
    ),
)
def invitation_send(
    request: HttpRequest, id: int, payload: InvitationIn, response: HttpResponse
) -> tuple[int, dict]:
    partnership = _inviting(request, id)
    try:
        invitation = services.invitation_send(
            token_user(request),
            partnership,
            email=payload.email,
            perspective=payload.perspective,
            role=payload.role,
            site_url=request.build_absolute_uri("/"),
        )
    except services.InvitationLimit as error:
        response["Retry-After"] = str(error.retry_after)
        return 429, body([(None, error.message)])
    except services.PartnershipError as error:
        raise refusal_of(error) from error
    return 201, {
        "detail": f"We have sent an invitation to {invitation.email}.",
        "invitation": _invitation(invitation, request.user),
    }


@router.get(
    "/partnerships/{id}/invitations",
    response={200: list[InvitationOut], 403: ApiError, **READ_ERRORS},
    summary="Invitations waiting for an answer, newest first (leads only)",
)
def invitation_list(request: HttpRequest, id: int) -> list[dict[str, Any]]:
    partnership = _inviting(request, id)
    return [_invitation(i, request.user) for i in selectors.pending_invitations(partnership)]


@router.post(
    "/partnerships/{id}/invitations/{invitation_id}/withdraw",
    response={200: InvitationOut, **WRITE_ERRORS},
    summary="Withdraw an invitation not yet answered (leads only); its link stops working",
)
def invitation_withdraw(request: HttpRequest, id: int, invitation_id: int) -> dict[str, Any]:
    partnership = _inviting(request, id)
    invitation = partnership.invitations.filter(pk=invitation_id).first()
    if invitation is None:
        raise HttpError(404, "Not found")
    try:
        invitation = services.invitation_revoke(token_user(request), invitation)
    except services.PartnershipError as error:
        raise refusal_of(error) from error
    return _invitation(invitation, request.user)
