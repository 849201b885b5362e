"""Writes in the needs context: one function an action, each checked and audited (ADR 0028)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from commonground.accounts import permissions
from commonground.audit.services import audit_record, snapshot
from commonground.commissioning.models import Appraisal
from commonground.core.resubmission import lock, made_just_now
from commonground.organisations.models import Organisation, Shortlist
from commonground.partnerships import services as partnership_services
from commonground.partnerships.models import Partnership, PartnershipInvitation

from . import validation
from .models import (
    Interest,
    InterestStatus,
    Need,
    NeedKind,
    NeedNotice,
    NeedStatus,
    NoticeKind,
    Question,
)
from .validation import NeedChanged, NeedError

__all__ = [
    "NeedChanged",
    "NeedError",
    "interest_invite",
    "interest_shortlist",
    "interest_submit",
    "need_attach_shortlist",
    "need_create",
    "need_link_appraisal",
    "need_publish",
    "need_update",
    "question_answer",
    "question_ask",
]

NEED_FIELDS = (
    "title",
    "outcomes",
    "who_for",
    "place",
    "ward_codes",
    "budget_min_pence",
    "budget_max_pence",
    "timeline",
    "route_codes",
    "appraisal",
    "kind",
    "notice_status",
    "notice_reference",
    "notice_date",
    "visibility",
    "status",
    "closes_on",
    "version",
)
PRIVATE_FIELDS = {"appraisal"}  # fields respondents never see
INTEREST_FIELDS = ("need", "organisation", "kind", "message", "status", "invitation")
QUESTION_FIELDS = ("need", "organisation", "text", "answer", "answered_at")


def _now() -> dt.datetime:
    return timezone.now()


def _today() -> dt.date:
    return timezone.localdate()


# The fields that make a need written again by the same person just now the same draft
# (core.resubmission).
SAME_NEED = ("title", "outcomes", "who_for", "place", "kind", "closes_on")


def _resubmitted(actor: User, organisation: Organisation, cleaned: dict[str, Any]) -> Need | None:
    # The organisation is locked so that two copies sent at once wait for each other (on
    # PostgreSQL) and the second finds the first's draft.
    lock(organisation)
    return made_just_now(
        Need.objects.all(),
        organisation=organisation,
        created_by=actor,
        status=NeedStatus.DRAFT,
        **{name: cleaned[name] for name in SAME_NEED},
    )


@transaction.atomic
def need_create(
    actor: User, organisation: Organisation, data: dict[str, Any], *, is_example: bool = False
) -> Need:
    """A draft need for an organisation the actor acts for (`is_example` for the demo's). The
    same need sent again by the same person within ten minutes is the draft already made,
    returned unchanged (core.resubmission)."""
    permissions.require_confirmed(actor)
    permissions.require(permissions.can_create_need(actor, organisation.pk))
    cleaned = validation.need_fields(actor, data, None)
    now = _now()
    same = _resubmitted(actor, organisation, cleaned)
    if same is not None:
        return same
    need = Need(
        organisation=organisation,
        created_by=actor,
        created_at=now,
        updated_at=now,
        is_example=is_example,
    )
    for name, value in cleaned.items():
        setattr(need, name, value)
    validation.need_whole(need)
    need.save()
    audit_record(actor=actor, action="need.create", obj=need, after=snapshot(need, NEED_FIELDS))
    return need


def _locked(need: Need) -> Need:
    return Need.objects.select_for_update().get(pk=need.pk)


@transaction.atomic
def need_update(
    actor: User, need: Need, data: dict[str, Any], *, version: int | None = None
) -> Need:
    """Change a need. Once published, each change is told to every respondent as a notice.
    `version`, if given, must be the version the change was made from (else 409)."""
    need = _locked(need)
    permissions.require(permissions.can_change_need(actor, need))
    validation.check_version(need, version)
    cleaned = validation.need_fields(actor, data, need)
    before = snapshot(need, NEED_FIELDS)
    for name, value in cleaned.items():
        setattr(need, name, value)
    validation.need_whole(need)
    changed = [name for name in cleaned if before.get(name) != snapshot(need, [name])[name]]
    if not changed:
        return need
    need.version += 1
    need.updated_at = _now()
    need.save()
    # The linked appraisal is private to the owner's side (need_link_appraisal): linking one
    # is not a change respondents are told of.
    told = [name for name in changed if name not in PRIVATE_FIELDS]
    if need.status == NeedStatus.PUBLISHED and told:
        labels = ", ".join(validation.LABELS.get(name, name) for name in told)
        _notice(need, NoticeKind.CHANGE, f"Changed after publication: {labels}.")
    audit_record(
        actor=actor,
        action="need.update",
        obj=need,
        before=before,
        after=snapshot(need, NEED_FIELDS),
    )
    return need


def _notice(need: Need, kind: str, text: str) -> NeedNotice:
    return NeedNotice.objects.create(
        need=need, kind=kind, text=text, content=validation.public_content(need), at=_now()
    )


@transaction.atomic
def need_publish(actor: User, need: Need) -> Need:
    """Publish a draft: from now on it is seen (publicly or by organisations) and answered.
    What it said is kept as the first notice, so every respondent starts from the same text."""
    need = _locked(need)
    permissions.require(permissions.can_change_need(actor, need))
    if need.status == NeedStatus.PUBLISHED:
        raise NeedError("This need is already published.", "status", conflict=True)
    if need.closes_on <= _today():
        raise NeedError("Set a closing date in the future before publishing.", "closes_on")
    if need.kind == NeedKind.MARKET_ENGAGEMENT and not need.notice_status:
        raise NeedError(
            "Say whether a preliminary market engagement notice was or will be published.",
            "notice_status",
        )
    before = snapshot(need, NEED_FIELDS)
    need.status = NeedStatus.PUBLISHED
    need.published_at = need.updated_at = _now()
    need.version += 1
    need.save()
    _notice(need, NoticeKind.PUBLISHED, "Published.")
    audit_record(
        actor=actor,
        action="need.publish",
        obj=need,
        before=before,
        after=snapshot(need, NEED_FIELDS),
    )
    return need


def _still_open(need: Need) -> None:
    if need.closes_on < _today():
        raise NeedError(
            f"This need closed on {need.closes_on:%-d %B %Y}: it no longer takes responses "
            "or questions.",
            "closes_on",
            conflict=True,
        )


def _respond_check(actor: User, need: Need, organisation: Organisation) -> None:
    permissions.require_confirmed(actor)
    permissions.require(permissions.can_respond_to_need(actor, need, organisation.pk))
    _still_open(need)


@transaction.atomic
def interest_submit(
    actor: User, need: Need, organisation: Organisation, *, kind: str, message: str = ""
) -> Interest:
    """Express an organisation's interest; a second submission replaces its kind and message."""
    _respond_check(actor, need, organisation)
    kind = validation.interest_kind(kind)
    message = validation.text(message, "message", "a message", 4000, required=False)
    interest = (
        Interest.objects.select_for_update().filter(need=need, organisation=organisation).first()
    )
    before = snapshot(interest, INTEREST_FIELDS) if interest else None
    if interest is None:
        interest = Interest(
            need=need, organisation=organisation, submitted_by=actor, submitted_at=_now()
        )
    interest.kind, interest.message = kind, message
    interest.submitted_by, interest.submitted_at = actor, _now()
    interest.save()
    audit_record(
        actor=actor,
        action="need.interest_submit",
        obj=interest,
        before=before,
        after=snapshot(interest, INTEREST_FIELDS),
    )
    return interest


@transaction.atomic
def question_ask(actor: User, need: Need, organisation: Organisation, *, text: str) -> Question:
    """Ask a question for an organisation. The same question still waiting for its answer is
    the one already asked (a form sent twice): the owner would otherwise answer it twice, to
    everyone."""
    _respond_check(actor, need, organisation)
    text = validation.text(text, "text", "your question", 2000)
    # Locked so that two copies sent at once wait for each other (on PostgreSQL).
    _locked(need)
    waiting = need.questions.filter(organisation=organisation, text=text, answered_at__isnull=True)
    asked = waiting.order_by("pk").first()
    if asked is not None:
        return asked
    question = Question.objects.create(
        need=need,
        organisation=organisation,
        text=text,
        asked_by=actor,
        asked_at=_now(),
    )
    audit_record(
        actor=actor,
        action="need.question_ask",
        obj=question,
        after=snapshot(question, QUESTION_FIELDS),
    )
    return question


@transaction.atomic
def question_answer(actor: User, question: Question, *, answer: str) -> Question:
    """Answer a question for everyone at once: the question (without who asked) and the answer
    become a notice every respondent sees."""
    question = Question.objects.select_for_update().select_related("need").get(pk=question.pk)
    permissions.require(permissions.can_change_need(actor, question.need))
    if question.answered_at is not None:
        raise NeedError("This question has been answered already.", "answer", conflict=True)
    before = snapshot(question, QUESTION_FIELDS)
    question.answer = validation.text(answer, "answer", "an answer", 4000)
    question.answered_at, question.answered_by = _now(), actor
    question.save()
    _notice(question.need, NoticeKind.ANSWER, f"Q: {question.text}\nA: {question.answer}")
    audit_record(
        actor=actor,
        action="need.question_answer",
        obj=question,
        before=before,
        after=snapshot(question, QUESTION_FIELDS),
    )
    return question


@transaction.atomic
def interest_shortlist(actor: User, interest: Interest, *, shortlisted: bool = True) -> Interest:
    interest = Interest.objects.select_for_update().select_related("need").get(pk=interest.pk)
    permissions.require(permissions.can_change_need(actor, interest.need))
    if interest.status == InterestStatus.INVITED:
        return interest
    before = snapshot(interest, INTEREST_FIELDS)
    interest.status = InterestStatus.SHORTLISTED if shortlisted else InterestStatus.RECEIVED
    interest.shortlisted_at = _now() if shortlisted else None
    interest.save()
    audit_record(
        actor=actor,
        action="need.interest_shortlist" if shortlisted else "need.interest_unshortlist",
        obj=interest,
        before=before,
        after=snapshot(interest, INTEREST_FIELDS),
    )
    return interest


@transaction.atomic
def interest_invite(
    actor: User, interest: Interest, partnership: Partnership, *, site_url: str
) -> PartnershipInvitation:
    """Invite the person who expressed the interest into a partnership the actor leads, through
    the partnerships' own invitation (ADR 0015). Their address is never shown to the owner
    here; the email goes to them, and they answer it signed in with that address."""
    interest = (
        Interest.objects.select_for_update()
        .select_related("need", "submitted_by", "organisation")
        .get(pk=interest.pk)
    )
    permissions.require(permissions.can_change_need(actor, interest.need))
    invitation = partnership_services.invitation_send(
        actor,
        partnership,
        email=interest.submitted_by.email,
        perspective=validation.perspective_of(interest.organisation),
        site_url=site_url,
        organisation=interest.organisation,
    )
    before = snapshot(interest, INTEREST_FIELDS)
    interest.status, interest.invitation = InterestStatus.INVITED, invitation
    if interest.shortlisted_at is None:
        interest.shortlisted_at = _now()
    interest.save()
    audit_record(
        actor=actor,
        action="need.interest_invite",
        obj=interest,
        before=before,
        after=snapshot(interest, INTEREST_FIELDS),
    )
    return invitation


def _need_link(actor: User, need: Need, field: str, target: Any, may_use: Any, action: str) -> Need:
    """Point the need's `field` at `target` (None clears it): the actor changes the need and
    may use the target (`may_use`); audited as `action`."""
    need = _locked(need)
    permissions.require(permissions.can_change_need(actor, need))
    if target is not None:
        permissions.require(may_use(actor, target))
    before = {field: getattr(need, f"{field}_id")}
    setattr(need, field, target)
    need.save(update_fields=[field])
    audit_record(
        actor=actor,
        action=action,
        obj=need,
        before=before,
        after={field: getattr(need, f"{field}_id")},
    )
    return need


@transaction.atomic
def need_attach_shortlist(actor: User, need: Need, shortlist: Shortlist | None) -> Need:
    """Attach one of the actor's saved shortlists from partner search to the need (or detach
    it with None): its organisations are shown beside the respondents, to the owner only."""
    return _need_link(
        actor, need, "shortlist", shortlist, permissions.can_view_shortlist, "need.attach_shortlist"
    )


@transaction.atomic
def need_link_appraisal(actor: User, need: Need, appraisal: Appraisal | None) -> Need:
    """Link a saved route appraisal the actor can see to the need (None unlinks it). The
    appraisal stays private to its author and the people it is shared with, so the link is not
    a change told to respondents."""
    return _need_link(
        actor, need, "appraisal", appraisal, permissions.can_view, "need.link_appraisal"
    )
