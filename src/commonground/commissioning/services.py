"""Writes in the commissioning context: one function an action, each checking permission on the
server and recording an audit event in the same transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from commonground.accounts import permissions
from commonground.audit.services import audit_record, snapshot

from .answers import Answers, answers_to_json
from .engine import appraise
from .models import Appraisal

_FIELDS = ("name", "answers", "decision_date", "rules_version")


class ShareError(ValueError):
    """Sharing failed for a reason the person can fix (unknown email, sharing with oneself)."""


def _default_name(answers: Answers) -> str:
    return f"Appraisal for {answers.decision_date:%-d %B %Y}"


@transaction.atomic
def appraisal_create(*, author: Any, answers: Answers, name: str = "") -> Appraisal:
    """Save an appraisal: the answers and the engine's result under today's rules version."""
    permissions.require(permissions.is_signed_in(author))
    result = appraise(answers)
    appraisal = Appraisal.objects.create(
        author=author,
        name=(name.strip() or _default_name(answers))[:200],
        answers=answers_to_json(answers),
        decision_date=answers.decision_date,
        result=result,
        rules_version=result["rules_version"],
    )
    audit_record(
        actor=author,
        action="appraisal.create",
        obj=appraisal,
        after=snapshot(appraisal, _FIELDS),
    )
    return appraisal


@transaction.atomic
def appraisal_copy(*, user: Any, appraisal: Appraisal) -> Appraisal:
    """A new appraisal of the copier's own with the same answers, worked out again with the
    current rules (so a copy of an old record shows what the rules say now)."""
    permissions.require(permissions.can_view(user, appraisal))
    from .answers import parse_answers

    answers = parse_answers(appraisal.answers)
    copy = appraisal_create(author=user, answers=answers, name=f"Copy of {appraisal.name}"[:200])
    audit_record(
        actor=user,
        action="appraisal.copy",
        obj=copy,
        after={"copied_from": appraisal.pk},
    )
    return copy


@transaction.atomic
def appraisal_rename(*, user: Any, appraisal: Appraisal, name: str) -> Appraisal:
    permissions.require(permissions.can_change(user, appraisal))
    before = snapshot(appraisal, ("name",))
    appraisal.name = name.strip()[:200] or appraisal.name
    appraisal.save(update_fields=["name", "updated_at"])
    audit_record(
        actor=user,
        action="appraisal.rename",
        obj=appraisal,
        before=before,
        after=snapshot(appraisal, ("name",)),
    )
    return appraisal


@transaction.atomic
def appraisal_share(*, user: Any, appraisal: Appraisal, email: str) -> Any:
    """Let the person with this email address see the appraisal."""
    permissions.require(permissions.can_change(user, appraisal))
    email = email.strip()
    other = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if other is None or not email:
        raise ShareError("There is no Common Ground account with that email address")
    if other.pk == appraisal.author_id:
        raise ShareError("You cannot share an appraisal with yourself")
    appraisal.shared_with.add(other)
    audit_record(
        actor=user,
        action="appraisal.share",
        obj=appraisal,
        after={"shared_with": other.pk},
    )
    return other


@transaction.atomic
def appraisal_unshare(*, user: Any, appraisal: Appraisal, other_id: int) -> None:
    permissions.require(permissions.can_change(user, appraisal))
    appraisal.shared_with.remove(other_id)
    audit_record(
        actor=user,
        action="appraisal.unshare",
        obj=appraisal,
        before={"shared_with": other_id},
    )


@transaction.atomic
def appraisal_delete(*, user: Any, appraisal: Appraisal) -> None:
    permissions.require(permissions.can_change(user, appraisal))
    audit_record(
        actor=user,
        action="appraisal.delete",
        obj=appraisal,
        before=snapshot(appraisal, _FIELDS),
    )
    appraisal.delete()
