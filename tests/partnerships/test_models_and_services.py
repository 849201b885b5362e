"""Partnerships, who is in them and in which role, and every change audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from commonground.accounts import services as account_services
from commonground.audit.models import AuditEvent
from commonground.partnerships import services
from commonground.partnerships.models import Partnership, PartnershipMember, StageChange
from tests.accounts.factories import UserFactory
from tests.partnerships.factories import acting_officer

pytestmark = pytest.mark.django_db


def test_whoever_starts_a_partnership_is_its_lead_and_the_start_is_in_the_stage_history(
    partnership_world,
):
    p = partnership_world.partnership
    assert p.role_of(partnership_world.people["lead"]) == "lead"
    assert p.perspective_of(partnership_world.people["lead"]) == "commissioner"
    assert [(c.from_stage, c.to_stage) for c in p.stage_changes.all()] == [("", "idea")]
    event = AuditEvent.objects.filter(action="partnership.create", object_id=str(p.pk)).get()
    assert event.actor_id == partnership_world.people["lead"].pk
    assert event.after["name"] == "Sale Community Wellbeing Partnership"


def test_roles_and_perspectives_of_direct_members_and_outsiders(partnership_world):
    p = partnership_world.partnership
    assert p.role_of(partnership_world.people["member"]) == "member"
    assert p.perspective_of(partnership_world.people["member"]) == "provider"
    assert p.role_of(partnership_world.people["observer"]) == "observer"
    assert p.role_of(partnership_world.people["outsider"]) is None
    assert p.perspective_of(partnership_world.people["outsider"]) is None
    assert p.role_of(partnership_world.people["other_member"]) is None
    assert p.role_of(partnership_world.people["staff"]) is None


def test_an_officer_of_a_member_organisation_is_a_member_with_its_role_and_perspective(
    partnership_world,
):
    officer = acting_officer(
        "officer@agecharity.example", "GB-CHC-9990011", "Age Charity", "charity"
    )
    organisation = officer.memberships.get().organisation
    assert partnership_world.partnership.role_of(officer) is None
    services.partnership_add_member(
        partnership_world.people["lead"],
        partnership_world.partnership,
        organisation=organisation,
        role="accountable_body",
    )
    assert partnership_world.partnership.role_of(officer) == "accountable_body"
    # The perspective follows from the organisation's sector when none is given.
    assert partnership_world.partnership.perspective_of(officer) == "provider"


def test_a_volunteer_or_pending_member_of_an_organisation_does_not_act_for_it(partnership_world):
    # The first person approved becomes the organisation's administrator; they approve the rest.
    org_admin = acting_officer("admin@volunteer.example", "GB-CHC-9990012", "Volunteers", "charity")
    organisation = org_admin.memberships.get().organisation
    volunteer = UserFactory(email="volunteer@example.org")
    waiting = UserFactory(email="waiting@example.org")
    account_services.membership_approve(
        org_admin, account_services.membership_request(volunteer, organisation, "member", "")
    )
    assert volunteer.memberships.get().role == "member"
    account_services.membership_request(waiting, organisation, "officer", "")
    services.partnership_add_member(
        partnership_world.people["lead"], partnership_world.partnership, organisation=organisation
    )
    assert partnership_world.partnership.role_of(volunteer) is None
    assert partnership_world.partnership.role_of(waiting) is None


def test_a_person_in_a_partnership_two_ways_has_the_stronger_role(partnership_world):
    officer = acting_officer("both@example.org", "GB-CHC-9990013", "Both Charity", "charity")
    lead = partnership_world.people["lead"]
    services.partnership_add_member(
        lead, partnership_world.partnership, user=officer, perspective="community", role="observer"
    )
    services.partnership_add_member(
        lead,
        partnership_world.partnership,
        organisation=officer.memberships.get().organisation,
        role="lead",
    )
    assert partnership_world.partnership.role_of(officer) == "lead"
    # Speaking for themselves, their own perspective is kept.
    assert partnership_world.partnership.perspective_of(officer) == "community"


def test_only_a_lead_adds_members_and_nobody_is_added_twice(partnership_world):
    p = partnership_world.partnership
    with pytest.raises(PermissionDenied):
        services.partnership_add_member(
            partnership_world.people["member"],
            p,
            user=partnership_world.people["outsider"],
            perspective="community",
        )
    with pytest.raises(services.PartnershipError, match="already a member"):
        services.partnership_add_member(
            partnership_world.people["lead"],
            p,
            user=partnership_world.people["member"],
            perspective="provider",
        )
    with pytest.raises(services.PartnershipError, match="perspective"):
        services.partnership_add_member(
            partnership_world.people["lead"],
            p,
            user=partnership_world.people["outsider"],
            perspective="mayor",
        )
    assert not p.members.filter(user=partnership_world.people["outsider"]).exists()


def test_a_member_who_leaves_loses_access_but_the_row_stays(partnership_world):
    p = partnership_world.partnership
    member = p.members.get(user=partnership_world.people["member"])
    services.partnership_member_leave(
        partnership_world.people["member"], member, dt.date(2026, 3, 1)
    )
    assert p.role_of(partnership_world.people["member"]) is None
    member.refresh_from_db()
    assert member.left_on == dt.date(2026, 3, 1)
    event = AuditEvent.objects.get(action="partnership.member_leave")
    assert event.before["left_on"] is None and event.after["left_on"] == "2026-03-01"


def test_the_only_lead_cannot_leave(partnership_world):
    lead_row = partnership_world.partnership.members.get(user=partnership_world.people["lead"])
    with pytest.raises(services.PartnershipError, match="only lead"):
        services.partnership_member_leave(partnership_world.people["lead"], lead_row)


def test_a_stage_change_is_dated_kept_in_the_history_and_audited(partnership_world):
    p = partnership_world.partnership
    services.partnership_change_stage(
        partnership_world.people["member"], p, "exploring", timezone.localdate(), "First meeting"
    )
    p.refresh_from_db()
    assert p.stage == "exploring"
    assert [c.to_stage for c in p.stage_changes.all()] == ["idea", "exploring"]
    event = AuditEvent.objects.get(action="partnership.stage_change")
    assert (event.before["stage"], event.after["stage"]) == ("idea", "exploring")


@pytest.mark.parametrize(
    ("stage", "days", "message"),
    [
        ("exploring", 1, "today or in the past"),
        ("exploring", -3650, "on or after the last change"),
        ("idea", 0, "already at the idea stage"),
        ("flying", 0, "Choose a stage"),
    ],
)
def test_a_wrong_stage_change_is_refused_and_nothing_changes(
    partnership_world, stage, days, message
):
    p = partnership_world.partnership
    with pytest.raises(services.PartnershipError, match=message):
        services.partnership_change_stage(
            partnership_world.people["lead"],
            p,
            stage,
            timezone.localdate() + dt.timedelta(days=days),
        )
    p.refresh_from_db()
    assert p.stage == "idea"
    assert StageChange.objects.filter(partnership=p).count() == 1


def test_observers_and_outsiders_cannot_change_a_partnership(partnership_world):
    for who in ("observer", "outsider", "other_member", "staff"):
        with pytest.raises(PermissionDenied):
            services.partnership_update(
                partnership_world.people[who], partnership_world.partnership, {"name": "Hijack"}
            )
    assert Partnership.objects.get(pk=partnership_world.partnership.pk).name.startswith("Sale")


def test_an_update_records_before_and_after(partnership_world):
    services.partnership_update(
        partnership_world.people["member"],
        partnership_world.partnership,
        {
            "purpose": "Fewer people lonely in Sale and Altrincham.",
            "resembles_case_study": "kibble-st-mirren",
        },
    )
    event = AuditEvent.objects.get(action="partnership.update")
    assert event.before["purpose"] == "Fewer people lonely in Sale."
    assert event.after["resembles_case_study"] == "kibble-st-mirren"


def test_an_unknown_case_study_is_refused(partnership_world):
    with pytest.raises(services.PartnershipError, match="case study"):
        services.partnership_update(
            partnership_world.people["lead"],
            partnership_world.partnership,
            {"resembles_case_study": "made-up"},
        )


def test_milestones_are_added_and_reached_with_audit(partnership_world):
    milestone = services.milestone_add(
        partnership_world.people["member"],
        partnership_world.partnership,
        title="Agree outcomes",
        due_on=dt.date(2026, 5, 1),
    )
    services.milestone_mark_done(partnership_world.people["lead"], milestone, timezone.localdate())
    milestone.refresh_from_db()
    assert milestone.done_on == timezone.localdate()
    assert AuditEvent.objects.filter(action__startswith="partnership.milestone").count() == 2
    with pytest.raises(PermissionDenied):
        services.milestone_add(
            partnership_world.people["observer"], partnership_world.partnership, title="x"
        )


def test_a_person_xor_an_organisation_is_a_member(partnership_world):
    with pytest.raises(services.PartnershipError):
        services.partnership_add_member(
            partnership_world.people["lead"], partnership_world.partnership
        )
    assert PartnershipMember.objects.filter(partnership=partnership_world.partnership).count() == 3


def test_a_persons_data_download_includes_their_partnerships_and_own_answers(partnership_world):
    from commonground.accounts.data_rights import personal_data_export
    from tests.partnerships.factories import all_answers

    health_round = services.health_check_round_open(
        partnership_world.people["lead"], partnership_world.partnership
    )
    services.health_check_answer(
        partnership_world.people["member"], health_round, all_answers(4, "ok")
    )
    data = personal_data_export(partnership_world.people["member"])["partnerships"]
    assert data["memberships"][0]["perspective"] == "provider"
    [answer] = data["health_check_answers"]
    assert answer["scores"]["trust"] == {"score": 4, "comment": "ok"}
    assert (
        personal_data_export(partnership_world.people["lead"])["partnerships"][
            "health_check_answers"
        ]
        == []
    )
