"""The partnership health check: rounds a lead opens and closes, and each member's scored
answers. Each write checks the rule on the server, runs in one transaction and records an audit
event in it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from commonground.accounts import permissions
from commonground.audit.services import audit_record, snapshot

from ..models import (
    HealthCheckAnswer,
    HealthCheckRound,
    HealthCheckScore,
    Partnership,
    Principle,
)
from .partnerships import PartnershipError, _locked, _text

ROUND_FIELDS = ["number", "opened_on", "closed_on"]


# ---- Health check ------------------------------------------------------------------------------


@transaction.atomic
def health_check_round_open(
    actor: User, partnership: Partnership, opened_on: dt.date | None = None
) -> HealthCheckRound:
    """Open the next round. Only a lead opens one, and only one is open at a time."""
    partnership = _locked(partnership)
    permissions.require(permissions.can_manage_health_check(actor, partnership))
    if partnership.health_check_rounds.filter(closed_on__isnull=True).exists():
        raise PartnershipError(
            "A round is already open. Close it before opening another.", "round", conflict=True
        )
    last = partnership.health_check_rounds.order_by("-number").first()
    health_round = HealthCheckRound.objects.create(
        partnership=partnership,
        number=(last.number + 1) if last else 1,
        opened_on=opened_on or timezone.localdate(),
        opened_by=actor,
    )
    audit_record(
        actor=actor,
        action="partnership.health_check_open",
        obj=health_round,
        after=snapshot(health_round, ROUND_FIELDS),
    )
    return health_round


@transaction.atomic
def health_check_round_close(
    actor: User, health_round: HealthCheckRound, closed_on: dt.date | None = None
) -> HealthCheckRound:
    health_round = HealthCheckRound.objects.select_for_update().get(pk=health_round.pk)
    permissions.require(permissions.can_manage_health_check(actor, health_round.partnership))
    if health_round.closed_on is not None:
        raise PartnershipError("This round is already closed.", "round", conflict=True)
    before = snapshot(health_round, ROUND_FIELDS)
    health_round.closed_on = max(closed_on or timezone.localdate(), health_round.opened_on)
    health_round.save()
    audit_record(
        actor=actor,
        action="partnership.health_check_close",
        obj=health_round,
        before=before,
        after=snapshot(health_round, ROUND_FIELDS),
    )
    return health_round


def _score(value: Any, principle: str) -> int:
    # bool is an int in Python; True is not a score.
    if isinstance(value, bool):
        raise PartnershipError(
            f"Choose a score from 1 to 5 for {Principle(principle).label.lower()}.",
            f"{principle}_score",
        )
    try:
        score = int(value)
    except (TypeError, ValueError):
        raise PartnershipError(
            f"Choose a score from 1 to 5 for {Principle(principle).label.lower()}.",
            f"{principle}_score",
        ) from None
    if str(value).strip() not in (str(score), f"{score}.0") or not 1 <= score <= 5:
        raise PartnershipError(
            f"The score for {Principle(principle).label.lower()} must be a whole number from 1 "
            f"to 5.",
            f"{principle}_score",
        )
    return score


@transaction.atomic
def health_check_answer(
    actor: User,
    health_round: HealthCheckRound,
    answers: Mapping[str, tuple[Any, str]],
    *,
    respondent: User | None = None,
) -> HealthCheckAnswer:
    """One member's answers for the open round: a score from 1 to 5 and a comment for each of
    the nine principles. People answer only for themselves, once a round."""
    health_round = HealthCheckRound.objects.select_for_update().get(pk=health_round.pk)
    partnership = health_round.partnership
    if respondent is not None and respondent.pk != actor.pk:
        raise PermissionDenied("People answer the health check only for themselves.")
    perspective = partnership.perspective_of(actor)
    if perspective is None:
        raise PermissionDenied("Only the partnership's members answer its health check.")
    if health_round.closed_on is not None:
        raise PartnershipError("This round has closed.", "round", conflict=True)
    if health_round.answers.filter(respondent=actor).exists():
        raise PartnershipError(
            "You have already answered this round. Each member answers once a round.",
            "round",
            conflict=True,
        )
    unknown = sorted(set(answers) - set(Principle.values))
    if unknown:
        raise PartnershipError(f"{unknown[0]} is not one of the nine principles.", unknown[0])
    missing = [p for p in Principle.values if p not in answers]
    if missing:
        raise PartnershipError(
            f"Choose a score for {Principle(missing[0]).label.lower()}.", f"{missing[0]}_score"
        )
    cleaned = {}
    for principle in Principle.values:
        score, comment = answers[principle]
        cleaned[principle] = (
            _score(score, principle),
            _text(comment, f"{principle}_comment", "a comment", 2000, required=False),
        )
    try:
        with transaction.atomic():
            answer = HealthCheckAnswer.objects.create(
                round=health_round,
                respondent=actor,
                perspective=perspective,
                submitted_at=timezone.now(),
            )
    except IntegrityError:
        raise PartnershipError(
            "You have already answered this round. Each member answers once a round.",
            "round",
            conflict=True,
        ) from None
    HealthCheckScore.objects.bulk_create(
        HealthCheckScore(answer=answer, principle=p, score=s, comment=c)
        for p, (s, c) in cleaned.items()
    )
    # The audit keeps that an answer was given, not the scores: one person's answers are theirs.
    audit_record(
        actor=actor,
        action="partnership.health_check_answer",
        obj=answer,
        after={"round": health_round.pk, "perspective": perspective, "principles": 9},
    )
    return answer
