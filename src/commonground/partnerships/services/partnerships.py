"""Writes to partnerships and their members, milestones and documents: one function an action.
Each checks the rule on the server, runs in one transaction and records an audit event (before
and after) in it, so a refused or failed write leaves nothing behind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from commonground.accounts import permissions
from commonground.accounts.perspectives import Perspective, perspective_for
from commonground.audit.services import audit_record, snapshot
from commonground.commissioning.case_studies import case_study
from commonground.commissioning.models import Appraisal
from commonground.core.resubmission import lock, made_just_now
from commonground.core.uploads import DOCUMENT_KINDS, UploadRejected, check_upload
from commonground.money.models import MoneyFlow
from commonground.organisations.models import Organisation
from commonground.places.models import Place

from ..models import (
    MemberRole,
    Milestone,
    Partnership,
    PartnershipDocument,
    PartnershipFunding,
    PartnershipMember,
    Stage,
    StageChange,
)

PARTNERSHIP_FIELDS = [
    "name",
    "purpose",
    "place",
    "stage",
    "is_example",
    "resembles_case_study",
    "appraisal",
]
MEMBER_FIELDS = [
    "partnership",
    "user",
    "organisation",
    "perspective",
    "role",
    "joined_on",
    "left_on",
]
MILESTONE_FIELDS = ["title", "description", "due_on", "done_on"]
DOCUMENT_FIELDS = ["title", "original_name", "kind", "size_bytes"]
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


class PartnershipError(Exception):
    """Input the rules refuse, with a message fit to show the person and the field it is about.
    `conflict` marks a clash with what is already recorded (an answer already given)."""

    def __init__(self, message: str, field: str = "", *, conflict: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.conflict = conflict


def _text(value: str, field: str, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise PartnershipError(f"Enter {label}.", field)
    if len(value) > max_length:
        raise PartnershipError(
            f"{label.capitalize()} must be {max_length} characters or fewer.", field
        )
    return value


def _case_study_slug(slug: str) -> str:
    slug = (slug or "").strip()
    if slug and case_study(slug) is None:
        raise PartnershipError("Choose a case study from the list.", "resembles_case_study")
    return slug


def _stage(stage: str) -> str:
    if stage not in Stage.values:
        raise PartnershipError("Choose a stage from the list.", "stage")
    return stage


def _perspective(value: str) -> str:
    if value not in Perspective.values:
        raise PartnershipError(
            "Choose a perspective: commissioner, provider, funder or community.", "perspective"
        )
    return value


def _role(value: str) -> str:
    if value not in MemberRole.values:
        raise PartnershipError("Choose a role: lead, accountable body, member or observer.", "role")
    return value


# ---- Partnerships ------------------------------------------------------------------------------


@transaction.atomic
def partnership_create(
    actor: User,
    *,
    name: str,
    purpose: str,
    place: Place | None,
    perspective: str,
    stage: str = Stage.IDEA,
    resembles_case_study: str = "",
    is_example: bool = False,
    started_on: dt.date | None = None,
) -> Partnership:
    """A new partnership; whoever creates it becomes its lead, speaking from `perspective`.
    The same partnership started again by the same person within ten minutes is the
    one already made (returned unchanged)."""
    permissions.require_confirmed(actor)
    if place is None:
        raise PartnershipError("Choose the place the partnership serves.", "place")
    now = timezone.now()
    fields: dict[str, Any] = {
        "name": _text(name, "name", "a name", 200),
        "purpose": _text(purpose, "purpose", "the purpose", 5000),
        "place": place,
        "stage": _stage(stage),
        "is_example": is_example,
        "resembles_case_study": _case_study_slug(resembles_case_study),
        "created_by": actor,
    }
    # The person's row is locked so that two copies of the form sent at once wait for each
    # other (on PostgreSQL) and the second finds the first's partnership.
    lock(actor)
    same = made_just_now(Partnership.objects.all(), **fields)
    if same is not None:
        return same
    partnership = Partnership.objects.create(**fields, created_at=now, updated_at=now)
    today = started_on or timezone.localdate()
    lead = PartnershipMember.objects.create(
        partnership=partnership,
        user=actor,
        perspective=_perspective(perspective),
        role=MemberRole.LEAD,
        joined_on=today,
        added_by=actor,
    )
    StageChange.objects.create(
        partnership=partnership,
        from_stage="",
        to_stage=partnership.stage,
        changed_on=today,
        changed_by=actor,
        recorded_at=now,
    )
    audit_record(
        actor=actor,
        action="partnership.create",
        obj=partnership,
        after=snapshot(partnership, PARTNERSHIP_FIELDS),
    )
    audit_record(
        actor=actor, action="partnership.member_add", obj=lead, after=snapshot(lead, MEMBER_FIELDS)
    )
    return partnership


def _locked(partnership: Partnership) -> Partnership:
    return Partnership.objects.select_for_update().get(pk=partnership.pk)


@transaction.atomic
def partnership_update(
    actor: User, partnership: Partnership, changes: Mapping[str, Any]
) -> Partnership:
    """Change the name, purpose, place or the case study it resembles. The stage has its own
    action (`partnership_change_stage`) because each move is dated in the history."""
    partnership = _locked(partnership)
    permissions.require(permissions.can_change_partnership(actor, partnership))
    before = snapshot(partnership, PARTNERSHIP_FIELDS)
    for key, value in changes.items():
        if key == "name":
            partnership.name = _text(value, "name", "a name", 200)
        elif key == "purpose":
            partnership.purpose = _text(value, "purpose", "the purpose", 5000)
        elif key == "place":
            if value is None:
                raise PartnershipError("Choose the place the partnership serves.", "place")
            partnership.place = value
        elif key == "resembles_case_study":
            partnership.resembles_case_study = _case_study_slug(value)
        else:
            raise PartnershipError(f"{key} cannot be changed here.", key)
    after = snapshot(partnership, PARTNERSHIP_FIELDS)
    if after != before:
        partnership.updated_at = timezone.now()
        partnership.save()
        audit_record(
            actor=actor, action="partnership.update", obj=partnership, before=before, after=after
        )
    return partnership


@transaction.atomic
def partnership_change_stage(
    actor: User, partnership: Partnership, stage: str, changed_on: dt.date | None, note: str = ""
) -> StageChange:
    partnership = _locked(partnership)
    permissions.require(permissions.can_change_partnership(actor, partnership))
    stage = _stage(stage)
    if stage == partnership.stage:
        raise PartnershipError(f"The partnership is already at the {stage} stage.", "stage")
    if changed_on is None:
        raise PartnershipError("Enter the date the stage changed.", "changed_on")
    if changed_on > timezone.localdate():
        raise PartnershipError(
            "The date the stage changed must be today or in the past.", "changed_on"
        )
    last = partnership.stage_changes.order_by("-changed_on", "-pk").first()
    if last is not None and changed_on < last.changed_on:
        raise PartnershipError(
            f"The date must be on or after the last change ({last.changed_on:%d/%m/%Y}).",
            "changed_on",
        )
    before = snapshot(partnership, PARTNERSHIP_FIELDS)
    change = StageChange.objects.create(
        partnership=partnership,
        from_stage=partnership.stage,
        to_stage=stage,
        changed_on=changed_on,
        note=_text(note, "note", "a note", 2000, required=False),
        changed_by=actor,
        recorded_at=timezone.now(),
    )
    partnership.stage = stage
    partnership.updated_at = timezone.now()
    partnership.save()
    audit_record(
        actor=actor,
        action="partnership.stage_change",
        obj=partnership,
        before=before,
        after={**snapshot(partnership, PARTNERSHIP_FIELDS), "changed_on": changed_on},
    )
    return change


@transaction.atomic
def partnership_link_appraisal(
    actor: User, partnership: Partnership, appraisal: Appraisal | None
) -> Partnership:
    """Record which saved route appraisal the partnership's route came from (None: unlink).
    Only an appraisal the person can see may be linked; it stays private to whoever it is
    shared with."""
    partnership = _locked(partnership)
    permissions.require(permissions.can_change_partnership(actor, partnership))
    if appraisal is not None and not permissions.can_view(actor, appraisal):
        raise PartnershipError("Choose one of your saved route appraisals.", "appraisal")
    before = snapshot(partnership, PARTNERSHIP_FIELDS)
    partnership.appraisal = appraisal
    partnership.updated_at = timezone.now()
    partnership.save()
    audit_record(
        actor=actor,
        action="partnership.route_appraisal",
        obj=partnership,
        before=before,
        after=snapshot(partnership, PARTNERSHIP_FIELDS),
    )
    return partnership


def _funded_by(partnership: Partnership, money_flow: MoneyFlow) -> bool:
    return bool(partnership.funding.filter(money_flow=money_flow).exists())


def _already_linked() -> PartnershipError:
    return PartnershipError("That money flow is already linked.", "money_flow", conflict=True)


@transaction.atomic
def partnership_add_funding(
    actor: User, partnership: Partnership, money_flow: MoneyFlow, note: str = ""
) -> PartnershipFunding:
    """Say that a money flow from the ledger funds the partnership. Two people linking the same
    flow at once: the second is told it is already linked (ADR 0060's lock on PostgreSQL; the
    unique constraint's refusal, caught, where there are no row locks), never a server error."""
    permissions.require(permissions.can_change_partnership(actor, partnership))
    note = _text(note, "note", "a note", 500, required=False)
    lock(partnership)
    if _funded_by(partnership, money_flow):
        raise _already_linked()
    try:
        with transaction.atomic():  # a savepoint, so a refused insert leaves the rest usable
            link = PartnershipFunding.objects.create(
                partnership=partnership,
                money_flow=money_flow,
                note=note,
                added_by=actor,
                added_at=timezone.now(),
            )
    except IntegrityError:
        if _funded_by(partnership, money_flow):  # linked between the check and the write
            raise _already_linked() from None
        raise
    audit_record(
        actor=actor,
        action="partnership.funding_add",
        obj=link,
        after=snapshot(link, ["partnership", "money_flow", "note"]),
    )
    return link


@transaction.atomic
def partnership_remove_funding(actor: User, link: PartnershipFunding) -> None:
    permissions.require(permissions.can_change_partnership(actor, link.partnership))
    before = snapshot(link, ["partnership", "money_flow", "note"])
    audit_record(actor=actor, action="partnership.funding_remove", obj=link, before=before)
    link.delete()


# ---- Members -----------------------------------------------------------------------------------


@transaction.atomic
def partnership_add_member(
    actor: User,
    partnership: Partnership,
    *,
    user: User | None = None,
    organisation: Organisation | None = None,
    perspective: str = "",
    role: str = MemberRole.MEMBER,
    joined_on: dt.date | None = None,
) -> PartnershipMember:
    """Add a person or an organisation from the atlas. Only a lead adds members. Without a
    perspective an organisation's follows from its sector (as for the people who act for it)."""
    partnership = _locked(partnership)
    permissions.require(permissions.can_manage_partnership_members(actor, partnership))
    if (user is None) == (organisation is None):
        raise PartnershipError("Choose either a person or an organisation.", "organisation")
    if user is not None and not user.is_active:
        raise PartnershipError("That account has been closed.", "email")
    if not perspective and organisation is not None:
        perspective = perspective_for(organisation.sector, "officer").value
    current = partnership.members.filter(left_on__isnull=True)
    if user is not None and current.filter(user=user).exists():
        raise PartnershipError("That person is already a member.", "email", conflict=True)
    if organisation is not None and current.filter(organisation=organisation).exists():
        raise PartnershipError(
            "That organisation is already a member.", "organisation", conflict=True
        )
    member = PartnershipMember.objects.create(
        partnership=partnership,
        user=user,
        organisation=organisation,
        perspective=_perspective(perspective),
        role=_role(role),
        joined_on=joined_on or timezone.localdate(),
        added_by=actor,
    )
    audit_record(
        actor=actor,
        action="partnership.member_add",
        obj=member,
        after=snapshot(member, MEMBER_FIELDS),
    )
    return member


@transaction.atomic
def partnership_member_leave(
    actor: User, member: PartnershipMember, left_on: dt.date | None = None
) -> PartnershipMember:
    """End a membership (the row stays, dated). The last lead cannot leave: someone must be
    able to manage the partnership."""
    partnership = _locked(member.partnership)
    member = PartnershipMember.objects.select_for_update().get(pk=member.pk)
    is_self = member.user_id is not None and member.user_id == actor.pk
    permissions.require(is_self or permissions.can_manage_partnership_members(actor, partnership))
    if member.left_on is not None:
        raise PartnershipError("That membership has already ended.", "member", conflict=True)
    leads = partnership.members.filter(left_on__isnull=True, role=MemberRole.LEAD)
    if member.role == MemberRole.LEAD and leads.count() == 1:
        raise PartnershipError(
            "The partnership's only lead cannot leave. Make another member lead first.", "member"
        )
    before = snapshot(member, MEMBER_FIELDS)
    member.left_on = left_on or timezone.localdate()
    member.save()
    audit_record(
        actor=actor,
        action="partnership.member_leave",
        obj=member,
        before=before,
        after=snapshot(member, MEMBER_FIELDS),
    )
    return member


# ---- Milestones and documents ------------------------------------------------------------------


@transaction.atomic
def milestone_add(
    actor: User,
    partnership: Partnership,
    *,
    title: str,
    description: str = "",
    due_on: dt.date | None = None,
) -> Milestone:
    permissions.require(permissions.can_change_partnership(actor, partnership))
    fields: dict[str, Any] = {
        "partnership": _locked(partnership),  # two copies sent at once wait for each other
        "title": _text(title, "title", "a title", 200),
        "description": _text(description, "description", "a description", 2000, required=False),
        "due_on": due_on,
        "created_by": actor,
    }
    now = timezone.now()
    same = made_just_now(Milestone.objects.all(), **fields)
    if same is not None:
        return same  # the same form sent twice
    milestone = Milestone.objects.create(**fields, created_at=now)
    audit_record(
        actor=actor,
        action="partnership.milestone_add",
        obj=milestone,
        after=snapshot(milestone, MILESTONE_FIELDS),
    )
    return milestone


@transaction.atomic
def milestone_mark_done(actor: User, milestone: Milestone, done_on: dt.date | None) -> Milestone:
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    permissions.require(permissions.can_change_partnership(actor, milestone.partnership))
    if done_on is None:
        raise PartnershipError("Enter the date the milestone was reached.", "done_on")
    if done_on > timezone.localdate():
        raise PartnershipError("The date must be today or in the past.", "done_on")
    before = snapshot(milestone, MILESTONE_FIELDS)
    milestone.done_on = done_on
    milestone.save()
    audit_record(
        actor=actor,
        action="partnership.milestone_done",
        obj=milestone,
        before=before,
        after=snapshot(milestone, MILESTONE_FIELDS),
    )
    return milestone


def document_upload(
    actor: User, partnership: Partnership, *, title: str, upload: Any
) -> PartnershipDocument:
    """Store a document after checking its size and, by its content, its type. The file is
    written only once the checks pass; if the database write fails it is removed again."""
    permissions.require(permissions.can_change_partnership(actor, partnership))
    title = _text(title, "title", "a title for the document", 200)
    if upload is None:
        raise PartnershipError("Select a file to upload.", "file")
    try:
        kind = check_upload(upload, allowed=DOCUMENT_KINDS, max_bytes=DOCUMENT_MAX_BYTES)
    except UploadRejected as error:
        raise PartnershipError(str(error), "file") from error
    original_name = PurePath(upload.name or "upload").name[:255]
    # The same file with the same title sent again by the same person just now (a double
    # click, a refresh) is the document already kept, not a second copy.
    fields = {
        "partnership": partnership,
        "title": title,
        "original_name": original_name,
        "kind": kind.code,
        "size_bytes": upload.size,
        "uploaded_by": actor,
    }
    same = made_just_now(PartnershipDocument.objects.all(), "uploaded_at", **fields)
    if same is not None:
        return same
    document = PartnershipDocument(**fields, uploaded_at=timezone.now())
    document.file.save(original_name, upload, save=False)
    try:
        with transaction.atomic():
            document.save()
            audit_record(
                actor=actor,
                action="partnership.document_upload",
                obj=document,
                after=snapshot(document, DOCUMENT_FIELDS),
            )
    except Exception:
        document.file.delete(save=False)
        raise
    return document
