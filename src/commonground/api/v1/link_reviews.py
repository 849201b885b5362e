"""The linkage review queue: uncertain payer and recipient matches, and reviewers' decisions.

Registered in api/urls.py. Only platform administrators and members of the "reviewers" group
may read the queue or decide it (accounts/permissions/money.py)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from commonground.accounts import permissions
from commonground.accounts.api_auth import BearerToken
from commonground.organisations.linkage.selectors import pending_review_page, review_by_id
from commonground.organisations.linkage.services import AlreadyDecided, link_review_decide
from commonground.organisations.models import LinkReview

from .errors import ApiError, responses

router = Router(auth=BearerToken(), tags=["link reviews"])


class EvidenceOut(Schema):
    field: str = Field(
        description=(
            "The compared field: name, postcode or place (the local authority the source "
            "places the party in; only where one was compared)."
        )
    )
    level: str = Field(description="How alike the two values are, in words.")


class LinkReviewOut(Schema):
    id: int = Field(description="The review's id, for POST /link-reviews/{id}/decision.")
    status: str = Field(description="pending, accepted or rejected.")
    score: float = Field(description="The model's match probability, 0 to 1.")
    party_key: str = Field(description="The payer or recipient's key in its source.")
    party_name: str = Field(description="The name as the source gives it.")
    party_postcode: str = Field(description="The postcode as the source gives it, or empty.")
    party_identifiers: list[str] = Field(description="Org-ids found in the source.")
    source: str = Field(description="The source the party was found in.")
    organisation_id: str = Field(description="The proposed organisation's org-id.")
    organisation_name: str = Field(description="The proposed organisation's name.")
    organisation_postcode: str = Field(description="The proposed organisation's postcode.")
    evidence: list[EvidenceOut] = Field(description="What the model compared.")
    created_at: dt.datetime = Field(description="When the match was queued.")
    decided_at: dt.datetime | None = Field(description="When it was decided, if it was.")


class LinkReviewPage(Schema):
    total: int = Field(description="Pending reviews in all.")
    results: list[LinkReviewOut] = Field(description="This page, the most likely match first.")


class DecisionIn(Schema):
    decision: Literal["accept", "reject"] = Field(
        description="accept links the party to the organisation; reject keeps them apart."
    )


def _review(review: LinkReview) -> dict:
    org = review.organisation
    return {
        "id": review.pk,
        "status": review.status,
        "score": review.score,
        "party_key": review.party_key,
        "party_name": review.party_name,
        "party_postcode": review.party_postcode,
        "party_identifiers": [str(i) for i in review.party_identifiers or []],
        "source": review.source,
        "organisation_id": org.org_id,
        "organisation_name": org.name,
        "organisation_postcode": org.postcode,
        "evidence": [
            {"field": str(e.get("field", "")), "level": str(e.get("level", ""))}
            for e in review.evidence or []
            if isinstance(e, dict)
        ],
        "created_at": review.created_at,
        "decided_at": review.decided_at,
    }


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=200, description="Reviews a page (1 to 200).")
    offset: int = Field(0, ge=0, le=1_000_000, description="Reviews to skip.")


@router.get(
    "/link-reviews",
    response={200: LinkReviewPage, 401: ApiError, 403: ApiError, 422: ApiError},
    summary="Uncertain matches waiting for a reviewer",
)
def link_reviews(request: HttpRequest, params: Query[PageParams]) -> dict:
    if not permissions.is_link_reviewer(request.user):
        raise HttpError(403, "Only reviewers can see the review queue")
    total, page = pending_review_page(params.offset, params.limit)
    return {"total": total, "results": [_review(r) for r in page]}


@router.post(
    "/link-reviews/{review_id}/decision",
    response=responses(LinkReviewOut, 400, 401, 403, 404, 409, 422),
    summary="Accept or reject an uncertain match",
)
def link_review_decision(request: HttpRequest, review_id: int, body: DecisionIn) -> dict:
    if not permissions.is_link_reviewer(request.user):
        raise HttpError(403, "Only reviewers can decide matches")
    review = review_by_id(review_id) if 0 < review_id < 2**63 else None
    if review is None:
        raise HttpError(404, "Not found")
    try:
        review = link_review_decide(request.user, review, accept=body.decision == "accept")
    except AlreadyDecided:
        raise HttpError(409, "This match was already decided") from None
    return _review(review)
