"""The partnerships API: every endpoint for each kind of person, bad input refused naming the
field with nothing saved, and every field described in the OpenAPI document."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.utils import timezone

from commonground.accounts import services as account_services
from commonground.audit.models import AuditEvent
from commonground.commissioning.answers import parse_answers
from commonground.commissioning.services import appraisal_create
from commonground.partnerships import services
from commonground.partnerships.models import (
    HealthCheckAnswer,
    Partnership,
    PartnershipInvitation,
    PartnershipMember,
)
from tests.organisations.factories import OrganisationFactory
from tests.partnerships.factories import ROUTE_ANSWERS, WHO, all_answers, closed_round_with

pytestmark = pytest.mark.django_db


def headers(partnership_world, who):
    if who == "anonymous":
        return {}
    _token, raw = account_services.api_token_create(partnership_world.people[who], "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def call(client, method, path, partnership_world, who, body=None):
    kwargs = headers(partnership_world, who)
    if body is not None:
        kwargs["data"] = json.dumps(body)
        kwargs["content_type"] = "application/json"
    return getattr(client, method)(f"/api/v1{path}", **kwargs)


def answers_body(score=3):
    return {"answers": [{"principle": p, "score": score, "comment": ""} for p in all_answers()]}


def expect(who, allowed, ok=200):
    if who == "anonymous":
        return 401
    if who in ("outsider", "other_member"):
        return 404
    return ok if who in allowed else 403


@pytest.mark.parametrize("who", WHO)
def test_get_a_partnership(client, partnership_world, who):
    response = call(
        client, "get", f"/partnerships/{partnership_world.partnership.pk}", partnership_world, who
    )
    assert response.status_code == expect(who, {"observer", "member", "lead", "staff"})
    if response.status_code == 200:
        body = response.json()
        assert body["place"] == {"gss_code": "E08000009", "name": "Trafford"}
        assert {m["perspective"] for m in body["members"]} == {
            "commissioner",
            "provider",
            "community",
        }
        assert body["stage_history"][0]["to_stage"] == "idea"


@pytest.mark.parametrize("who", WHO)
def test_list_shows_only_your_partnerships(client, partnership_world, who):
    response = call(client, "get", "/partnerships", partnership_world, who)
    if who == "anonymous":
        assert response.status_code == 401
        return
    names = {p["name"] for p in response.json()}
    expected = {
        "outsider": set(),
        "other_member": {"Another partnership"},
        "staff": {"Another partnership", "Sale Community Wellbeing Partnership"},
    }.get(who, {"Sale Community Wellbeing Partnership"})
    assert names == expected


@pytest.mark.parametrize("who", WHO)
def test_patch_a_partnership(client, partnership_world, who):
    response = call(
        client,
        "patch",
        f"/partnerships/{partnership_world.partnership.pk}",
        partnership_world,
        who,
        {"purpose": "Changed by API"},
    )
    assert response.status_code == expect(who, {"member", "lead"})
    changed = (
        Partnership.objects.get(pk=partnership_world.partnership.pk).purpose == "Changed by API"
    )
    assert changed == (response.status_code == 200)


@pytest.mark.parametrize("who", WHO)
def test_add_an_organisation(client, partnership_world, who):
    OrganisationFactory(
        org_id="GB-CHC-5550001", name="Sale Youth Trust (synthetic test record)", sector="charity"
    )
    response = call(
        client,
        "post",
        f"/partnerships/{partnership_world.partnership.pk}/members",
        partnership_world,
        who,
        {"org_id": "GB-CHC-5550001", "role": "member"},
    )
    assert response.status_code == expect(who, {"lead"}, ok=201)
    if response.status_code == 201:
        assert response.json()["kind"] == "organisation"
        assert response.json()["perspective"] == "provider"  # from the charity's sector


def test_people_are_not_added_by_email_through_members(client, partnership_world):
    # Adding by email used to say whether the address had an account; people are invited now.
    for email in ("outsider@example.org", "nobody@example.org"):
        response = call(
            client,
            "post",
            f"/partnerships/{partnership_world.partnership.pk}/members",
            partnership_world,
            "lead",
            {"email": email, "perspective": "funder", "role": "member"},
        )
        assert response.status_code == 422
        assert response.json()["field"] == "org_id"
    assert not partnership_world.partnership.members.filter(
        user=partnership_world.people["outsider"]
    ).exists()


def invitation_body(email="invitee@example.org", **extra):
    return {"email": email, "perspective": "funder", "role": "member", **extra}


@pytest.mark.parametrize("who", WHO)
def test_invite_a_person(client, partnership_world, who, django_capture_on_commit_callbacks):
    path = f"/partnerships/{partnership_world.partnership.pk}/invitations"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = call(client, "post", path, partnership_world, who, invitation_body())
    assert response.status_code == expect(who, {"lead"}, ok=201)
    sent = PartnershipInvitation.objects.filter(email="invitee@example.org").exists()
    assert sent == (response.status_code == 201)
    assert len(mail.outbox) == (1 if sent else 0)
    if sent:
        body = response.json()
        assert body["detail"] == "We have sent an invitation to invitee@example.org."
        assert body["invitation"]["status"] == "pending" and not body["invitation"]["expired"]
        assert "http://testserver/partnerships/invitations/" in mail.outbox[0].body


@pytest.mark.parametrize("who", WHO)
def test_list_and_withdraw_invitations(client, partnership_world, who):
    invitation = services.invitation_send(
        partnership_world.people["lead"],
        partnership_world.partnership,
        email="invitee@example.org",
        perspective="funder",
        site_url="http://testserver/",
    )
    path = f"/partnerships/{partnership_world.partnership.pk}/invitations"
    listed = call(client, "get", path, partnership_world, who)
    assert listed.status_code == expect(who, {"lead"})
    if listed.status_code == 200:
        assert [i["email"] for i in listed.json()] == ["invitee@example.org"]
    withdrawn = call(client, "post", f"{path}/{invitation.pk}/withdraw", partnership_world, who, {})
    assert withdrawn.status_code == expect(who, {"lead"})
    invitation.refresh_from_db()
    assert (invitation.status == "revoked") == (who == "lead")
    if who == "lead":
        assert withdrawn.json()["status"] == "revoked"
        again = call(client, "post", f"{path}/{invitation.pk}/withdraw", partnership_world, who, {})
        assert again.status_code == 409
        assert call(client, "get", path, partnership_world, who).json() == []
        assert (
            call(client, "post", f"{path}/999999/withdraw", partnership_world, who, {}).status_code
            == 404
        )


def test_another_lead_lists_invitations_without_the_address_someone_else_typed(
    client, partnership_world
):
    PartnershipMember.objects.filter(
        partnership=partnership_world.partnership, user=partnership_world.people["member"]
    ).update(role="lead")
    services.invitation_send(
        partnership_world.people["lead"],
        partnership_world.partnership,
        email="invitee@example.org",
        perspective="funder",
        site_url="http://testserver/",
    )
    path = f"/partnerships/{partnership_world.partnership.pk}/invitations"
    listed = call(client, "get", path, partnership_world, "member")
    assert listed.status_code == 200 and "invitee@example.org" not in listed.text
    assert [(i["email"], i["invitee"][:20]) for i in listed.json()] == [
        (None, "A person invited by ")
    ]


def test_inviting_through_the_api_answers_the_same_with_or_without_an_account(
    client,
    partnership_world,
    django_capture_on_commit_callbacks,
):
    path = f"/partnerships/{partnership_world.partnership.pk}/invitations"
    answers = []
    # An account, no account, and a current member (members are listed by name, not address).
    for email in ("outsider@example.org", "nobody@example.org", "member@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            response = call(client, "post", path, partnership_world, "lead", invitation_body(email))
        body = response.json()
        invitation = body.pop("invitation")
        answers.append(
            (
                response.status_code,
                body["detail"].replace(email, "EMAIL"),
                sorted(invitation),
                invitation["status"],
            )
        )
    assert answers[0] == answers[1] == answers[2]
    assert len(mail.outbox) >= 2


def test_bad_invitations_are_refused_naming_the_field(client, partnership_world):
    path = f"/partnerships/{partnership_world.partnership.pk}/invitations"
    for body, field, status in [
        (invitation_body("not an address"), "email", 422),
        (invitation_body(perspective="mayor"), "perspective", 422),
        (invitation_body(role="boss"), "role", 422),
    ]:
        response = call(client, "post", path, partnership_world, "lead", body)
        assert response.status_code == status, body
        if field:
            assert field == response.json()["field"]
    assert not PartnershipInvitation.objects.exists()


def test_too_many_invitations_get_429_with_retry_after(client, partnership_world):
    path = f"/partnerships/{partnership_world.partnership.pk}/invitations"
    for _ in range(services.INVITATIONS_PER_ADDRESS):
        assert (
            call(client, "post", path, partnership_world, "lead", invitation_body()).status_code
            == 201
        )
    refused = call(client, "post", path, partnership_world, "lead", invitation_body())
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 24 * 3600
    assert "invited 3 times in the last 24 hours" in refused.json()["detail"]
    assert PartnershipInvitation.objects.filter(status="pending").count() == 1


@pytest.mark.parametrize("who", WHO)
def test_answer_the_health_check(client, partnership_world, who):
    services.health_check_round_open(
        partnership_world.people["lead"], partnership_world.partnership
    )
    response = call(
        client,
        "post",
        f"/partnerships/{partnership_world.partnership.pk}/health-checks",
        partnership_world,
        who,
        answers_body(),
    )
    assert response.status_code == expect(who, {"observer", "member", "lead"}, ok=201)
    assert HealthCheckAnswer.objects.count() == (1 if response.status_code == 201 else 0)


@pytest.mark.parametrize("who", WHO)
def test_health_results(client, partnership_world, who):
    lead, member, observer = (partnership_world.people[w] for w in ("lead", "member", "observer"))
    closed_round_with(partnership_world.partnership, lead, [(lead, 5), (member, 2), (observer, 3)])
    response = call(
        client,
        "get",
        f"/partnerships/{partnership_world.partnership.pk}/health",
        partnership_world,
        who,
    )
    assert response.status_code == expect(who, {"observer", "member", "lead", "staff"})
    if response.status_code == 200:
        [round_result] = response.json()["rounds"]
        # A platform administrator who is not a member sees that a round exists, not results.
        assert round_result["shown"] == (who != "staff")
        if round_result["shown"]:
            trust = next(p for p in round_result["principles"] if p["principle"] == "trust")
            assert trust["average"] == pytest.approx(3.33, abs=0.01)


def test_create_a_partnership_and_become_its_lead(client, partnership_world):
    response = call(
        client,
        "post",
        "/partnerships",
        partnership_world,
        "outsider",
        {
            "name": "Partington youth partnership",
            "purpose": "Young people in Partington have somewhere to go.",
            "place_gss": "E08000009",
            "perspective": "provider",
            "resembles_case_study": "leicestershire-childrens-innovation-partnership",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["your_role"] == "lead" and body["your_perspective"] == "provider"
    assert AuditEvent.objects.filter(action="partnership.create", object_id=str(body["id"]))


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"place_gss": "E99999999"}, "place_gss"),
        ({"perspective": "mayor"}, "perspective"),
        ({"resembles_case_study": "made-up"}, "resembles_case_study"),
        ({"name": "   "}, "name"),
    ],
)
def test_bad_input_when_creating_is_refused_naming_the_field(
    client, partnership_world, body, field
):
    good = {
        "name": "A partnership",
        "purpose": "A purpose.",
        "place_gss": "E08000009",
        "perspective": "provider",
    }
    before = Partnership.objects.count()
    response = call(
        client, "post", "/partnerships", partnership_world, "outsider", {**good, **body}
    )
    assert response.status_code == 422
    assert field in {error["field"] for error in response.json()["errors"]}
    assert Partnership.objects.count() == before


@pytest.mark.parametrize("score", [0, 6, "high", None])
def test_a_score_out_of_range_is_refused_naming_the_field(client, partnership_world, score):
    services.health_check_round_open(
        partnership_world.people["lead"], partnership_world.partnership
    )
    body = answers_body()
    body["answers"][6]["score"] = score
    response = call(
        client,
        "post",
        f"/partnerships/{partnership_world.partnership.pk}/health-checks",
        partnership_world,
        "member",
        body,
    )
    assert response.status_code == 422
    assert response.json()["field"].endswith(".score")
    assert not HealthCheckAnswer.objects.exists()


def test_duplicate_answers_are_refused(client, partnership_world):
    services.health_check_round_open(
        partnership_world.people["lead"], partnership_world.partnership
    )
    path = f"/partnerships/{partnership_world.partnership.pk}/health-checks"
    body = answers_body()
    body["answers"][1]["principle"] = body["answers"][0]["principle"]
    response = call(client, "post", path, partnership_world, "member", body)
    assert response.status_code == 422
    assert "more than once" in response.json()["detail"]
    assert (
        call(client, "post", path, partnership_world, "member", answers_body()).status_code == 201
    )
    again = call(client, "post", path, partnership_world, "member", answers_body(5))
    assert again.status_code == 409
    assert "already answered" in again.json()["detail"]
    assert HealthCheckAnswer.objects.count() == 1


def test_a_member_answering_for_another_is_refused(client, partnership_world):
    services.health_check_round_open(
        partnership_world.people["lead"], partnership_world.partnership
    )
    body = {**answers_body(), "respondent_id": partnership_world.people["member"].pk}
    response = call(
        client,
        "post",
        f"/partnerships/{partnership_world.partnership.pk}/health-checks",
        partnership_world,
        "lead",
        body,
    )
    assert response.status_code == 403
    assert not HealthCheckAnswer.objects.exists()


def test_no_open_round_is_a_conflict(client, partnership_world):
    response = call(
        client,
        "post",
        f"/partnerships/{partnership_world.partnership.pk}/health-checks",
        partnership_world,
        "member",
        answers_body(),
    )
    assert response.status_code == 409


def test_a_stage_change_through_patch_is_dated_and_a_refused_one_changes_nothing(
    client, partnership_world
):
    path = f"/partnerships/{partnership_world.partnership.pk}"
    today = timezone.localdate().isoformat()
    refused = call(
        client,
        "patch",
        path,
        partnership_world,
        "member",
        {"name": "New name", "stage": "exploring", "stage_changed_on": "2999-01-01"},
    )
    assert refused.status_code == 422
    assert Partnership.objects.get(pk=partnership_world.partnership.pk).name.startswith("Sale")
    ok = call(
        client,
        "patch",
        path,
        partnership_world,
        "member",
        {"stage": "exploring", "stage_changed_on": today, "stage_note": "Kick-off"},
    )
    assert ok.status_code == 200
    assert ok.json()["stage_history"][-1] == {
        "from_stage": "idea",
        "to_stage": "exploring",
        "changed_on": today,
        "note": "Kick-off",
    }


def test_every_field_of_the_partnership_operations_is_described(client):
    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    names = [
        "PartnershipOut",
        "PartnershipDetailOut",
        "PartnershipIn",
        "PartnershipPatch",
        "MemberIn",
        "MemberOut",
        "InvitationIn",
        "InvitationOut",
        "InvitationSentOut",
        "HealthCheckIn",
        "PrincipleAnswerIn",
        "HealthOut",
        "RoundResultOut",
        "PrincipleResultOut",
    ]
    for name in names:
        for field, spec in schemas[name]["properties"].items():
            assert spec.get("description"), f"{name}.{field} has no description"
    for path in (
        "/api/v1/partnerships",
        "/api/v1/partnerships/{id}/health",
        "/api/v1/partnerships/{id}/invitations",
        "/api/v1/partnerships/{id}/invitations/{invitation_id}/withdraw",
    ):
        assert path in document["paths"]


def test_patch_links_a_route_appraisal_the_caller_can_see(client, partnership_world):
    mine = appraisal_create(
        author=partnership_world.people["member"], answers=parse_answers(ROUTE_ANSWERS)
    )
    private = appraisal_create(
        author=partnership_world.people["outsider"], answers=parse_answers(ROUTE_ANSWERS)
    )
    path = f"/partnerships/{partnership_world.partnership.pk}"
    refused = call(client, "patch", path, partnership_world, "member", {"appraisal_id": private.pk})
    assert refused.status_code == 422
    assert refused.json()["field"] == "appraisal_id"
    ok = call(client, "patch", path, partnership_world, "member", {"appraisal_id": mine.pk})
    assert ok.status_code == 200 and ok.json()["appraisal_id"] == mine.pk
    unlinked = call(client, "patch", path, partnership_world, "member", {"appraisal_id": 0})
    assert unlinked.json()["appraisal_id"] is None


@pytest.mark.parametrize("who", WHO)
def test_opening_and_closing_a_round_is_for_the_lead(client, partnership_world, who):
    path = f"/partnerships/{partnership_world.partnership.pk}/health-check-rounds"
    opened = call(client, "post", path, partnership_world, who, {})
    assert opened.status_code == expect(who, {"lead"}, ok=201)
    if who != "lead":
        services.health_check_round_open(
            partnership_world.people["lead"], partnership_world.partnership
        )
    closed = call(client, "post", f"{path}/close", partnership_world, who, {})
    assert closed.status_code == expect(who, {"lead"})
    if who == "lead":
        assert opened.json()["round"] == 1 and closed.json()["closed_on"] is not None
        assert call(client, "post", f"{path}/close", partnership_world, who, {}).status_code == 409


def test_a_whole_round_through_the_api(client, partnership_world):
    pk = partnership_world.partnership.pk
    assert call(
        client, "post", f"/partnerships/{pk}/health-check-rounds", partnership_world, "lead", {}
    )
    for who, score in (("lead", 5), ("member", 2), ("observer", 3)):
        body = answers_body(score)
        response = call(
            client, "post", f"/partnerships/{pk}/health-checks", partnership_world, who, body
        )
        assert response.status_code == 201
    before = call(client, "get", f"/partnerships/{pk}/health", partnership_world, "member").json()
    assert before["rounds"][0]["shown"] is False and before["you_answered_open_round"]
    call(
        client,
        "post",
        f"/partnerships/{pk}/health-check-rounds/close",
        partnership_world,
        "lead",
        {},
    )
    after = call(client, "get", f"/partnerships/{pk}/health", partnership_world, "member").json()
    [round_result] = after["rounds"]
    assert round_result["shown"] and round_result["responses"] == 3
    trust = next(p for p in round_result["principles"] if p["principle"] == "trust")
    assert trust["counts"] == {"1": 0, "2": 1, "3": 1, "4": 0, "5": 1}
