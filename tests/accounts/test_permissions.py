"""The permission rules, object by object, including the rules the partnership, appraisal,
health-check and statement contexts will plug in (checked here on plain stand-in objects
that have the attributes each rule documents, since those models do not exist yet)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import AnonymousUser

from commonground.accounts import permissions as perms
from commonground.accounts import services
from commonground.accounts.models import Membership
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@dataclass
class Partnership:
    roles: dict[int, str] = field(default_factory=dict)

    def role_of(self, user) -> str | None:
        return self.roles.get(user.pk)


@dataclass
class Appraisal:
    author_id: int
    shared_with_ids: set[int] = field(default_factory=set)


@dataclass
class Answer:
    respondent_id: int


@dataclass
class Statement:
    author_id: int
    status: str


def test_an_object_without_a_rule_is_refused_loudly() -> None:
    with pytest.raises(perms.NoRuleFor):
        perms.can_view(AnonymousUser(), object())


def test_the_atlas_is_open_but_only_its_admins_change_an_organisation(people, charity) -> None:
    assert perms.can_view(AnonymousUser(), charity)
    assert perms.can_change(people["org_admin"], charity)
    assert perms.can_change(people["staff"], charity)
    assert not perms.can_change(people["member"], charity)
    assert not perms.can_change(people["outsider"], charity)
    assert not perms.can_change(AnonymousUser(), charity)


def test_a_membership_request_is_seen_by_its_person_and_the_orgs_admins_only(people, pending):
    seen = {who: perms.can_view(user, pending) for who, user in people.items()}

    assert seen == {
        "staff": True,
        "org_admin": True,
        "member": False,
        "outsider": False,
        "applicant": True,
    }
    assert not perms.can_view(AnonymousUser(), pending)


def test_only_admins_can_approve_a_request(people, pending) -> None:
    allowed = {who: perms.can_approve_membership(user, pending) for who, user in people.items()}

    assert allowed == {
        "staff": True,
        "org_admin": True,
        "member": False,
        "outsider": False,
        "applicant": False,
    }


def test_an_admin_who_left_can_no_longer_approve(people, pending, charity) -> None:
    own = Membership.objects.get(user=people["org_admin"], organisation=charity)
    services.membership_end(people["org_admin"], own)

    assert not perms.can_approve_membership(people["org_admin"], pending)


def test_partnership_members_see_it_and_only_leads_and_members_change_it() -> None:
    lead, member, observer, outsider = (UserFactory(email=f"p{i}@example.org") for i in range(4))
    partnership = Partnership({lead.pk: "lead", member.pk: "member", observer.pk: "observer"})

    assert [
        perms.can_view_partnership(u, partnership) for u in (lead, member, observer, outsider)
    ] == [
        True,
        True,
        True,
        False,
    ]
    assert [perms.can_change_partnership(u, partnership) for u in (lead, member, observer)] == [
        True,
        True,
        False,
    ]
    assert perms.can_manage_partnership_members(lead, partnership)
    assert not perms.can_manage_partnership_members(member, partnership)
    assert not perms.can_view_partnership(AnonymousUser(), partnership)


def test_an_appraisal_is_seen_by_its_author_and_whoever_it_is_shared_with_only() -> None:
    author, colleague, staff = (UserFactory(email=f"a{i}@example.org") for i in range(3))
    staff.is_staff = True
    appraisal = Appraisal(author.pk, {colleague.pk})

    assert perms.can_view_appraisal(author, appraisal)
    assert perms.can_view_appraisal(colleague, appraisal)
    assert not perms.can_change_appraisal(colleague, appraisal)
    assert not perms.can_view_appraisal(staff, appraisal)  # private work, even from admins


def test_health_check_answers_are_only_ever_seen_in_aggregate_by_members() -> None:
    lead, respondent = UserFactory(email="lead@example.org"), UserFactory(email="resp@example.org")
    partnership = Partnership({lead.pk: "lead", respondent.pk: "member"})
    answer = Answer(respondent.pk)

    assert perms.can_view_health_check_answer(respondent, answer)
    assert not perms.can_view_health_check_answer(lead, answer)
    assert not perms.can_view_health_check_summary(lead, partnership, response_count=2)
    assert perms.can_view_health_check_summary(lead, partnership, response_count=3)


def test_statements_waiting_for_moderation_are_seen_by_moderators_and_their_author_only() -> None:
    author, reader = (
        UserFactory(email="author@example.org"),
        UserFactory(email="reader@example.org"),
    )
    moderator = UserFactory(email="mod@example.org", is_staff=True)
    waiting, published = Statement(author.pk, "pending"), Statement(author.pk, "published")

    assert [perms.can_view_statement(u, waiting) for u in (author, reader, moderator)] == [
        True,
        False,
        True,
    ]
    assert not perms.can_view_statement(AnonymousUser(), waiting)
    assert perms.can_view_statement(AnonymousUser(), published)
    assert perms.can_moderate_statements(moderator) and not perms.can_moderate_statements(reader)
    assert perms.can_change_statement(author, waiting)
    assert not perms.can_change_statement(author, published)
