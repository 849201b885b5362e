"""A partnership's health check: members answer rounds of the nine principles; leads open and
close rounds; results show in aggregate only (partnerships.selectors.health_results).

Every operation needs a Bearer token, as for the partnership itself (api/v1/partnerships.py):
someone who is not a member gets 404; a member whose role does not allow the change gets 403.
Registered in api/urls.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from commonground.accounts import permissions
from commonground.accounts.api_auth import BearerToken
from commonground.partnerships import selectors, services

from .errors import refused
from .partnerships import (
    READ_ERRORS,
    WRITE_ERRORS,
    PerspectiveCode,
    PrincipleCode,
    refusal_of,
    token_user,
    visible_partnership,
)

router = Router(auth=BearerToken(), tags=["partnerships"])


class PrincipleAnswerIn(Schema):
    principle: PrincipleCode = Field(description="One of the nine principles.")
    score: int = Field(ge=1, le=5, description="How far it is true now: 1 (not at all) to 5.")
    comment: str = Field(
        "", max_length=2000, description="Optional comment, shown to members unattributed."
    )


class HealthCheckIn(Schema):
    answers: list[PrincipleAnswerIn] = Field(
        description="One answer for each of the nine principles, each principle once."
    )
    respondent_id: int | None = Field(
        None,
        description="Optional: your own account id. Nobody answers for another member; any "
        "other id is refused with 403.",
    )


class HealthCheckAnswerOut(Schema):
    round: int = Field(description="Number of the round answered.")
    perspective: PerspectiveCode = Field(description="The perspective recorded with the answer.")
    submitted_at: dt.datetime = Field(description="When the answer was recorded.")


class PerspectiveViewOut(Schema):
    perspective: PerspectiveCode = Field(description="A perspective that answered.")
    responses: int = Field(description="How many answered from it.")
    average: float | None = Field(
        description="Their average score; null when too few answered from it to show it "
        "without identifying them."
    )


class PrincipleResultOut(Schema):
    principle: PrincipleCode = Field(description="The principle.")
    label: str = Field(description="Its name.")
    responses: int = Field(description="How many scored it.")
    average: float = Field(description="Average score, 1 to 5.")
    lowest: int = Field(description="Lowest score given.")
    highest: int = Field(description="Highest score given.")
    spread: float = Field(description="Population standard deviation of the scores.")
    counts: dict[str, int] = Field(description="How many gave each score, keyed '1' to '5'.")
    perspectives: list[PerspectiveViewOut] = Field(description="Each perspective's view.")
    divergence: float | None = Field(
        description="Gap between the highest and lowest perspective averages shown; null if "
        "fewer than two are shown."
    )
    change: float | None = Field(
        description="Change in the average since the last round with results; null if none."
    )
    comments: list[str] = Field(description="Comments, unattributed, in alphabetical order.")


class RoundResultOut(Schema):
    round: int = Field(description="Number of the round.")
    opened_on: dt.date = Field(description="Date it opened.")
    closed_on: dt.date | None = Field(description="Date it closed; null while open.")
    responses: int = Field(description="How many members answered.")
    shown: bool = Field(
        description="Whether results are shown: only once the round is closed and enough "
        "members answered to keep them anonymous."
    )
    reason: str = Field(description="Why results are not shown; empty when they are.")
    principles: list[PrincipleResultOut] = Field(
        description="Results per principle; empty when not shown."
    )


class HealthOut(Schema):
    partnership_id: int = Field(description="The partnership.")
    min_responses: int = Field(description="Answers needed before a round's results show.")
    open_round: int | None = Field(description="Number of the open round, if any.")
    you_answered_open_round: bool = Field(
        description="Whether the token holder has answered the open round."
    )
    rounds: list[RoundResultOut] = Field(description="Every round, oldest first.")


@router.post(
    "/partnerships/{id}/health-checks",
    response={201: HealthCheckAnswerOut, **WRITE_ERRORS},
    summary="Your answers to the open health-check round (members only, once a round)",
)
def health_check_answer(
    request: HttpRequest,
    id: int,
    payload: HealthCheckIn,
) -> tuple[int, dict]:
    partnership = visible_partnership(request, id)
    user = token_user(request)
    if payload.respondent_id is not None and payload.respondent_id != user.pk:
        raise HttpError(403, "You can only answer for yourself.")
    if not permissions.can_answer_health_check(user, partnership):
        raise HttpError(403, "Only the partnership's members answer its health check.")
    open_round = selectors.open_round(partnership)
    if open_round is None:
        raise HttpError(409, "There is no open round to answer.")
    answers: dict[str, tuple[Any, str]] = {}
    indexes: dict[str, int] = {}
    for index, item in enumerate(payload.answers):
        if item.principle in answers:
            raise refused(
                422, f"{item.principle} is answered more than once.", f"answers.{index}.principle"
            )
        answers[item.principle] = (item.score, item.comment)
        indexes[item.principle] = index
    try:
        answer = services.health_check_answer(user, open_round, answers)
    except services.PartnershipError as error:
        error.field = _answers_field(error.field, indexes)
        raise refusal_of(error) from error
    except PermissionDenied as error:
        raise HttpError(403, str(error) or "Not allowed") from error
    return 201, {
        "round": open_round.number,
        "perspective": answer.perspective,
        "submitted_at": answer.submitted_at,
    }


def _answers_field(field: str, indexes: dict[str, int]) -> str:
    """The body field a health-check refusal is about: the service names the page's fields
    ("trust_score"); the API's are "answers.3.score", or "answers" for a principle left out."""
    for suffix, part in (("_score", "score"), ("_comment", "comment")):
        if field.endswith(suffix):
            principle = field.removesuffix(suffix)
            return f"answers.{indexes[principle]}.{part}" if principle in indexes else "answers"
    return field


