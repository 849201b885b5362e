"""The invitations API: the person invited to a partnership sees the invitation and accepts or
declines it with a token of their account, by the token in the emailed link (ADR 0015).

Only the person it was sent to, with that address confirmed, gets anything but the 404 a made-up
link gets; answers follow the same rules, and use the same services, as the invitation page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from commonground.accounts import permissions
from commonground.accounts import services as account_services
from commonground.accounts import tokens as api_tokens
from commonground.accounts.models import ApiToken
from commonground.audit.models import AuditEvent
from commonground.core.signed_links import signed_link
from commonground.partnerships import services
from commonground.partnerships.models import PartnershipInvitation, PartnershipMember
from tests.accounts.factories import UserFactory
from tests.partnerships.factories import INVITEE, WHO, invite, is_member, sent_link

pytestmark = pytest.mark.django_db

ACTORS = [*WHO, "invitee_unconfirmed", "invitee"]


def token_of(link):
    """The part of the emailed link the API takes: after /partnerships/invitations/."""
    assert link.startswith("/partnerships/invitations/")
    return link.rstrip("/").rsplit("/", 1)[1]


def _token(person) -> str:
    """A live API token of this person. An unconfirmed account can no longer create one; it
    may still hold one made before that rule (as the security probe's account did)."""
    if permissions.has_confirmed_address(person):
        return account_services.api_token_create(person, "test")[1]
    raw = api_tokens.new_api_token()
    ApiToken.objects.create(
        user=person,
        name="made before confirmation was needed",
        prefix=raw[:10],
        token_hash=api_tokens.hash_api_token(raw),
        created_at=timezone.now(),
    )
    return raw


def call(client, method, token, who, people, answer=""):
    headers = {}
    if who != "anonymous":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {_token(people[who])}"
    path = f"/api/v1/invitations/{token}" + (f"/{answer}" if answer else "")
    return getattr(client, method)(path, **headers)


@pytest.fixture
def emailed(partnership_world, django_capture_on_commit_callbacks):
    """An account for the invited address (confirmed) and the token from its invitation email."""
    partnership_world.people["invitee"] = UserFactory(email=INVITEE)
    invitation, link = sent_link(
        partnership_world,
        django_capture_on_commit_callbacks,
        role="observer",
        perspective="community",
    )
    return invitation, token_of(link)


def to_ms(when):
    """As the JSON gives times: to the millisecond."""
    return when.replace(microsecond=when.microsecond // 1000 * 1000)


def expected_status(who, ok=200):
    return {"anonymous": 401, "invitee": ok}.get(who, 404)


# ---- Who sees and answers an invitation ----------------------------------------------------------


@pytest.mark.parametrize("who", ACTORS)
def test_only_the_person_invited_sees_an_invitation_and_accepts_it(
    client,
    partnership_world,
    who,
    django_capture_on_commit_callbacks,
):
    partnership_world.people["invitee"] = UserFactory(
        email=INVITEE, verified=who != "invitee_unconfirmed"
    )
    if who == "invitee_unconfirmed":
        partnership_world.people[who] = partnership_world.people["invitee"]
    _, link = sent_link(partnership_world, django_capture_on_commit_callbacks)
    token = token_of(link)

    seen = call(client, "get", token, who, partnership_world.people)
    accepted = call(client, "post", token, who, partnership_world.people, "accept")

    assert seen.status_code == expected_status(who)
    assert accepted.status_code == expected_status(who)
    assert is_member(partnership_world, partnership_world.people["invitee"]) == (who == "invitee")
    assert PartnershipInvitation.objects.get().status == (
        "accepted" if who == "invitee" else "pending"
    )


@pytest.mark.parametrize("who", ACTORS)
def test_only_the_person_invited_declines_an_invitation(
    client,
    partnership_world,
    who,
    django_capture_on_commit_callbacks,
):
    partnership_world.people["invitee"] = UserFactory(
        email=INVITEE, verified=who != "invitee_unconfirmed"
    )
    if who == "invitee_unconfirmed":
        partnership_world.people[who] = partnership_world.people["invitee"]
    _, link = sent_link(partnership_world, django_capture_on_commit_callbacks)

    declined = call(client, "post", token_of(link), who, partnership_world.people, "decline")

    assert declined.status_code == expected_status(who)
    assert PartnershipInvitation.objects.get().status == (
        "declined" if who == "invitee" else "pending"
    )
    assert not is_member(partnership_world, partnership_world.people["invitee"])


def test_everyone_but_the_person_invited_gets_the_answer_a_made_up_link_gets(
    client,
    partnership_world,
    django_capture_on_commit_callbacks,
):
    partnership_world.people["unconfirmed"] = UserFactory(email=INVITEE, verified=False)
    invitation, link = sent_link(partnership_world, django_capture_on_commit_callbacks)
    made_up = call(client, "get", "made-up", "outsider", partnership_world.people)
    guessed = signed_link(invitation.pk, "a guessed secret", salt=PartnershipInvitation.LINK_SALT)
    assert made_up.status_code == 404
    assert "This invitation link has not worked" in made_up.json()["detail"]
    for who, token in [
        ("outsider", guessed),
        ("outsider", token_of(link)),
        ("lead", token_of(link)),  # who sent it: they see it under the partnership instead
        ("staff", token_of(link)),
        ("unconfirmed", token_of(link)),
    ]:
        for answer in ("", "accept", "decline"):
            method = "post" if answer else "get"
            response = call(client, method, token, who, partnership_world.people, answer)
            assert (response.status_code, response.json()) == (404, made_up.json()), (who, answer)


def test_the_person_invited_sees_what_they_are_invited_to(client, partnership_world, emailed):
    invitation, token = emailed
    response = call(client, "get", token, "invitee", partnership_world.people)
    assert response.status_code == 200
    body = response.json()
    assert dt.datetime.fromisoformat(body.pop("expires_at")) == to_ms(invitation.expires_at)
    assert dt.datetime.fromisoformat(body.pop("created_at")) == to_ms(invitation.created_at)
    assert body == {
        "partnership_name": "Sale Community Wellbeing Partnership",
        "role": "observer",
        "perspective": "community",
        "invited_by": "lead@example.org",
        "email": INVITEE,
        "state": "pending",
        "can_answer": True,
        "detail": "You can accept or decline this invitation.",
    }


# ---- Accepting and declining ---------------------------------------------------------------------


def test_accepting_makes_the_person_a_member_with_the_invited_role(
    client, partnership_world, emailed
):
    invitation, token = emailed
    invitee = partnership_world.people["invitee"]
    response = call(client, "post", token, "invitee", partnership_world.people, "accept")
    assert response.status_code == 200
    body = response.json()
    assert body["detail"] == "You have joined Sale Community Wellbeing Partnership as observer."
    assert body["joined"] is True
    assert body["partnership"]["id"] == partnership_world.partnership.pk
    assert (body["partnership"]["your_role"], body["partnership"]["your_perspective"]) == (
        "observer",
        "community",
    )
    assert body["invitation"]["state"] == "accepted" and not body["invitation"]["can_answer"]
    member = PartnershipMember.objects.get(partnership=partnership_world.partnership, user=invitee)
    assert body["membership"]["id"] == member.pk
    assert (member.role, member.perspective) == ("observer", "community")
    assert member.added_by == partnership_world.people["lead"]
    invitation.refresh_from_db()
    assert (invitation.status, invitation.responded_by, invitation.member) == (
        "accepted",
        invitee,
        member,
    )
    # Audited as on the website, and the partnership now opens to them through the API.
    actions = set(AuditEvent.objects.filter(actor=invitee).values_list("action", flat=True))
    assert {"partnership.member_add", "partnership.invitation_accept"} <= actions
    _key, raw = account_services.api_token_create(invitee, "after")
    opened = client.get(
        f"/api/v1/partnerships/{partnership_world.partnership.pk}",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert opened.status_code == 200


def test_accepting_twice_is_refused_and_keeps_one_membership(client, partnership_world, emailed):
    _, token = emailed
    assert (
        call(client, "post", token, "invitee", partnership_world.people, "accept").status_code
        == 200
    )
    again = call(client, "post", token, "invitee", partnership_world.people, "accept")
    assert again.status_code == 410
    detail = "This invitation has already been accepted. Each invitation link works once."
    assert again.json() == {
        "detail": detail,
        "field": None,
        "errors": [{"detail": detail, "field": None}],
        "code": "accepted",
    }
    assert (
        call(client, "post", token, "invitee", partnership_world.people, "decline").status_code
        == 410
    )
    seen = call(client, "get", token, "invitee", partnership_world.people).json()
    assert (seen["state"], seen["can_answer"]) == ("accepted", False)
    assert PartnershipMember.objects.filter(user=partnership_world.people["invitee"]).count() == 1


def test_declining_uses_up_the_link_without_joining(client, partnership_world, emailed):
    invitation, token = emailed
    response = call(client, "post", token, "invitee", partnership_world.people, "decline")
    assert response.status_code == 200
    assert response.json()["detail"] == (
        "You have declined the invitation to Sale Community Wellbeing Partnership."
    )
    assert response.json()["invitation"]["state"] == "declined"
    invitation.refresh_from_db()
    assert invitation.status == "declined"
    assert AuditEvent.objects.filter(
        actor=partnership_world.people["invitee"], action="partnership.invitation_decline"
    ).exists()
    later = call(client, "post", token, "invitee", partnership_world.people, "accept")
    assert later.status_code == 410 and later.json()["code"] == "declined"
    assert not is_member(partnership_world, partnership_world.people["invitee"])


def test_someone_already_a_member_keeps_their_role_and_uses_up_the_invitation(
    client,
    partnership_world,
    emailed,
):
    invitation, token = emailed
    services.partnership_add_member(
        partnership_world.people["lead"],
        partnership_world.partnership,
        user=partnership_world.people["invitee"],
        perspective="funder",
        role="member",
    )
    response = call(client, "post", token, "invitee", partnership_world.people, "accept")
    assert response.status_code == 200
    body = response.json()
    assert body["joined"] is False
    assert body["detail"] == (
        "You were already a member of Sale Community Wellbeing Partnership, so nothing has changed."
    )
    assert (body["membership"]["role"], body["membership"]["perspective"]) == ("member", "funder")
    invitation.refresh_from_db()
    assert invitation.status == "accepted"


# ---- Links that no longer work -------------------------------------------------------------------


def _expire(partnership_world, invitation):
    PartnershipInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )


def _withdraw(partnership_world, invitation):
    services.invitation_revoke(partnership_world.people["lead"], invitation)


def _replace(partnership_world, invitation):
    invite(partnership_world, role="member")


def _lapse(partnership_world, invitation):
    lead = partnership_world.people["lead"]
    services.partnership_add_member(
        lead,
        partnership_world.partnership,
        user=partnership_world.people["outsider"],
        perspective="funder",
        role="lead",
    )
    services.partnership_member_leave(lead, partnership_world.partnership.members.get(user=lead))


@pytest.mark.parametrize(
    ("make_unusable", "reason", "words"),
    [
        (_expire, "expired", "This invitation has expired."),
        (_withdraw, "revoked", "This invitation was withdrawn by the partnership."),
        (_replace, "replaced", "A newer invitation was sent to this email address."),
        (_lapse, "lapsed", "no longer leads the partnership"),
    ],
)
def test_a_link_that_no_longer_works_says_why_and_cannot_be_answered(
    client,
    partnership_world,
    emailed,
    make_unusable,
    reason,
    words,
):
    invitation, token = emailed
    make_unusable(partnership_world, invitation)
    seen = call(client, "get", token, "invitee", partnership_world.people)
    assert seen.status_code == 200
    assert (seen.json()["state"], seen.json()["can_answer"]) == (reason, False)
    assert words in seen.json()["detail"]
    for answer in ("accept", "decline"):
        refused = call(client, "post", token, "invitee", partnership_world.people, answer)
        assert refused.status_code == 410
        assert refused.json()["code"] == reason and words in refused.json()["detail"]
    # The website says the same of the same link.
    client.force_login(partnership_world.people["invitee"])
    page = client.get(f"/partnerships/invitations/{token}/")
    assert page.status_code == 410 and words in page.text
    assert not is_member(partnership_world, partnership_world.people["invitee"])


def test_an_answer_through_the_api_is_the_answer_on_the_website(client, partnership_world, emailed):
    _, token = emailed
    call(client, "post", token, "invitee", partnership_world.people, "accept")
    client.force_login(partnership_world.people["invitee"])
    page = client.get(f"/partnerships/invitations/{token}/")
    assert page.status_code == 410
    assert "This invitation has already been accepted" in page.text


# ---- The OpenAPI document ------------------------------------------------------------------------


def test_every_field_of_the_invitation_operations_is_described(client):
    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    for name in (
        "InvitationToYouOut",
        "InvitationAcceptedOut",
        "InvitationDeclinedOut",
        "ApiError",
    ):
        for field, spec in schemas[name]["properties"].items():
            assert spec.get("description"), f"{name}.{field} has no description"
    paths = document["paths"]
    assert set(paths["/api/v1/invitations/{token}"]) == {"get"}
    for answer in ("accept", "decline"):
        operation = paths[f"/api/v1/invitations/{{token}}/{answer}"]["post"]
        # 422: a query parameter holding a NUL character, as for every operation (ADR 0059).
        assert set(operation["responses"]) == {"200", "401", "404", "410", "422", "429"}
