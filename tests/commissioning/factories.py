"""Answers for the engine tests (a plain English council buying services, changed per case),
and people around a saved appraisal for the page and API tests."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.test import Client

from commonground.commissioning import services
from commonground.commissioning.answers import parse_answers
from commonground.commissioning.engine import appraise
from tests.accounts.factories import UserFactory

BASE: dict[str, Any] = {
    "nation": "england",
    "decision_date": "2026-06-01",
    "authority_type": "local_authority",
    "subject": "services",
    "estimated_value_pence": 10_000_000,
    "duration_months": 24,
    "council_receives_services": True,
}


def answers(**changes: Any) -> dict[str, Any]:
    return {**BASE, **changes}


def run(**changes: Any) -> dict[str, Any]:
    return appraise(parse_answers(answers(**changes)))


# Oldham's social prescribing: £1.25m over three years, contract signed 14 March 2019, bidders
# encouraged to form consortia, something new (an innovation partnership).
OLDHAM_2019: dict[str, Any] = {
    "decision_date": "2019-03-14",
    "estimated_value_pence": 125_000_000,
    "duration_months": 36,
    "light_touch_service": True,
    "reservable_for_mutuals": True,
    "mutual_eligible": True,
    "innovation_required": True,
    "multiple_providers_to_integrate": True,
    "outcomes_measurable": True,
    "social_investor_interest": "unknown",  # the case does not say
}


def oldham_2019() -> dict[str, Any]:
    return run(**OLDHAM_2019)


def by_code(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["code"]: r for r in result["routes"]}


def pounds(p: float) -> int:
    """Pence from pounds, exact for the figures in the tests."""
    return round(p * 100)


# Everyone whose access to a saved appraisal is tested.
WHO = ("anonymous", "outsider", "author", "shared_with", "admin")


def appraisal_people() -> SimpleNamespace:
    """An author with a saved appraisal shared with one person, an outsider and an admin."""
    author = UserFactory(email="author@example.org")
    shared = UserFactory(email="shared@example.org")
    outsider = UserFactory(email="outsider@example.org")
    admin = UserFactory(email="admin@example.org", is_staff=True)
    appraisal = services.appraisal_create(
        author=author,
        answers=parse_answers(answers(light_touch_service=True, estimated_value_pence=70_000_000)),
        name="Day services 2026",
    )
    services.appraisal_share(
        user=author, appraisal=appraisal, email="shared@example.org", site_url="http://testserver/"
    )
    services.share_invitation_answer(
        user=shared, invitation=appraisal.invitations.get(email="shared@example.org"), accept=True
    )
    return SimpleNamespace(
        author=author,
        shared_with=shared,
        outsider=outsider,
        admin=admin,
        appraisal=appraisal,
        by_role={"author": author, "shared_with": shared, "outsider": outsider, "admin": admin},
    )


def sign_in(client: Client, people: SimpleNamespace, who: str) -> Client:
    if who != "anonymous":
        client.force_login(people.by_role[who])
    return client
