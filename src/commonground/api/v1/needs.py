"""Needs, their matches, expressions of interest and questions (ADR 0028).

Reads of public needs are open; send a Bearer token to see needs for organisations only and
your own drafts (an invalid token gets 401). Writes need a Bearer token (401 without one). A
need you may not see answers 404; a change your organisation may not make answers 403. Bad
input gets 422 naming the field; a clash with what is recorded (a need that has closed, a stale
version) gets 409. Registered in api/urls.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Path, Router, Schema
from ninja.errors import HttpError

from commonground.accounts import permissions
from commonground.accounts.api_auth import BearerToken
from commonground.accounts.permissions import EmailNotConfirmed
from commonground.accounts.services import api_token_user
from commonground.needs import selectors, services
from commonground.needs.models import Interest, Need, Question
from commonground.organisations.models import Organisation
from commonground.organisations.selectors import organisation_by_identifier

from .errors import ApiError, refused

router = Router(tags=["needs"])
MAX_ID = 2**31 - 1
NeedId = Annotated[int, Path(ge=1, le=MAX_ID, description="Identifier of the need.")]
QuestionId = Annotated[int, Path(ge=1, le=MAX_ID, description="Identifier of the question.")]
KindCode = Literal["call_for_interest", "market_engagement"]
NoticeCode = Literal["", "published", "will_publish", "not_publishing"]
InterestCode = Literal["interested", "lead", "consortium", "capacity_only"]
READ = {401: ApiError, 404: ApiError, 422: ApiError}
# 400: a body that is not JSON; 422: a field that is wrong (named in `field`).
WRITE = dict.fromkeys((400, 401, 403, 404, 409, 422), ApiError)


class NeedFields(Schema):
    title: str | None = Field(None, max_length=200, description="What is needed, in a line.")
    outcomes: str | None = Field(None, max_length=4000, description="The outcomes sought.")
    who_for: str | None = Field(None, max_length=2000, description="Who it is for.")
    place: str | None = Field(
        None, max_length=9, description="GSS code of the local authority, e.g. E08000009."
    )
    ward_codes: list[str] | None = Field(None, description="GSS codes of wards in the place.")
    budget_min_pence: int | None = Field(None, ge=0, description="Lowest budget, in pence.")
    budget_max_pence: int | None = Field(None, ge=0, description="Highest budget, in pence.")
    timeline: str | None = Field(None, max_length=300, description="When, in words.")
    route_codes: list[str] | None = Field(
        None, description="Routes under consideration: codes of GET /routes."
    )
    appraisal: int | None = Field(None, description="A saved appraisal of yours, by id.")
    kind: KindCode | None = Field(None, description="A call for interest or market engagement.")
    notice_status: NoticeCode | None = Field(
        None,
        description="For market engagement: whether a preliminary market engagement notice "
        "was published, will be, or not (reasons then go in the tender notice).",
    )
    notice_reference: str | None = Field(None, max_length=300, description="The notice's link.")
    notice_date: dt.date | None = Field(None, description="When the notice was published.")
    visibility: Literal["public", "organisations"] | None = Field(
        None, description="public: anyone; organisations: signed-in members of organisations."
    )
    closes_on: dt.date | None = Field(None, description="The last day it takes responses.")


class NeedIn(NeedFields):
    organisation: str = Field(
        max_length=60, description="org-id of the organisation you publish it for."
    )


class NeedPatch(NeedFields):
    status: Literal["published"] | None = Field(None, description="published publishes a draft.")
    version: int | None = Field(
        None, description="The version you changed; if it has moved on, 409 (nothing is saved)."
    )


class NoticeOut(Schema):
    kind: Literal["published", "change", "answer"]
    text: str
    at: dt.datetime


class NeedOut(Schema):
    id: int
    organisation: str = Field(description="Name of the organisation that published it.")
    organisation_id: str = Field(description="Its org-id.")
    title: str
    outcomes: str
    who_for: str
    place: str = Field(description="GSS code of the local authority.")
    ward_codes: list[str]
    budget_min_pence: int | None
    budget_max_pence: int | None
    timeline: str
    route_codes: list[str]
    appraisal: int | None = Field(description="The linked appraisal's id, for its owners only.")
    kind: KindCode
    notice_status: NoticeCode
    notice_reference: str
    notice_date: dt.date | None
    visibility: Literal["public", "organisations"]
    status: Literal["draft", "published"]
    closes_on: dt.date
    is_open: bool = Field(description="Published and not past its closing date.")
    version: int
    notices: list[NoticeOut] = Field(description="What every respondent has been told, in order.")


class MatchOut(Schema):
    org_id: str
    name: str
    sector: str
    reasons: list[str] = Field(description="Why it fits, in plain words.")


class InterestIn(Schema):
    organisation: str = Field(max_length=60, description="org-id of the organisation answering.")
    kind: InterestCode
    message: str = Field("", max_length=4000)


class InterestOut(Schema):
    id: int
    org_id: str
    organisation: str
    kind: InterestCode
    message: str
    status: Literal["received", "shortlisted", "invited"]
    submitted_at: dt.datetime


class QuestionIn(Schema):
    organisation: str = Field(max_length=60, description="org-id of the organisation asking.")
    text: str = Field(max_length=2000)


class AnswerIn(Schema):
    answer: str = Field(max_length=4000)


class QuestionOut(Schema):
    id: int
    text: str
    answer: str = Field(description="Empty until answered; then told to everyone at once.")
    asked_at: dt.datetime
    answered_at: dt.datetime | None


def _reader(request: HttpRequest) -> Any:
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        user = api_token_user(header[7:].strip())
        if user is None:
            raise HttpError(401, "The token is not valid.")
        request.user = user
        return user
    return AnonymousUser()


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@contextmanager
def _errors(what: str = "this need") -> Iterator[None]:
    try:
        yield
    except EmailNotConfirmed:
        raise
    except PermissionDenied as error:
        raise HttpError(403, f"Your organisation cannot do this to {what}.") from error
    except services.NeedError as error:
        raise refused(409 if error.conflict else 422, error.message, error.field or None) from error


def _need(user: Any, pk: int) -> Need:
    need = selectors.need_visible_to(user, pk)
    if need is None:
        raise HttpError(404, "No need with this id that you may see.")
    return need


def _organisation(value: str) -> Organisation:
    org = organisation_by_identifier(value)
    if org is None:
        raise refused(422, f"No organisation has the identifier “{value}”.", "organisation")
    return org


_PLAIN_FIELDS = (
    "id",
    "title",
    "outcomes",
    "who_for",
    "ward_codes",
    "budget_min_pence",
    "budget_max_pence",
    "timeline",
    "route_codes",
    "kind",
    "notice_status",
    "notice_reference",
    "notice_date",
    "visibility",
    "status",
    "closes_on",
    "version",
)


def _need_out(need: Need, user: Any) -> dict[str, Any]:
    owner = permissions.owns_need(user, need)
    return {
        **{name: getattr(need, name) for name in _PLAIN_FIELDS},
        "organisation": need.organisation.name,
        "organisation_id": need.organisation.org_id,
        "place": need.place.gss_code,
        "appraisal": need.appraisal_id if owner else None,
        "is_open": selectors.is_open(need),
        "notices": [
            {"kind": n.kind, "text": n.text, "at": n.at} for n in selectors.notices_of(need)
        ],
    }


def _interest_out(interest: Interest) -> dict[str, Any]:
    return {
        "id": interest.pk,
        "org_id": interest.organisation.org_id,
        "organisation": interest.organisation.name,
        "kind": interest.kind,
        "message": interest.message,
        "status": interest.status,
        "submitted_at": interest.submitted_at,
    }


def _question_out(question: Question) -> dict[str, Any]:
    return {
        "id": question.pk,
        "text": question.text,
        "answer": question.answer,
        "asked_at": question.asked_at,
        "answered_at": question.answered_at,
    }


@router.get("/needs", response={200: list[NeedOut], 401: ApiError}, summary="Needs you may see")
def needs_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = _reader(request)
    return [_need_out(n, user) for n in selectors.needs_visible_to(user)[:200]]


@router.post(
    "/needs",
    auth=BearerToken(),
    response={201: NeedOut, **WRITE},
    summary="Write a need (a draft) for an organisation you act for",
)
def need_create(request: HttpRequest, payload: NeedIn) -> tuple[int, dict[str, Any]]:
    org = _organisation(payload.organisation)
    data = payload.dict(exclude={"organisation"}, exclude_none=True)
    with _errors("this organisation's needs"):
        need = services.need_create(_user(request), org, data)
    return 201, _need_out(need, request.user)


@router.get("/needs/{need_id}", response={200: NeedOut, **READ}, summary="One need")
def need_get(request: HttpRequest, need_id: NeedId) -> dict[str, Any]:
    user = _reader(request)
    return _need_out(_need(user, need_id), user)


@router.patch(
    "/needs/{need_id}",
    auth=BearerToken(),
    response={200: NeedOut, **WRITE},
    summary="Change a need, or publish it (status: published)",
    description="Once published, each change is told to every respondent as a notice.",
)
def need_patch(request: HttpRequest, need_id: NeedId, payload: NeedPatch) -> dict[str, Any]:
    need = _need(request.user, need_id)
    data = payload.dict(exclude_unset=True)
    publish = data.pop("status", None) == "published"
    version = data.pop("version", None)
    with _errors():
        # Asked first, so a change that changes nothing is refused to others all the same.
        permissions.require(permissions.can_change_need(request.user, need))
        if data or version is not None:
            need = services.need_update(_user(request), need, data, version=version)
        if publish:
            need = services.need_publish(_user(request), need)
    return _need_out(need, request.user)


@router.get(
    "/needs/{need_id}/matches",
    auth=BearerToken(),
    response={200: list[MatchOut], **READ, 403: ApiError},
    summary="Organisations that fit the need, with reasons (its owner only)",
)
def need_matches(request: HttpRequest, need_id: NeedId) -> list[dict[str, Any]]:
    need = _need(request.user, need_id)
    if not permissions.owns_need(request.user, need):
        raise HttpError(403, "Only the need's organisation sees its matches.")
    return [
        {
            "org_id": m.organisation.org_id,
            "name": m.organisation.name,
            "sector": m.organisation.sector,
            "reasons": m.reasons,
        }
        for m in selectors.matches_for(need)
    ]


@router.post(
    "/needs/{need_id}/interests",
    auth=BearerToken(),
    response={201: InterestOut, **WRITE},
    summary="Express an organisation's interest in a need",
)
def interest_post(
    request: HttpRequest, need_id: NeedId, payload: InterestIn
) -> tuple[int, dict[str, Any]]:
    need = _need(request.user, need_id)
    org = _organisation(payload.organisation)
    with _errors():
        interest = services.interest_submit(
            _user(request), need, org, kind=payload.kind, message=payload.message
        )
    return 201, _interest_out(interest)


@router.get(
    "/needs/{need_id}/interests",
    auth=BearerToken(),
    response={200: list[InterestOut], **READ, 403: ApiError},
    summary="Who expressed interest (the need's owner only)",
)
def interests_get(request: HttpRequest, need_id: NeedId) -> list[dict[str, Any]]:
    need = _need(request.user, need_id)
    if not permissions.can_view_interests(request.user, need):
        raise HttpError(403, "Only the need's organisation sees who responded.")
    return [_interest_out(i) for i in selectors.interests_of(need)]


@router.post(
    "/needs/{need_id}/questions",
    auth=BearerToken(),
    response={201: QuestionOut, **WRITE},
    summary="Ask a question about a need; its answer goes to every respondent at once",
)
def question_post(
    request: HttpRequest, need_id: NeedId, payload: QuestionIn
) -> tuple[int, dict[str, Any]]:
    need = _need(request.user, need_id)
    org = _organisation(payload.organisation)
    with _errors():
        question = services.question_ask(_user(request), need, org, text=payload.text)
    return 201, _question_out(question)


@router.get(
    "/needs/{need_id}/questions",
    response={200: list[QuestionOut], **READ},
    summary="Answered questions, and your organisation's own unanswered ones",
)
def questions_get(request: HttpRequest, need_id: NeedId) -> list[dict[str, Any]]:
    user = _reader(request)
    need = _need(user, need_id)
    return [_question_out(q) for q in selectors.questions_for(need, user)]


@router.post(
    "/needs/{need_id}/questions/{question_id}/answer",
    auth=BearerToken(),
    response={200: QuestionOut, **WRITE},
    summary="Answer a question, for every respondent at once (the need's owner only)",
)
def question_answer(
    request: HttpRequest, need_id: NeedId, question_id: QuestionId, payload: AnswerIn
) -> dict[str, Any]:
    need = _need(request.user, need_id)
    question = need.questions.filter(pk=question_id).first()
    if question is None:
        raise HttpError(404, "No question with this id on this need.")
    with _errors():
        question = services.question_answer(_user(request), question, answer=payload.answer)
    return _question_out(question)
