"""POST /api/v1/appraisals and GET /api/v1/appraisals/{id}: route appraisals.

POST takes the answers as JSON (the schema below, published in OpenAPI with every field's
meaning) and returns every route with its status, reasons and obligations. Without a token
nothing is stored; with a Bearer token the appraisal is saved and its id returned. Unknown,
badly typed or inconsistent answers get 400 naming the field (not ninja's 422), because the
body is validated here by the same model the question pages use.

Registered in api/urls.py.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from commonground.accounts import permissions
from commonground.accounts.api_auth import BearerToken
from commonground.accounts.services import api_token_user, display_name
from commonground.commissioning import selectors, services
from commonground.commissioning.answers import AnswerError, Answers, parse_answers
from commonground.commissioning.engine import appraise
from commonground.commissioning.presenters import precedents

from .errors import ApiError, refused
from .parser import NulInBody, nul_path
from .routes import RoutePrecedentOut, RoutePrincipleFitOut

router = Router(tags=["appraisals"])


def _inline_schema() -> dict[str, Any]:
    """The Answers JSON Schema with its $defs inlined, so OpenAPI needs no extra components."""
    schema = Answers.model_json_schema()
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                merged = copy.deepcopy(defs[ref.split("/")[-1]])
                merged.update({k: v for k, v in node.items() if k != "$ref"})
                return walk(merged)
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    inlined = walk(schema)
    inlined["title"] = "AppraisalAnswers"
    return inlined


ANSWERS_SCHEMA = _inline_schema()


class AppraisalReasonOut(Schema):
    rule: str = Field(description="The rule that decided it: <route code>.<condition id>.")
    text: str = Field(description="The reason in plain English, with the figures used.")
    source: str = Field(description="Source of the legal fact behind the rule.")
    unconfirmed: bool = Field(description="True if the rule rests on UNCONFIRMED law.")


class AppraisalObligationOut(Schema):
    kind: str = Field(
        description="notice, standstill, publication, record, duty, consent or check."
    )
    text: str = Field(description="What must be done.")
    source: str = Field(description="Source of the obligation.")
    unconfirmed: bool = Field(description="True if it rests on UNCONFIRMED law.")


class AppraisalLegalBasisOut(Schema):
    citation: str = Field(description="The provision relied on under the regime of the date.")
    url: str = Field(description="Where to read it.")
    unconfirmed: bool = Field(description="True if the fact base does not set it out.")


class AppraisalRouteResultOut(Schema):
    code: str = Field(description="Route code.")
    name: str = Field(description="Route name.")
    family: str = Field(description="Route family.")
    summary: str = Field(description="What the route is.")
    status: str = Field(description="available, available_if or not_available.")
    regime: str = Field(description="Regime the obligations come from.")
    regime_label: str = Field(description="That regime's name.")
    reasons: list[AppraisalReasonOut] = Field(description="Why the route has this status.")
    conditions_to_confirm: list[AppraisalReasonOut] = Field(
        description="For available_if: what must still be confirmed."
    )
    obligations: list[AppraisalObligationOut] = Field(
        description="Notices, standstill, publication duties and records (empty if not available)."
    )
    legal_basis: list[AppraisalLegalBasisOut] = Field(description="Legal basis with links.")
    timeline: str = Field(description="Typical timeline.")
    risks: list[str] = Field(description="Main risks.")
    principle_fit: list[RoutePrincipleFitOut] = Field(description="Fit with the nine principles.")
    principle_note: str = Field(description="How the route sits with the principles.")
    would_change: list[str] = Field(
        default_factory=list,
        description="For a route that is not available: what would open it (empty otherwise).",
    )
    process: str = Field(
        default="moderate", description="How much process the route takes: light, moderate, heavy."
    )
    rests_on_unconfirmed: bool = Field(
        description="True if the route's status or duties rest on something UNCONFIRMED."
    )
    unconfirmed: list[str] = Field(description="The UNCONFIRMED points it rests on.")
    precedents: list[RoutePrecedentOut] = Field(
        description="Case studies that used this route (empty if not available)."
    )


class AppraisalFigureOut(Schema):
    key: str = Field(description="Threshold key in thresholds.yaml.")
    label: str = Field(description="What the figure is.")
    unit: str = Field(description="pence, months or share.")
    value: float = Field(description="The figure in force on the decision date.")
    display: str = Field(description="The figure for people.")
    applies_from: str = Field(description="Date the figure applies from.")
    vat_inclusive: bool | None = Field(description="Whether a money figure includes VAT.")
    source: str = Field(description="Source of the figure.")
    note: str = Field(description="Note on the figure.")
    unconfirmed: bool = Field(description="True if the figure is not in the law fact base.")


class AppraisalNextOut(Schema):
    notices: list[str] = Field(description="Notices, standstill and publication duties.")
    timeline: str = Field(description="Typical timeline.")
    to_confirm: list[str] = Field(description="Conditions and answers still to confirm.")


class AppraisalRecommendationOut(Schema):
    code: str = Field(description="Route code.")
    name: str = Field(description="Route name.")
    status: str = Field(description="available or available_if.")
    fit: int = Field(
        description="Fit with the service's aims and the partnership principles, 0-100."
    )
    why: list[str] = Field(description="Why it is recommended, in plain English.")
    next: AppraisalNextOut = Field(description="What the route needs next.")


class AppraisalCountsOut(Schema):
    available: int
    available_if: int
    not_available: int


class AppraisalLinkOut(Schema):
    id: int = Field(description="Id of the need or partnership.")
    name: str = Field(description="Its title or name.")
    url: str = Field(description="Its page on this site.")


class AppraisalOut(Schema):
    id: int | None = Field(description="Id of the saved appraisal; null when not saved.")
    saved: bool = Field(description="True when saved (a Bearer token was given).")
    name: str = Field(description="Name of the saved appraisal ('' when not saved).")
    author: str = Field(description="Who saved it ('' when not saved).")
    answers: dict[str, Any] = Field(description="The answers the result was worked out from.")
    rules_version: str = Field(description="Rules version used (date + content hash).")
    decision_date: str = Field(description="The decision date used.")
    regime: str = Field(description="pcr2015, pa2023 or pcs2015.")
    regime_label: str = Field(description="The procurement law applied.")
    psr_applies: bool = Field(description="True if the Provider Selection Regime applies.")
    figures: list[AppraisalFigureOut] = Field(
        description="Thresholds and figures used, with dates."
    )
    notes: list[str] = Field(description="Notes on reading the result.")
    counts: AppraisalCountsOut = Field(description="How many routes have each status.")
    unknown_answers: list[str] = Field(
        default_factory=list, description='The yes/no answers given as "unknown".'
    )
    recommendation: list[AppraisalRecommendationOut] = Field(
        default_factory=list,
        description="The recommended route and two alternatives, best first, drawn only from "
        "routes that are available or available_if (empty for results saved before it existed).",
    )
    routes: list[AppraisalRouteResultOut] = Field(
        description="Every route with its status and reasons."
    )
    needs: list[AppraisalLinkOut] = Field(
        default_factory=list,
        description="The needs this saved appraisal is linked to, that the caller may see "
        "(link one with PATCH /api/v1/needs/{id} and its appraisal field).",
    )
    partnerships: list[AppraisalLinkOut] = Field(
        default_factory=list,
        description="The partnerships whose route it is, where the caller is a member.",
    )


def _bearer_user(request: HttpRequest) -> Any:
    """The token's user, None without an Authorization header; 401 for a bad token."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    user = api_token_user(token.strip()) if scheme.lower() == "bearer" and token else None
    if user is None:
        raise HttpError(401, "Unauthorized")
    request.user = user
    return user


