"""The account part of the JSON API: who am I, and membership requests to decide.

Registered in api/urls.py under /api/v1/account/; every operation
needs a Bearer token.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from commonground.accounts import permissions, selectors, services
from commonground.accounts.api_auth import BearerToken
from commonground.accounts.models import Membership

from .errors import ApiError

router = Router(auth=BearerToken(), tags=["account"])


class MembershipOut(Schema):
    id: int
    organisation_id: str
    organisation_name: str
    role: str
    status: str
    first_claim: bool
    requested_at: dt.datetime


class MeOut(Schema):
    email: str
    name: str  # shown to others; empty when none was given
    email_verified: bool
    perspectives: list[str]
    memberships: list[MembershipOut]


class RequestOut(MembershipOut):
    person: str = Field(
        description="Who asked: the name they chose and the domain of their confirmed email "
        "address, never the whole address."
    )
    note: str


def _membership(m: Membership) -> dict:
    return {
        "id": m.pk,
        "organisation_id": m.organisation.org_id,
        "organisation_name": m.organisation.name,
        "role": m.role,
        "status": m.status,
        "first_claim": m.first_claim,
        "requested_at": m.requested_at,
    }


@router.get("/me", response={200: MeOut, 401: ApiError}, summary="The account the token belongs to")
def me(request: HttpRequest) -> dict:
    user = request.user
    return {
        "email": user.email,  # type: ignore[union-attr]
        "name": user.get_full_name(),  # type: ignore[union-attr]
        "email_verified": services.profile_for(user).email_verified_at is not None,  # type: ignore[arg-type]
        "perspectives": [p.value for p in selectors.perspectives_of(user)],
        "memberships": [_membership(m) for m in selectors.memberships_of(user)],
    }


@router.get(
    "/membership-requests",
    response={200: list[RequestOut], 401: ApiError},
    summary="Requests to join that this account may decide",
)
def membership_requests(request: HttpRequest) -> list[dict]:
    return [
        {**_membership(m), "person": services.requester_name(m.user), "note": m.note}
        for m in selectors.requests_to_decide(request.user)
    ]


@router.post(
    "/membership-requests/{request_id}/approve",
    response={
        200: MembershipOut,
        401: ApiError,
        403: ApiError,
        404: ApiError,
        422: ApiError,
    },
    summary="Approve a request to join an organisation",
)
def approve(request: HttpRequest, request_id: int) -> dict:
    membership = selectors.membership_visible_to(request.user, request_id)
    if membership is None:
        raise HttpError(404, "Not found")
    if not permissions.can_approve_membership(request.user, membership):
        raise HttpError(403, "You cannot decide this request")
    approved = services.membership_approve(
        request.user,  # type: ignore[arg-type]
        membership,
        site_url=request.build_absolute_uri("/"),
    )
    return _membership(approved)
