"""Social value frameworks, commitments, deliveries and verification.

Registered in api/urls.py. Frameworks are open data; a partnership's social value is private to
its members (404 for anyone else: whether it exists is private too); writes need a Bearer token
of a member who acts for the partnership. Claimed and verified figures are always given apart.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Path, Router, Schema, Status
from ninja.errors import HttpError

from commonground.accounts import permissions
from commonground.accounts.api_auth import BearerToken
from commonground.partnerships.models import Partnership
from commonground.partnerships.selectors import partnership_visible_to
from commonground.social_value import selectors, services
from commonground.social_value.models import Commitment, Delivery, Measure, Unit
from commonground.social_value.services import SocialValueError, VerificationRefused

from .errors import ApiError, Refused, refused

router = Router(tags=["social value"])

MAX_ID = 2_147_483_647
UnitCode = Literal["people", "hours", "weeks", "sessions", "organisations", "pounds", "tonnes_co2e"]
DECIMAL_STRING = 'a decimal number as a string, with two decimal places (e.g. "12.50")'


# ---- Frameworks ------------------------------------------------------------------------------


class MeasureOut(Schema):
    id: int = Field(description="The measure's id, used when making a commitment.")
    code: str = Field(description="The measure's code within its framework version.")
    name: str = Field(description="What the measure counts.")
    description: str = Field(description="More about the measure; may be empty.")
    unit: UnitCode = Field(description="The unit every quantity of this measure is in.")
    unit_label: str = Field(description="The unit in words.")
    proxy_value_pence: int | None = Field(
        description="Money value of one unit, in pence, where a sourced proxy is used; null "
        "where there is none (Common Ground ships no proxy whose source it could not confirm)."
    )
    proxy_source: str = Field(description="Where the proxy value comes from; empty if none.")
    proxy_source_url: str = Field(description="Address of the proxy's source; may be empty.")
    proxy_version: str = Field(description="Version or year of the proxy value; empty if none.")


class OutcomeOut(Schema):
    code: str = Field(description="The outcome's code within its framework version.")
    name: str = Field(description="The outcome.")
    measures: list[MeasureOut] = Field(description="The measures of this outcome.")


class ThemeOut(Schema):
    code: str = Field(description="The theme's code within its framework version.")
    name: str = Field(description="The theme.")
    outcomes: list[OutcomeOut] = Field(description="The outcomes of this theme.")


class FrameworkOut(Schema):
    id: int = Field(description="The framework version's id.")
    slug: str = Field(description="The framework's short name, the same across versions.")
    version: str = Field(description="This version of the framework.")
    name: str = Field(description="The framework's name.")
    description: str = Field(description="What the framework is; may be empty.")
    publisher: str = Field(description="Who publishes it; may be empty.")
    source_url: str = Field(description="Where it is published; may be empty.")
    licence: str = Field(description="The licence it is used under.")
    licence_url: str = Field(description="The licence's address; may be empty.")
    provenance_note: str = Field(description="What comes from the source and what was added.")
    is_default: bool = Field(
        description="Whether this is the framework Common Ground offers first."
    )
    themes: list[ThemeOut] = Field(description="Theme → outcome → measure.")


def _measure(m: Measure) -> dict[str, Any]:
    return {
        "id": m.pk,
        "code": m.code,
        "name": m.name,
        "description": m.description,
        "unit": m.unit,
        "unit_label": m.unit_label,
        "proxy_value_pence": m.proxy_value_pence,
        "proxy_source": m.proxy_source,
        "proxy_source_url": m.proxy_source_url,
        "proxy_version": m.proxy_version,
    }


@router.get(
    "/social-value/frameworks",
    response=list[FrameworkOut],
    summary="Social value frameworks: theme → outcome → measure, with units and proxies",
)
def frameworks(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            **{
                k: getattr(f, k)
                for k in (
                    "slug",
                    "version",
                    "name",
                    "description",
                    "publisher",
                    "source_url",
                    "licence",
                    "licence_url",
                    "provenance_note",
                    "is_default",
                )
            },
            "id": f.pk,
            "themes": [
                {
                    "code": t.code,
                    "name": t.name,
                    "outcomes": [
                        {
                            "code": o.code,
                            "name": o.name,
                            "measures": [_measure(m) for m in o.measures.all()],
                        }
                        for o in t.outcomes.all()
                    ],
                }
                for t in f.themes.all()
            ],
        }
        for f in selectors.frameworks()
    ]


# ---- Commitments, deliveries, verification ---------------------------------------------------


class CommitmentIn(Schema):
    measure_id: int = Field(ge=1, le=MAX_ID, description="The measure committed to.")
    quantity: Decimal = Field(
        gt=0,
        max_digits=14,
        decimal_places=2,
        description="How much, in the measure's unit (up to two decimal places).",
    )
    unit: UnitCode = Field(
        description="The unit of the quantity; must be the measure's unit (a mismatch is refused)."
    )
    period_start: dt.date = Field(description="First day of the period committed to.")
    period_end: dt.date = Field(description="Last day of the period; on or after the start.")
    description: str = Field(
        default="", max_length=2000, description="What will be done, in the partners' words."
    )


class EvidenceLinkIn(Schema):
    url: str = Field(max_length=1000, description="An https:// address of the evidence.")
    description: str = Field(max_length=300, description="What the evidence shows.")


class DeliveryIn(Schema):
    quantity: Decimal = Field(
        gt=0,
        max_digits=14,
        decimal_places=2,
        description="How much was delivered, in the measure's unit.",
    )
    unit: UnitCode = Field(description="The unit of the quantity; must be the measure's unit.")
    period_start: dt.date = Field(description="First day of the period delivered in.")
    period_end: dt.date = Field(description="Last day; within the commitment's period.")
    description: str = Field(default="", max_length=2000, description="What was delivered.")
    evidence_links: list[EvidenceLinkIn] = Field(
        default=[],
        max_length=20,
        description="Links to evidence (files are added through the web pages). With at least "
        "one, the delivery starts as 'evidenced' rather than 'claimed'.",
    )


class VerifyIn(Schema):
    decision: Literal["verified", "disputed"] = Field(
        description="'verified' (needs evidence) or 'disputed' (needs a note)."
    )
    note: str = Field(default="", max_length=2000, description="Why; required to dispute.")


class EvidenceOut(Schema):
    id: int = Field(description="The evidence's id.")
    kind: Literal["file", "link"] = Field(description="A file or a link.")
    description: str = Field(description="What the evidence shows.")
    url: str = Field(description="The link, for link evidence; empty for a file.")
    file_name: str = Field(description="The file's name, for file evidence; empty for a link.")
    added_by: str = Field(description="Who added it.")
    added_at: dt.datetime = Field(description="When it was added.")


class DeliveryOut(Schema):
    id: int = Field(description="The delivery's id.")
    commitment_id: int = Field(description="The commitment it counts towards.")
    quantity: str = Field(description=f"How much was delivered: {DECIMAL_STRING}.")
    unit: UnitCode = Field(description="The measure's unit.")
    period_start: dt.date = Field(description="First day of the period delivered in.")
    period_end: dt.date = Field(description="Last day of the period delivered in.")
    description: str = Field(description="What was delivered.")
    status: Literal["claimed", "evidenced", "verified", "disputed"] = Field(
        description="claimed (no evidence yet), evidenced (claimed with evidence, not yet "
        "verified), verified (by a named person from another perspective) or disputed."
    )
    claimed_by: str = Field(description="Who claimed it.")
    claimant_perspective: str = Field(description="The perspective it was claimed from.")
    claimed_at: dt.datetime = Field(description="When it was claimed.")
    decided_by: str | None = Field(description="Who verified or disputed it; null if nobody yet.")
    decider_perspective: str = Field(description="Their perspective; empty if nobody yet.")
    decided_at: dt.datetime | None = Field(description="When; null if not yet decided.")
    decision_note: str = Field(description="Their note; may be empty.")
    evidence: list[EvidenceOut] = Field(description="Files and links offered as evidence.")


class CommitmentOut(Schema):
    id: int = Field(description="The commitment's id.")
    partnership_id: int = Field(description="The partnership that committed.")
    measure_id: int = Field(description="The measure committed to.")
    measure_code: str = Field(description="The measure's code.")
    measure_name: str = Field(description="The measure.")
    framework: str = Field(description="The framework and version the measure belongs to.")
    quantity: str = Field(description=f"How much was committed: {DECIMAL_STRING}.")
    unit: UnitCode = Field(description="The measure's unit.")
    period_start: dt.date = Field(description="First day of the period committed to.")
    period_end: dt.date = Field(description="Last day of the period committed to.")
    description: str = Field(description="What will be done.")
    committed_by: str = Field(description="Who recorded the commitment.")
    perspective: str = Field(description="The perspective they recorded it from.")
    created_at: dt.datetime = Field(description="When it was recorded.")
    deliveries: list[DeliveryOut] = Field(description="Deliveries claimed against it.")


def _evidence(e: Any) -> dict[str, Any]:
    return {
        "id": e.pk,
        "kind": e.kind,
        "description": e.description,
        "url": e.url,
        "file_name": e.original_name,
        "added_by": selectors.author_name(e.added_by),
        "added_at": e.added_at,
    }


def _delivery(d: Delivery) -> dict[str, Any]:
    return {
        "id": d.pk,
        "commitment_id": d.commitment_id,
        "quantity": f"{d.quantity:.2f}",
        "unit": d.unit,
        "period_start": d.period_start,
        "period_end": d.period_end,
        "description": d.description,
        "status": d.status,
        "claimed_by": selectors.author_name(d.claimed_by),
        "claimant_perspective": d.claimant_perspective,
        "claimed_at": d.claimed_at,
        "decided_by": selectors.author_name(d.decided_by) if d.decided_by_id else None,
        "decider_perspective": d.decider_perspective,
        "decided_at": d.decided_at,
        "decision_note": d.decision_note,
        "evidence": [_evidence(e) for e in d.evidence.all()],
    }


def _commitment(c: Commitment) -> dict[str, Any]:
    return {
        "id": c.pk,
        "partnership_id": c.partnership_id,
        "measure_id": c.measure_id,
        "measure_code": c.measure.code,
        "measure_name": c.measure.name,
        "framework": str(c.measure.framework),
        "quantity": f"{c.quantity:.2f}",
        "unit": c.unit,
        "period_start": c.period_start,
        "period_end": c.period_end,
        "description": c.description,
        "committed_by": selectors.author_name(c.committed_by),
        "perspective": c.perspective,
        "created_at": c.created_at,
        "deliveries": [_delivery(d) for d in c.deliveries.all()],
    }


def _invalid(error: SocialValueError) -> Refused:
    return refused(422, error.message, error.field or None)


def _visible_partnership(request: HttpRequest, partnership_id: int) -> Partnership:
    partnership = partnership_visible_to(
        request.user, partnership_id, permissions.can_view_social_value
    )
    if partnership is None:
        raise HttpError(404, "Not found")
    return partnership


WRITE_RESPONSES: dict[int, Any] = {
    400: ApiError,  # a body that is not JSON
    401: ApiError,
    403: ApiError,
    404: ApiError,
    422: ApiError,
}


@router.post(
    "/partnerships/{partnership_id}/commitments",
    auth=BearerToken(),
    response={201: CommitmentOut, **WRITE_RESPONSES},
    summary="Commit the partnership to a quantity of a social value measure over a period",
)
def commitment_create(
    request: HttpRequest,
    payload: CommitmentIn,
    partnership_id: int = Path(..., ge=1, le=MAX_ID, description="The partnership's id."),
) -> Any:
    partnership = _visible_partnership(request, partnership_id)
    if not permissions.can_record_social_value(request.user, partnership):
        raise refused(403, "Only members who act for the partnership can commit it.")
    measure = selectors.measure_by_id(payload.measure_id)
    if measure is None:
        raise _invalid(SocialValueError("There is no measure with this id", "measure_id"))
    try:
        commitment = services.commitment_create(
            request.user,
            partnership,
            measure=measure,
            quantity=payload.quantity,
            unit=payload.unit,
            period_start=payload.period_start,
            period_end=payload.period_end,
            description=payload.description,
        )
    except SocialValueError as error:
        raise _invalid(error) from error
    return Status(201, _commitment(selectors.commitments_of(partnership).get(pk=commitment.pk)))


@router.post(
    "/commitments/{commitment_id}/deliveries",
    auth=BearerToken(),
    response={201: DeliveryOut, **WRITE_RESPONSES},
    summary="Claim what was delivered against a commitment, with links to evidence",
)
def delivery_claim(
    request: HttpRequest,
    payload: DeliveryIn,
    commitment_id: int = Path(..., ge=1, le=MAX_ID, description="The commitment's id."),
) -> Any:
    commitment = selectors.commitment_by_id(commitment_id)
    if commitment is None or not permissions.can_view_social_value(
        request.user, commitment.partnership
    ):
        raise refused(404, "Not found")
    if not permissions.can_record_social_value(request.user, commitment.partnership):
        raise refused(403, "Only members who act for the partnership can claim deliveries.")
    try:
        # One transaction: a bad evidence link leaves no delivery behind.
        with transaction.atomic():
            delivery = services.delivery_claim(
                request.user,
                commitment,
                quantity=payload.quantity,
                unit=payload.unit,
                period_start=payload.period_start,
                period_end=payload.period_end,
                description=payload.description,
            )
            for index, link in enumerate(payload.evidence_links):
                try:
                    services.evidence_add_link(
                        request.user, delivery, url=link.url, description=link.description
                    )
                except SocialValueError as error:
                    error.field = f"evidence_links.{index}.{error.field}"
                    raise
    except SocialValueError as error:
        raise _invalid(error) from error
    found = selectors.delivery_for(delivery.pk)
    assert found is not None
    return Status(201, _delivery(found))


@router.post(
    "/deliveries/{delivery_id}/verify",
    auth=BearerToken(),
    response={200: DeliveryOut, **WRITE_RESPONSES},
    summary="Verify or dispute a delivery (a named member from another perspective)",
    description="Refused (403) for the person who claimed the delivery and for anyone speaking "
    "from the same perspective as the claimant. Verifying needs evidence; disputing needs a note.",
)
def delivery_verify(
    request: HttpRequest,
    payload: VerifyIn,
    delivery_id: int = Path(..., ge=1, le=MAX_ID, description="The delivery's id."),
) -> Any:
    delivery = selectors.delivery_for(delivery_id)
    if delivery is None or not permissions.can_view_social_value(
        request.user, delivery.commitment.partnership
    ):
        raise refused(404, "Not found")
    try:
        services.delivery_decide(
            request.user, delivery, decision=payload.decision, note=payload.note
        )
    except VerificationRefused as error:
        raise refused(403, error.message) from error
    except SocialValueError as error:
        raise _invalid(error) from error
    except PermissionDenied as error:
        raise refused(403, "You cannot verify this delivery.") from error
    found = selectors.delivery_for(delivery_id)
    assert found is not None
    return Status(200, _delivery(found))


# ---- The report ------------------------------------------------------------------------------


class MoneyOut(Schema):
    committed_pence: int = Field(description="Money value of what was committed, in pence.")
    verified_pence: int = Field(description="Money value of verified deliveries only, in pence.")
    claimed_not_verified_pence: int = Field(
        description="Money value of deliveries claimed but not (yet) verified, in pence. Never "
        "included in the verified figure."
    )
    disputed_pence: int = Field(description="Money value of disputed deliveries, in pence.")


class MeasureLineOut(Schema):
    measure_id: int = Field(description="The measure.")
    code: str = Field(description="The measure's code.")
    name: str = Field(description="The measure.")
    framework: str = Field(description="The framework and version.")
    outcome: str = Field(description="The outcome the measure serves.")
    unit: UnitCode = Field(description="The unit of the quantities below.")
    committed: str = Field(description=f"Quantity committed: {DECIMAL_STRING}.")
    verified: str = Field(description=f"Quantity verified: {DECIMAL_STRING}.")
    claimed_not_verified: str = Field(
        description=f"Quantity claimed (with or without evidence) but not verified: "
        f"{DECIMAL_STRING}."
    )
    disputed: str = Field(description=f"Quantity disputed: {DECIMAL_STRING}.")
    money: MoneyOut | None = Field(
        description="The same figures in money, where a proxy applies or the unit is pounds; "
        "null otherwise."
    )
    money_basis: str = Field(description="How the money figures were worked out, or why none.")


class ThemeLineOut(Schema):
    code: str = Field(description="The theme's code.")
    name: str = Field(description="The theme.")
    money: MoneyOut | None = Field(
        description="Money totals of the theme's measures that have a money value (units of "
        "different measures are never added together); null if none has."
    )
    measures_without_money: int = Field(description="Measures of this theme with no money value.")
    measures: list[MeasureLineOut] = Field(description="One line a measure committed to.")


class StatementOut(Schema):
    author: str = Field(description="Who wrote it.")
    perspective: str = Field(description="The perspective they wrote from.")
    text: str = Field(description="The value the partnership creates, in their words.")
    created_at: dt.datetime = Field(description="When it was written.")


class DeliveryCountsOut(Schema):
    claimed: int = Field(description="Deliveries claimed without evidence.")
    evidenced: int = Field(description="Deliveries claimed with evidence, not yet verified.")
    verified: int = Field(description="Deliveries verified.")
    disputed: int = Field(description="Deliveries disputed.")


class SocialValueOut(Schema):
    partnership_id: int = Field(description="The partnership.")
    partnership_name: str = Field(description="Its name.")
    is_example: bool = Field(description="True for illustrative demo data.")
    themes: list[ThemeLineOut] = Field(description="Figures by theme and measure.")
    money: MoneyOut | None = Field(
        description="Money totals across all themes (claimed and verified apart); null if no "
        "measure committed to has a money value."
    )
    delivery_counts: DeliveryCountsOut = Field(description="Deliveries by verification status.")
    statements: list[StatementOut] = Field(
        description="The intrinsic social value the partners describe in words."
    )
    commitments: list[CommitmentOut] = Field(description="Every commitment and its deliveries.")


def _money(money: dict[str, int] | None) -> dict[str, int] | None:
    if money is None:
        return None
    return {
        "committed_pence": money["committed"],
        "verified_pence": money["verified"],
        "claimed_not_verified_pence": money["claimed"],
        "disputed_pence": money["disputed"],
    }


@router.get(
    "/partnerships/{partnership_id}/social-value",
    auth=BearerToken(),
    response={200: SocialValueOut, 401: ApiError, 404: ApiError, 422: ApiError},
    summary="A partnership's social value: committed, verified and claimed figures apart",
)
def social_value(
    request: HttpRequest,
    partnership_id: int = Path(..., ge=1, le=MAX_ID, description="The partnership's id."),
) -> Any:
    partnership = partnership_visible_to(
        request.user, partnership_id, permissions.can_view_social_value
    )
    if partnership is None:
        raise refused(404, "Not found")
    report = selectors.social_value_report(partnership)
    return Status(
        200,
        {
            "partnership_id": partnership.pk,
            "partnership_name": partnership.name,
            "is_example": partnership.is_example,
            "themes": [
                {
                    "code": t.theme.code,
                    "name": t.theme.name,
                    "money": _money(t.money),
                    "measures_without_money": t.measures_without_money,
                    "measures": [
                        {
                            "measure_id": line.measure.pk,
                            "code": line.measure.code,
                            "name": line.measure.name,
                            "framework": str(line.measure.framework),
                            "outcome": line.measure.outcome.name,
                            "unit": line.measure.unit,
                            "committed": f"{line.units['committed']:.2f}",
                            "verified": f"{line.units['verified']:.2f}",
                            "claimed_not_verified": f"{line.units['claimed']:.2f}",
                            "disputed": f"{line.units['disputed']:.2f}",
                            "money": _money(line.money),
                            "money_basis": line.basis,
                        }
                        for line in t.measures
                    ],
                }
                for t in report.themes
            ],
            "money": _money(report.money),
            "delivery_counts": report.delivery_counts,
            "statements": [
                {
                    "author": selectors.author_name(s.author),
                    "perspective": s.perspective,
                    "text": s.text,
                    "created_at": s.created_at,
                }
                for s in report.statements
            ],
            "commitments": [_commitment(c) for c in selectors.commitments_of(partnership)],
        },
    )


assert set(UnitCode.__args__) == set(Unit.values)  # type: ignore[attr-defined]
