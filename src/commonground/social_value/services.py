"""Every write of the social value context: one function an action, each checking permission,
refusing bad input with a message naming the field, and auditing in the same transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from commonground.accounts import permissions
from commonground.audit.services import audit_record, snapshot
from commonground.core.resubmission import lock, made_just_now
from commonground.core.uploads import DOCUMENT_KINDS, check_upload

from .models import (
    Commitment,
    Delivery,
    Evidence,
    EvidenceKind,
    Framework,
    Measure,
    Outcome,
    Theme,
    Unit,
    ValueStatement,
    VerificationStatus,
)
from .spec import FrameworkSpec, validate

MAX_QUANTITY = Decimal("999999999999.99")
COMMITMENT_FIELDS = (
    "partnership",
    "measure",
    "quantity",
    "unit",
    "period_start",
    "period_end",
    "description",
    "committed_by",
    "perspective",
)
DELIVERY_FIELDS = (
    "commitment",
    "quantity",
    "unit",
    "period_start",
    "period_end",
    "description",
    "claimed_by",
    "claimant_perspective",
    "status",
    "decided_by",
    "decider_perspective",
    "decided_at",
    "decision_note",
)


class SocialValueError(ValueError):
    """Input that cannot be accepted, with the field it concerns (for the error summary and the
    API's 422)."""

    def __init__(self, message: str, field: str = "") -> None:
        self.message = message
        self.field = field
        super().__init__(message)


class VerificationRefused(SocialValueError):
    """This person may not verify this delivery (their own claim, or their own side's)."""


# ---- Frameworks ---------------------------------------------------------------------------


class FrameworkInUse(SocialValueError):
    """A loaded framework version would change under commitments already made against it."""


def spec_checksum(spec: FrameworkSpec) -> str:
    return hashlib.sha256(
        json.dumps(asdict(spec), sort_keys=True, default=str).encode("utf-8")
    ).hexdigest()


def framework_save(
    spec: FrameworkSpec, *, origin: str, actor: Any = None, source: str = ""
) -> tuple[Framework, str]:
    """Create or update one framework version from validated data; returns it and "created",
    "updated" or "unchanged". Idempotent. A version that commitments already use may gain
    wording changes and new measures, but no measure may change unit or proxy, or disappear:
    that needs a new version, so figures already reported never shift."""
    validate(spec, source or origin)
    checksum = spec_checksum(spec)
    with transaction.atomic():
        if actor is not None:
            permissions.require(permissions.can_import_framework(actor))
            taken = Framework.objects.filter(slug=spec.slug).first()
            if taken is not None and not permissions.can_replace_framework(actor, taken):
                raise SocialValueError(
                    f"the short name {spec.slug!r} belongs to another framework; choose another",
                    "slug",
                )
        framework = Framework.objects.filter(slug=spec.slug, version=spec.version).first()
        if framework is not None and framework.content_sha256 == checksum:
            return framework, "unchanged"
        outcome_word = "created" if framework is None else "updated"
        before = None if framework is None else _framework_summary(framework)
        if framework is None:
            framework = Framework(slug=spec.slug, version=spec.version)
        else:
            _check_changes_allowed(framework, spec)
        for name in (
            "name",
            "description",
            "publisher",
            "source_url",
            "licence",
            "licence_url",
            "provenance_note",
            "is_default",
        ):
            setattr(framework, name, getattr(spec, name))
        framework.origin = origin[:300]
        if actor is not None and framework.imported_by_id is None:
            framework.imported_by = actor
        framework.content_sha256 = checksum
        framework.loaded_at = timezone.now()
        framework.save()
        _save_tree(framework, spec)
        audit_record(
            actor=actor,
            action=f"social_value.framework.{'create' if before is None else 'update'}",
            obj=framework,
            before=before,
            after=_framework_summary(framework),
        )
    return framework, outcome_word


def _framework_summary(framework: Framework) -> dict[str, Any]:
    return {
        **snapshot(framework, ("slug", "version", "name", "licence", "content_sha256")),
        "measures": {
            m.code: [m.unit, m.proxy_value_pence, m.proxy_version] for m in framework.measures.all()
        },
    }


def _check_changes_allowed(framework: Framework, spec: FrameworkSpec) -> None:
    new = {m.code: m for m in spec.measures()}
    used = Measure.objects.filter(framework=framework, commitments__isnull=False).distinct()
    for measure in used:
        incoming = new.get(measure.code)
        if incoming is None:
            raise FrameworkInUse(
                f"measure {measure.code} has commitments against it and cannot be removed "
                f"from version {framework.version}; publish a new version instead",
                "measure_code",
            )
        if (incoming.unit, incoming.proxy_value_pence, incoming.proxy_version) != (
            measure.unit,
            measure.proxy_value_pence,
            measure.proxy_version,
        ):
            raise FrameworkInUse(
                f"measure {measure.code} has commitments against it, so its unit and proxy "
                f"value cannot change in version {framework.version}; publish a new version",
                "measure_code",
            )


def _save_tree(framework: Framework, spec: FrameworkSpec) -> None:
    themes = {t.code: t for t in framework.themes.all()}
    outcomes = {o.code: o for o in Outcome.objects.filter(theme__framework=framework)}
    measures = {m.code: m for m in framework.measures.all()}
    keep_themes, keep_outcomes, keep_measures = set(), set(), set()
    for t_pos, t in enumerate(spec.themes):
        theme = themes.get(t.code) or Theme(framework=framework, code=t.code)
        theme.name, theme.description, theme.position = t.name, t.description, t_pos
        theme.save()
        keep_themes.add(t.code)
        for o_pos, o in enumerate(t.outcomes):
            outcome = outcomes.get(o.code) or Outcome(code=o.code)
            outcome.theme = theme
            outcome.name, outcome.description, outcome.position = o.name, o.description, o_pos
            outcome.save()
            keep_outcomes.add(o.code)
            for m_pos, m in enumerate(o.measures):
                measure = measures.get(m.code) or Measure(framework=framework, code=m.code)
                measure.outcome = outcome
                measure.position = m_pos
                for name in (
                    "name",
                    "description",
                    "unit",
                    "proxy_value_pence",
                    "proxy_source",
                    "proxy_source_url",
                    "proxy_version",
                ):
                    setattr(measure, name, getattr(m, name))
                measure.save()
                keep_measures.add(m.code)
    # Anything no longer in the data goes (those in use were refused above).
    framework.measures.exclude(code__in=keep_measures).delete()
    Outcome.objects.filter(theme__framework=framework).exclude(code__in=keep_outcomes).delete()
    framework.themes.exclude(code__in=keep_themes).delete()


# ---- Commitments and deliveries -------------------------------------------------------------


def _quantity(value: Any, field: str = "quantity") -> Decimal:
    try:
        quantity = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise SocialValueError("Enter the quantity as a number, like 12 or 12.5", field) from None
    if not quantity.is_finite() or quantity <= 0:
        raise SocialValueError("The quantity must be more than 0", field)
    if quantity > MAX_QUANTITY:
        raise SocialValueError("The quantity is too large", field)
    if quantity != quantity.quantize(Decimal("0.01")):
        raise SocialValueError("The quantity can have at most two decimal places", field)
    return quantity.quantize(Decimal("0.01"))


def _period(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    if start is None:
        raise SocialValueError("Enter the date the period starts", "period_start")
    if end is None:
        raise SocialValueError("Enter the date the period ends", "period_end")
    if end < start:
        raise SocialValueError("The period must end on or after the day it starts", "period_end")
    return start, end


def _unit(measure: Measure, unit: str) -> str:
    if unit not in Unit.values:
        raise SocialValueError(f"The unit must be one of: {', '.join(Unit.values)}", "unit")
    if unit != measure.unit:
        raise SocialValueError(
            f"This measure counts {Unit(measure.unit).label}, not {Unit(unit).label}; "
            "enter the quantity in the measure's unit",
            "unit",
        )
    return unit


def _perspective(partnership: Any, actor: Any) -> str:
    """The perspective the actor speaks from here; the permission rules already require one."""
    perspective = partnership.perspective_of(actor)
    if not perspective:
        raise PermissionDenied
    return str(perspective)


def commitment_create(
    actor: Any,
    partnership: Any,
    *,
    measure: Measure,
    quantity: Any,
    unit: str,
    period_start: dt.date | None,
    period_end: dt.date | None,
    description: str = "",
) -> Commitment:
    """Commit the partnership to a quantity of a measure. The same commitment sent again by
    the same person within ten minutes is the one already made, returned unchanged
    (core.resubmission)."""
    permissions.require(permissions.can_record_social_value(actor, partnership))
    start, end = _period(period_start, period_end)
    commitment = Commitment(
        partnership=partnership,
        measure=measure,
        quantity=_quantity(quantity),
        unit=_unit(measure, unit),
        period_start=start,
        period_end=end,
        description=description.strip(),
        committed_by=actor,
        perspective=_perspective(partnership, actor),
        created_at=timezone.now(),
    )
    with transaction.atomic():
        lock(partnership)
        same = made_just_now(
            Commitment.objects.all(),
            "created_at",
            **{
                name: getattr(commitment, name)
                for name in COMMITMENT_FIELDS
                if name not in ("perspective",)
            },
        )
        if same is not None:
            return same  # type: ignore[no-any-return]
        commitment.save()
        audit_record(
            actor=actor,
            action="social_value.commitment.create",
            obj=commitment,
            after=snapshot(commitment, COMMITMENT_FIELDS),
        )
    return commitment


def delivery_claim(
    actor: Any,
    commitment: Commitment,
    *,
    quantity: Any,
    unit: str,
    period_start: dt.date | None,
    period_end: dt.date | None,
    description: str = "",
) -> Delivery:
    partnership = commitment.partnership
    permissions.require(permissions.can_record_social_value(actor, partnership))
    start, end = _period(period_start, period_end)
    if start < commitment.period_start or end > commitment.period_end:
        raise SocialValueError(
            f"The delivery must fall within the commitment's period "
            f"({commitment.period_start:%d/%m/%Y} to {commitment.period_end:%d/%m/%Y})",
            "period_start" if start < commitment.period_start else "period_end",
        )
    delivery = Delivery(
        commitment=commitment,
        quantity=_quantity(quantity),
        unit=_unit(commitment.measure, unit),
        period_start=start,
        period_end=end,
        description=description.strip(),
        claimed_by=actor,
        claimant_perspective=_perspective(partnership, actor),
        claimed_at=timezone.now(),
        status=VerificationStatus.CLAIMED,
    )
    with transaction.atomic():
        lock(partnership)
        same = made_just_now(
            Delivery.objects.all(),
            "claimed_at",
            **{
                name: getattr(delivery, name)
                for name in DELIVERY_FIELDS[:7]  # what was claimed, by whom
            },
        )
        if same is not None:
            return same  # type: ignore[no-any-return]
        delivery.save()
        audit_record(
            actor=actor,
            action="social_value.delivery.claim",
            obj=delivery,
            after=snapshot(delivery, DELIVERY_FIELDS),
        )
    return delivery


def evidence_add_link(actor: Any, delivery: Delivery, *, url: str, description: str) -> Evidence:
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    permissions.require(permissions.can_change(actor, delivery))
    url = (url or "").strip()
    try:
        URLValidator(schemes=["https"])(url)
    except ValidationError:
        raise SocialValueError(
            "Enter a full web address starting https://, like https://example.org/report", "url"
        ) from None
    return _evidence_add(actor, delivery, Evidence(kind=EvidenceKind.LINK, url=url), description)


def evidence_add_file(actor: Any, delivery: Delivery, *, upload: Any, description: str) -> Evidence:
    permissions.require(permissions.can_change(actor, delivery))
    try:
        kind = check_upload(upload, allowed=DOCUMENT_KINDS)
    except ValueError as error:  # UploadRejected
        raise SocialValueError(str(error), "file") from None
    evidence = Evidence(
        kind=EvidenceKind.FILE,
        original_name=str(upload.name)[:255],
        file_kind=kind.code,
        size_bytes=upload.size,
    )
    same = made_just_now(
        Evidence.objects.all(),
        "added_at",
        delivery=delivery,
        kind=EvidenceKind.FILE,
        original_name=evidence.original_name,
        file_kind=kind.code,
        size_bytes=upload.size,
        description=(description or "").strip(),
        added_by=actor,
    )
    if same is not None:
        return same  # type: ignore[no-any-return]
    evidence.file.save(upload.name, upload, save=False)
    try:
        return _evidence_add(actor, delivery, evidence, description)
    except BaseException:
        evidence.file.delete(save=False)  # nothing half-saved: no orphan file either
        raise


def _evidence_add(actor: Any, delivery: Delivery, evidence: Evidence, description: str) -> Evidence:
    permissions.require(permissions.can_change(actor, delivery))
    description = (description or "").strip()
    if not description:
        raise SocialValueError("Describe what the evidence shows", "description")
    if len(description) > 300:
        raise SocialValueError("The description must be 300 characters or fewer", "description")
    evidence.delivery = delivery
    evidence.description = description
    evidence.added_by = actor
    evidence.added_at = timezone.now()
    with transaction.atomic():
        locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if evidence.kind == EvidenceKind.LINK:
            same = made_just_now(
                Evidence.objects.all(),
                "added_at",
                delivery=delivery,
                kind=EvidenceKind.LINK,
                url=evidence.url,
                description=description,
                added_by=actor,
            )
            if same is not None:
                return same  # type: ignore[no-any-return]
        evidence.save()
        audit_record(
            actor=actor,
            action="social_value.evidence.add",
            obj=evidence,
            after=snapshot(
                evidence, ("delivery", "kind", "description", "url", "original_name", "file_kind")
            ),
        )
        if locked.status == VerificationStatus.CLAIMED:
            before = snapshot(locked, ("status",))
            locked.status = VerificationStatus.EVIDENCED
            locked.save(update_fields=["status"])
            audit_record(
                actor=actor,
                action="social_value.delivery.evidenced",
                obj=locked,
                before=before,
                after=snapshot(locked, ("status",)),
            )
        delivery.status = locked.status
    return evidence


DECISIONS = (VerificationStatus.VERIFIED, VerificationStatus.DISPUTED)


def delivery_decide(actor: Any, delivery: Delivery, *, decision: str, note: str = "") -> Delivery:
    """Verify or dispute a delivery, as a named member from another perspective than the
    claimant's. Verifying needs evidence; disputing needs a reason."""
    if decision not in DECISIONS:
        raise SocialValueError("Choose whether you verify or dispute this delivery", "decision")
    note = (note or "").strip()
    with transaction.atomic():
        locked = (
            Delivery.objects.select_for_update()
            .select_related("commitment__partnership")
            .get(pk=delivery.pk)
        )
        refusal = permissions.verification_refusal(actor, locked)
        if refusal:
            raise VerificationRefused(refusal, "decision")
        if locked.status == decision:
            raise SocialValueError(f"This delivery is already {decision}", "decision")
        if decision == VerificationStatus.VERIFIED and not locked.evidence.exists():
            raise SocialValueError(
                "A delivery can only be verified once it has evidence; add a file or a link "
                "first, or dispute it",
                "decision",
            )
        if decision == VerificationStatus.DISPUTED and not note:
            raise SocialValueError("Say why you dispute this delivery", "note")
        before = snapshot(locked, DELIVERY_FIELDS)
        locked.status = decision
        locked.decided_by = actor
        locked.decider_perspective = _perspective(locked.commitment.partnership, actor)
        locked.decided_at = timezone.now()
        locked.decision_note = note
        locked.save()
        audit_record(
            actor=actor,
            action=f"social_value.delivery.{'verify' if decision == 'verified' else 'dispute'}",
            obj=locked,
            before=before,
            after=snapshot(locked, DELIVERY_FIELDS),
        )
    return locked


def value_statement_add(actor: Any, partnership: Any, *, text: str) -> ValueStatement:
    permissions.require(permissions.can_record_social_value(actor, partnership))
    text = (text or "").strip()
    if not text:
        raise SocialValueError("Describe the value the partnership creates, in your words", "text")
    if len(text) > 5000:
        raise SocialValueError("The description must be 5,000 characters or fewer", "text")
    statement = ValueStatement(
        partnership=partnership,
        author=actor,
        perspective=_perspective(partnership, actor),
        text=text,
        created_at=timezone.now(),
    )
    with transaction.atomic():
        lock(partnership)
        same = made_just_now(
            ValueStatement.objects.all(),
            "created_at",
            **{"partnership": partnership, "author": actor, "text": text},
        )
        if same is not None:
            return same  # type: ignore[no-any-return]
        statement.save()
        audit_record(
            actor=actor,
            action="social_value.statement.add",
            obj=statement,
            after=snapshot(statement, ("partnership", "author", "perspective", "text")),
        )
    return statement