def _out(
    result: dict[str, Any], answers: dict[str, Any], appraisal: Any = None, reader: Any = None
) -> dict[str, Any]:
    return {
        "id": appraisal.pk if appraisal else None,
        "saved": appraisal is not None,
        "name": appraisal.name if appraisal else "",
        "author": display_name(appraisal.author) if appraisal else "",
        "answers": answers,
        **{
            k: result[k]
            for k in (
                "rules_version",
                "decision_date",
                "regime",
                "regime_label",
                "psr_applies",
                "figures",
                "notes",
                "counts",
            )
        },
        "unknown_answers": result.get("unknown_answers", []),
        "recommendation": result.get("recommendation", []),
        "routes": [
            {**r, "precedents": precedents(r["code"]) if r["status"] != "not_available" else []}
            for r in result["routes"]
        ],
        **(_links(appraisal, reader) if appraisal else {}),
    }


def _links(appraisal: Any, user: Any) -> dict[str, list[dict[str, Any]]]:
    """The needs and partnerships the appraisal is linked to, that its reader may see."""
    needs = [n for n in appraisal.needs.all() if permissions.can_view_need(user, n)]
    partnerships = [p for p in appraisal.partnerships.all() if p.role_of(user) is not None]
    return {
        "needs": [
            {"id": n.pk, "name": n.title, "url": reverse("needs:detail", args=[n.pk])}
            for n in needs
        ],
        "partnerships": [
            {"id": p.pk, "name": p.name, "url": reverse("partnerships:detail", args=[p.pk])}
            for p in partnerships
        ],
    }


@router.post(
    "/appraisals",
    response={200: AppraisalOut, 400: ApiError, 401: ApiError},
    summary="Appraise the routes for a service (saved when a Bearer token is given)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": ANSWERS_SCHEMA}},
        },
        "security": [{}, {"BearerToken": []}],
    },
)
def create_appraisal(request: HttpRequest) -> Any:
    user = _bearer_user(request)
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise refused(400, "The request body is not valid JSON") from None
    nul = nul_path(body)
    if nul is not None:  # this operation reads its own body, so the API's parser does not see it
        raise refused(400, str(NulInBody(None)), ".".join(nul) or None)
    try:
        answers = parse_answers(body)
    except AnswerError as exc:
        raise refused(400, str(exc), None if exc.field == "(body)" else exc.field) from None
    if user is None:
        return Status(200, _out(appraise(answers), answers.model_dump(mode="json")))
    appraisal = services.appraisal_create(author=user, answers=answers)
    return Status(200, _out(appraisal.result, appraisal.answers, appraisal, user))


@router.get(
    "/appraisals/{appraisal_id}",
    auth=BearerToken(),
    response={200: AppraisalOut, 401: ApiError, 404: ApiError},
    summary="A saved appraisal (its author and the people it is shared with)",
)
def get_appraisal(request: HttpRequest, appraisal_id: str) -> Any:
    # A string, so that an id that is not a number is simply not found (404), like any other
    # ("¹" is a digit to isdigit() but not to int()).
    if not (appraisal_id.isascii() and appraisal_id.isdigit()) or len(appraisal_id) > 18:
        raise HttpError(404, "Not found")
    appraisal = selectors.appraisal_visible_to(request.user, int(appraisal_id))
    if appraisal is None:
        raise HttpError(404, "Not found")
    return Status(200, _out(appraisal.result, appraisal.answers, appraisal, request.user))
