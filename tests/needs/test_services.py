"""Needs through their services: drafts and publishing, bad input naming the field, responses
refused after the closing date, answers told to every respondent, shortlists and invitations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from commonground.accounts import permissions
from commonground.accounts.data_rights import personal_data_export
from commonground.accounts.perspectives import Perspective, perspective_for
from commonground.audit.models import AuditEvent
from commonground.needs import selectors, services
from commonground.needs.models import Interest, Need, NeedNotice
from commonground.partnerships.models import PartnershipInvitation
from tests.accounts.factories import UserFactory
from tests.needs.factories import URMSTON, member_of, need_data
from tests.organisations.factories import OrganisationFactory
from tests.partnerships.factories import MemberFactory, PartnershipFactory
from tests.profiles.factories import ProfileFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def test_a_draft_is_seen_only_by_its_organisation_until_published(needs_world) -> None:
    need = needs_world.need(published=False)
    assert permissions.can_view_need(needs_world.people["commissioner"], need)
    assert not permissions.can_view_need(needs_world.people["provider"], need)
    published = services.need_publish(needs_world.people["commissioner"], need)
    assert permissions.can_view_need(needs_world.people["provider"], published)
    assert NeedNotice.objects.filter(need=need, kind="published").count() == 1
    assert AuditEvent.objects.filter(action="need.publish", object_id=str(need.pk)).exists()


def test_a_need_for_organisations_is_hidden_from_people_without_one(needs_world) -> None:
    need = needs_world.need(visibility="organisations")
    assert not permissions.can_view_need(needs_world.people["outsider"], need)
    assert permissions.can_view_need(needs_world.people["joiner"], need)
    assert need not in selectors.needs_visible_to(needs_world.people["outsider"])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"place": "E99999999"}, "place"),
        ({"ward_codes": ["E05999999"]}, "ward_codes.0"),
        ({"route_codes": ["grant", "tender_by_magic"]}, "route_codes.1"),
        ({"budget_min_pence": 5, "budget_max_pence": 1}, "budget_min_pence"),
        ({"title": ""}, "title"),
        ({"closes_on": "next week"}, "closes_on"),
        ({"kind": "auction"}, "kind"),
        ({"notice_status": "published"}, "notice_status"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(
    needs_world, change, field
) -> None:
    with pytest.raises(services.NeedError) as refused:
        services.need_create(
            needs_world.people["commissioner"], needs_world.council, need_data(**change)
        )
    assert refused.value.field == field
    assert not Need.objects.exists()


def test_only_people_who_act_for_the_organisation_write_its_needs(needs_world) -> None:
    with pytest.raises(PermissionDenied):
        services.need_create(needs_world.people["provider"], needs_world.council, need_data())


def test_a_market_engagement_says_whether_a_notice_was_or_will_be_published(needs_world) -> None:
    need = needs_world.need(published=False, kind="market_engagement")
    with pytest.raises(services.NeedError) as refused:
        services.need_publish(needs_world.people["commissioner"], need)
    assert refused.value.field == "notice_status"
    services.need_update(
        needs_world.people["commissioner"], need, {"notice_status": "will_publish"}
    )
    assert services.need_publish(needs_world.people["commissioner"], need).status == "published"


def test_an_interest_after_the_closing_date_is_refused_with_the_date(needs_world) -> None:
    need = needs_world.need()
    Need.objects.filter(pk=need.pk).update(closes_on=dt.date(2026, 1, 9))
    need.refresh_from_db()
    with pytest.raises(services.NeedError) as refused:
        services.interest_submit(
            needs_world.people["provider"], need, needs_world.provider_org, kind="lead"
        )
    assert "9 January 2026" in refused.value.message
    with pytest.raises(services.NeedError):
        services.question_ask(
            needs_world.people["provider"], need, needs_world.provider_org, text="When?"
        )
    assert not Interest.objects.exists()


def test_a_volunteer_cannot_answer_for_their_organisation(needs_world) -> None:
    need = needs_world.need()
    with pytest.raises(PermissionDenied):
        services.interest_submit(
            needs_world.people["joiner"], need, needs_world.other_org, kind="interested"
        )


def test_an_answer_reaches_every_respondent_at_once_without_who_asked(needs_world) -> None:
    need = needs_world.need()
    people, world = needs_world.people, needs_world
    services.interest_submit(people["provider"], need, world.provider_org, kind="lead")
    services.interest_submit(people["other_provider"], need, world.other_org, kind="consortium")
    question = services.question_ask(
        people["provider"], need, world.provider_org, text="Can volunteers deliver part of it?"
    )
    assert selectors.questions_for(need, people["other_provider"]) == []
    services.question_answer(people["commissioner"], question, answer="Yes, with training.")
    for who in ("provider", "other_provider", "outsider"):
        seen = selectors.questions_for(need, people[who])
        assert [q.answer for q in seen] == ["Yes, with training."]
    notice = NeedNotice.objects.get(need=need, kind="answer")
    assert "Can volunteers deliver part of it?" in notice.text
    assert "provider.example" not in notice.text and world.provider_org.name not in notice.text


def test_a_change_after_publishing_is_told_to_everyone_and_a_stale_version_is_refused(
    needs_world,
) -> None:
    need = needs_world.need()
    commissioner = needs_world.people["commissioner"]
    services.need_update(commissioner, need, {"timeline": "From June 2027"}, version=need.version)
    assert NeedNotice.objects.filter(need=need, kind="change").count() == 1
    with pytest.raises(services.NeedError) as refused:
        services.need_update(commissioner, need, {"timeline": "Later"}, version=need.version)
    assert refused.value.conflict
    need.refresh_from_db()
    assert need.timeline == "From June 2027"


def test_the_owner_shortlists_and_invites_a_respondent_into_a_partnership(
    needs_world, django_capture_on_commit_callbacks
) -> None:
    need = needs_world.need()
    people = needs_world.people
    interest = services.interest_submit(
        people["provider"], need, needs_world.provider_org, kind="lead", message="We run clubs."
    )
    partnership = PartnershipFactory(place=needs_world.place, created_by=people["commissioner"])
    MemberFactory(partnership=partnership, user=people["commissioner"], role="lead")
    with pytest.raises(PermissionDenied):
        services.interest_shortlist(people["provider"], interest)
    services.interest_shortlist(people["commissioner"], interest)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.interest_invite(
            people["commissioner"], interest, partnership, site_url="http://testserver"
        )
    interest.refresh_from_db()
    assert interest.status == "invited" and interest.invitation == invitation
    assert PartnershipInvitation.objects.get().email == "officer@provider.example"
    assert mail.outbox[-1].to == ["officer@provider.example"]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"need.interest_submit", "need.interest_shortlist", "need.interest_invite"} <= actions


def test_respondents_are_compared_side_by_side(needs_world) -> None:
    need = needs_world.need()
    services.interest_submit(
        needs_world.people["provider"], need, needs_world.provider_org, kind="lead"
    )
    rows = selectors.compare(need)
    assert [r.interest.organisation for r in rows] == [needs_world.provider_org]
    assert rows[0].sector == "Charity"
    assert timezone.localdate() <= need.closes_on
    assert need.ward_codes == [URMSTON]


def test_a_funder_publishes_a_need_sees_its_matches_and_the_partnership_contact(
    needs_world,
) -> None:
    funder = OrganisationFactory(
        org_id="GB-CHC-9990190", name="Trafford Giving Fund (synthetic)", sector="social_finance"
    )
    grants_officer = UserFactory(email="grants@fund.example")
    member_of(grants_officer, funder)
    assert perspective_for(funder.sector, "officer") == Perspective.FUNDER
    ProfileFactory(organisation=needs_world.provider_org)
    ServiceFactory(organisation=needs_world.provider_org, places=[needs_world.place])
    draft = services.need_create(grants_officer, funder, need_data(route_codes=["grant"]))
    need = services.need_publish(grants_officer, draft)
    assert need.status == "published" and need.organisation == funder
    matches = selectors.matches_for(need)
    provider = next(m for m in matches if m.organisation == needs_world.provider_org)
    assert any(reason.startswith("its service") for reason in provider.reasons)
    assert permissions.can_see_profile_contact(grants_officer)
    interest = services.interest_submit(
        needs_world.people["provider"], need, needs_world.provider_org, kind="lead"
    )
    assert services.interest_shortlist(grants_officer, interest, shortlisted=True).status == (
        "shortlisted"
    )


def test_a_need_owners_data_download_names_an_invited_respondent_by_organisation_not_address(
    needs_world, django_capture_on_commit_callbacks
) -> None:
    # The owner never sees a respondent's address, not even in their own data download.
    people = needs_world.people
    interest = services.interest_submit(
        people["provider"], needs_world.need(), needs_world.provider_org, kind="lead"
    )
    partnership = PartnershipFactory(place=needs_world.place, created_by=people["commissioner"])
    MemberFactory(partnership=partnership, user=people["commissioner"], role="lead")
    with django_capture_on_commit_callbacks(execute=True):
        services.interest_invite(
            people["commissioner"], interest, partnership, site_url="http://testserver"
        )
    export = personal_data_export(people["commissioner"])
    assert "officer@provider.example" not in str(export)
    [sent] = export["partnerships"]["invitations_sent"]
    assert sent["invitee"] == f"A person at {needs_world.provider_org.name}"