class RoundOut(Schema):
    round: int = Field(description="Number of the round.")
    opened_on: dt.date = Field(description="Date it opened.")
    closed_on: dt.date | None = Field(description="Date it closed; null while open.")
    responses: int = Field(description="How many members have answered it.")


def _round(health_round: Any) -> dict[str, Any]:
    return {
        "round": health_round.number,
        "opened_on": health_round.opened_on,
        "closed_on": health_round.closed_on,
        "responses": selectors.response_count(health_round),
    }


@router.post(
    "/partnerships/{id}/health-check-rounds",
    response={201: RoundOut, **WRITE_ERRORS},
    summary="Open the next health-check round (leads only; one open at a time)",
)
def health_check_round_open(request: HttpRequest, id: int) -> tuple[int, dict]:
    partnership = visible_partnership(request, id)
    if not permissions.can_manage_health_check(request.user, partnership):
        raise HttpError(403, "Only a lead opens a round.")
    try:
        health_round = services.health_check_round_open(token_user(request), partnership)
    except services.PartnershipError as error:
        raise refusal_of(error) from error
    return 201, _round(health_round)


@router.post(
    "/partnerships/{id}/health-check-rounds/close",
    response={200: RoundOut, **WRITE_ERRORS},
    summary="Close the open health-check round (leads only); its results then show to members "
    "if enough answered",
)
def health_check_round_close(request: HttpRequest, id: int) -> dict[str, Any]:
    partnership = visible_partnership(request, id)
    if not permissions.can_manage_health_check(request.user, partnership):
        raise HttpError(403, "Only a lead closes a round.")
    open_round = selectors.open_round(partnership)
    if open_round is None:
        raise HttpError(409, "There is no open round to close.")
    try:
        closed = services.health_check_round_close(token_user(request), open_round)
    except services.PartnershipError as error:
        raise refusal_of(error) from error
    return _round(closed)


@router.get(
    "/partnerships/{id}/health",
    response={200: HealthOut, **READ_ERRORS},
    summary="Health-check results in aggregate, round by round",
)
def health(request: HttpRequest, id: int) -> dict[str, Any]:
    partnership = visible_partnership(request, id)
    results = selectors.health_results(partnership, request.user)
    open_round = selectors.open_round(partnership)
    return {
        "partnership_id": partnership.pk,
        "min_responses": permissions.HEALTH_CHECK_MIN_RESPONSES,
        "open_round": open_round.number if open_round else None,
        "you_answered_open_round": bool(
            open_round and selectors.has_answered(open_round, request.user)
        ),
        "rounds": [
            {
                "round": r.number,
                "opened_on": r.round.opened_on,
                "closed_on": r.round.closed_on,
                "responses": r.responses,
                "shown": r.shown,
                "reason": r.reason,
                "principles": [
                    {
                        "principle": p.principle,
                        "label": p.label,
                        "responses": p.responses,
                        "average": p.average,
                        "lowest": p.lowest,
                        "highest": p.highest,
                        "spread": p.spread,
                        "counts": {str(k): v for k, v in p.counts.items()},
                        "perspectives": [
                            {
                                "perspective": v.perspective,
                                "responses": v.responses,
                                "average": v.average,
                            }
                            for v in p.perspectives
                        ],
                        "divergence": p.divergence,
                        "change": p.change,
                        "comments": p.comments,
                    }
                    for p in r.principles
                ],
            }
            for r in results
        ],
    }
