"""People, places and partnerships for the partnership tests, made through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User

from commonground.accounts import services as account_services
from commonground.partnerships import services
from commonground.partnerships.models import HealthCheckRound, Partnership, Principle
from commonground.places.models import Place
from tests.accounts.conftest import make_organisation, make_user

WHO = ["anonymous", "outsider", "other_member", "observer", "member", "lead", "staff"]


@dataclass
class World:
    place: Place
    partnership: Partnership
    other: Partnership
    people: dict[str, User]


def all_answers(score: int = 3, comment: str = "") -> dict[str, tuple[int, str]]:
    return {p.value: (score, comment) for p in Principle}


@pytest.fixture
def trafford_place(db) -> Place:
    return Place.objects.create(gss_code="E08000009", name="Trafford", kind="local_authority")


@pytest.fixture
def world(trafford_place) -> World:
    people = {
        "outsider": make_user("outsider@example.org"),
        "other_member": make_user("other@example.org"),
        "observer": make_user("observer@example.org"),
        "member": make_user("member@example.org"),
        "lead": make_user("lead@example.org"),
        "staff": make_user("staff@example.org", staff=True),
    }
    partnership = services.partnership_create(
        people["lead"],
        name="Sale Community Wellbeing Partnership",
        purpose="Fewer people lonely in Sale.",
        place=trafford_place,
        perspective="commissioner",
    )
    services.partnership_add_member(
        people["lead"], partnership, user=people["member"], perspective="provider"
    )
    services.partnership_add_member(
        people["lead"],
        partnership,
        user=people["observer"],
        perspective="community",
        role="observer",
    )
    other = services.partnership_create(
        people["other_member"],
        name="Another partnership",
        purpose="Something else.",
        place=trafford_place,
        perspective="provider",
    )
    return World(trafford_place, partnership, other, people)


def acting_officer(email: str, org_id: str, name: str, sector: str) -> User:
    """A person approved as an officer of an organisation (approved by a platform admin)."""
    organisation = make_organisation(org_id, name, sector)
    person = make_user(email)
    approver = User.objects.filter(is_staff=True).first() or make_user(
        "approver@example.org", staff=True
    )
    request = account_services.membership_request(person, organisation, "officer", "")
    account_services.membership_approve(approver, request)
    return person


def closed_round_with(
    partnership: Partnership, lead: User, answers: list[tuple[User, int]]
) -> HealthCheckRound:
    health_round = services.health_check_round_open(lead, partnership, dt.date(2026, 1, 5))
    for person, score in answers:
        services.health_check_answer(person, health_round, all_answers(score, f"from {score}"))
    return services.health_check_round_close(lead, health_round)
