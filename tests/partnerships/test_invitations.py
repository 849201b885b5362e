"""Inviting a person to a partnership by email (ADR 0015).

A lead invites an address; the page, the email and the audit trail are the same whether or not
the address has an account, so inviting tells nobody who uses Common Ground. The link works
once, until it expires, for the person signed in with that (confirmed) address only; a lead
sees the invitations waiting and can withdraw them, and inviting again replaces the old link."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from commonground.accounts import permissions
from commonground.accounts import services as account_services
from commonground.accounts.data_rights import personal_data_export
from commonground.audit.models import AuditEvent
from commonground.core.signed_links import signed_link
from commonground.partnerships import services
from commonground.partnerships.models import (
    InvitationStatus,
    PartnershipInvitation,
    PartnershipMember,
)
from tests.accounts.factories import PASSWORD, UserFactory
from tests.partnerships.factories import INVITEE, WHO, invite, is_member, link_in_mail, sent_link

pytestmark = pytest.mark.django_db


def client_for(client, partnership_world, who):
    if who != "anonymous":
        client.force_login(partnership_world.people[who])
    return client


def post_invitation(client, partnership_world, email, role="member"):
    return client.post(
        f"/partnerships/{partnership_world.partnership.pk}/members/add/",
        {"kind": "person", "email": email, "perspective": "funder", "role": role},
    )


# ---- Who may invite, withdraw and answer ---------------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_only_a_lead_invites_a_person(
    client, partnership_world, who, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_invitation(
            client_for(client, partnership_world, who), partnership_world, INVITEE
        )
    expected = {"anonymous": 302, "outsider": 404, "other_member": 404, "lead": 302}.get(who, 403)
    assert response.status_code == expected
    sent = PartnershipInvitation.objects.filter(email=INVITEE).exists()
    assert sent == (who == "lead")
    assert [m.to for m in mail.outbox if m.to == [INVITEE]] == ([[INVITEE]] if sent else [])
    if who == "anonymous":
        assert response["Location"].startswith("/account/sign-in/?next=")


@pytest.mark.parametrize("who", WHO)
def test_only_a_lead_sees_the_invitations_waiting(client, partnership_world, who):
    invite(partnership_world)
    response = client_for(client, partnership_world, who).get(
        f"/partnerships/{partnership_world.partnership.pk}/"
    )
    if response.status_code != 200:
        assert who in ("anonymous", "outsider", "other_member")
        return
    assert (INVITEE in response.text) == (who == "lead")
    assert ("Invitations waiting for an answer" in response.text) == (who == "lead")


def test_another_lead_sees_who_sent_an_invitation_never_the_address(client, partnership_world):
    PartnershipMember.objects.filter(
        partnership=partnership_world.partnership, user=partnership_world.people["member"]
    ).update(role="lead")
    invitation = invite(partnership_world)
    url = f"/partnerships/{partnership_world.partnership.pk}/"
    page = client_for(client, partnership_world, "member").get(url).content.decode()
    assert "Invitations waiting for an answer" in page and INVITEE not in page
    assert "A person invited by" in page
    withdrawn = client.post(
        f"{url}invitations/{invitation.pk}/withdraw/", follow=True
    ).content.decode()
    assert "is withdrawn" in withdrawn and INVITEE not in withdrawn
    sender = client_for(client, partnership_world, "lead").get(url).content.decode()
    assert INVITEE not in sender  # withdrawn, so no longer listed


@pytest.mark.parametrize("who", WHO)
def test_only_a_lead_withdraws_an_invitation(client, partnership_world, who):
    invitation = invite(partnership_world)
    response = client_for(client, partnership_world, who).post(
        f"/partnerships/{partnership_world.partnership.pk}/invitations/{invitation.pk}/withdraw/"
    )
    expected = {"anonymous": 302, "outsider": 404, "other_member": 404, "lead": 302}.get(who, 403)
    assert response.status_code == expected
    invitation.refresh_from_db()
    assert (invitation.status == InvitationStatus.REVOKED) == (who == "lead")


def test_an_invitation_of_another_partnership_cannot_be_withdrawn_through_this_one(
    client, partnership_world
):
    other = services.invitation_send(
        partnership_world.people["other_member"],
        partnership_world.other,
        email=INVITEE,
        perspective="funder",
        site_url="http://testserver/",
    )
    client.force_login(partnership_world.people["lead"])
    response = client.post(
        f"/partnerships/{partnership_world.partnership.pk}/invitations/{other.pk}/withdraw/"
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == InvitationStatus.PENDING


@pytest.mark.parametrize("who", [*WHO, "invitee"])
def test_only_the_person_invited_can_accept(
    client, partnership_world, who, django_capture_on_commit_callbacks
):
    partnership_world.people["invitee"] = UserFactory(email=INVITEE)
    _, link = sent_link(partnership_world, django_capture_on_commit_callbacks)
    client = client_for(client, partnership_world, who)

    page = client.get(link)
    accepted = client.post(link, {"answer": "accept"})

    if who == "anonymous":
        assert page.status_code == 200 and "Sign in to answer this invitation" in page.text
        assert accepted.status_code == 200
    elif who == "invitee":
        assert page.status_code == 200 and "Accept and join" in page.text
        assert accepted.status_code == 302
    else:
        assert page.status_code == 403
        assert "This invitation is for a different email address" in page.text
        assert accepted.status_code == 403
    assert is_member(partnership_world, partnership_world.people["invitee"]) == (who == "invitee")
    assert PartnershipInvitation.objects.get().status == (
        InvitationStatus.ACCEPTED if who == "invitee" else InvitationStatus.PENDING
    )


def test_the_permission_rules_let_the_lead_and_the_invitee_see_an_invitation(partnership_world):
    invitee = UserFactory(email=INVITEE)
    unconfirmed = UserFactory(email="Unconfirmed@Example.org", verified=False)
    invitation = invite(partnership_world)
    second = invite(partnership_world, email="unconfirmed@example.org")
    allowed = {
        name
        for name, user in partnership_world.people.items()
        if permissions.can_view(user, invitation)
    }
    assert allowed == {"lead"}
    assert permissions.can_view(invitee, invitation)
    assert permissions.can_change(invitee, invitation)
    assert not permissions.can_view(invitee, second)
    assert not permissions.can_view(unconfirmed, second)  # the address is not confirmed yet
    assert not permissions.can_view(None, invitation)


# ---- No account enumeration --------------------------------------------------------------------


def _scrub(text, email):
    """The page or email without what differs by design: the address, the link, form tokens."""
    text = text.replace(email, "EMAIL")
    text = re.sub(r"/partnerships/invitations/[^/\s]+/", "/partnerships/invitations/TOKEN/", text)
    text = re.sub(r"/invitations/\d+/withdraw/", "/invitations/ID/withdraw/", text)
    text = re.sub(r"next=[^\"]+", "next=NEXT", text)
    text = re.sub(r"(Link works until</dt><dd[^>]*>)[^<]*", r"\1WHEN", text)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)


def test_inviting_an_address_with_an_account_or_without_looks_the_same(
    client, partnership_world, django_capture_on_commit_callbacks
):
    closed = UserFactory(email="closed@example.org")
    account_services.account_delete(closed)  # now has no address; invite its old one too
    UserFactory(email="unconfirmed@example.org", verified=False)
    addresses = [
        "outsider@example.org",  # an account
        "unconfirmed@example.org",  # an account not confirmed yet
        "nobody@example.org",  # no account
        "closed@example.org",  # the address of a deleted account
    ]
    client.force_login(partnership_world.people["lead"])
    seen = []
    for email in addresses:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = post_invitation(client, partnership_world, email)
        page = client.get(response["Location"])
        [message] = mail.outbox
        seen.append(
            (
                response.status_code,
                response["Location"],
                _scrub(page.text, email),
                message.subject,
                _scrub(message.body, email),
            )
        )
        assert f"We have sent an invitation to {email}." in page.text
        # Withdrawn, so that each page lists just the one invitation just sent.
        services.invitation_revoke(
            partnership_world.people["lead"], PartnershipInvitation.objects.get(email=email)
        )
    assert all(outcome == seen[0] for outcome in seen[1:]), seen


def test_the_invitation_link_says_the_same_to_a_visitor_whether_or_not_there_is_an_account(
    client, partnership_world, django_capture_on_commit_callbacks
):
    UserFactory(email=INVITEE)
    _, with_account = sent_link(partnership_world, django_capture_on_commit_callbacks)
    _, without_account = sent_link(
        partnership_world, django_capture_on_commit_callbacks, email="nobody@example.org"
    )
    first = client.get(with_account)
    second = client.get(without_account)
    assert first.status_code == second.status_code == 200
    assert _scrub(first.text, INVITEE) == _scrub(second.text, "nobody@example.org")


def test_inviting_a_current_members_address_answers_as_for_any_other_address(
    client, partnership_world, django_capture_on_commit_callbacks
):
    # Members are listed by name: a refusal would tell the lead whose address it is.
    client.force_login(partnership_world.people["lead"])
    answers = []
    for email in ("Member@Example.org", "stranger@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            response = post_invitation(client, partnership_world, email)
        answers.append((response.status_code, _scrub(response.text, email.lower())))
    assert answers[0] == answers[1]
    assert PartnershipInvitation.objects.count() == 2
    assert len(mail.outbox) == 2


def test_a_bad_address_is_refused_on_the_form(client, partnership_world):
    client.force_login(partnership_world.people["lead"])
    response = post_invitation(client, partnership_world, "not an address")
    assert response.status_code == 400
    assert "Enter an email address like name@example.com" in response.text


# ---- Accepting, declining, single use, expiry ----------------------------------------------------


def test_the_invited_person_accepts_and_joins_with_the_role_in_the_invitation(
    client, partnership_world, django_capture_on_commit_callbacks
):
    invitee = UserFactory(email=INVITEE)
    invitation, link = sent_link(
        partnership_world,
        django_capture_on_commit_callbacks,
        role="observer",
        perspective="community",
    )
    client.force_login(invitee)
    response = client.post(link, {"answer": "accept"})
    assert response["Location"] == f"/partnerships/{partnership_world.partnership.pk}/"
    page = client.get(response["Location"])
    assert "You have joined Sale Community Wellbeing Partnership as observer." in page.text
    member = PartnershipMember.objects.get(partnership=partnership_world.partnership, user=invitee)
    assert (member.role, member.perspective) == ("observer", "community")
    assert member.added_by == partnership_world.people["lead"]
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.responded_by == invitee
    assert invitation.member == member
    actions = set(AuditEvent.objects.filter(actor=invitee).values_list("action", flat=True))
    assert {"partnership.member_add", "partnership.invitation_accept"} <= actions


def test_a_link_works_once(client, partnership_world, django_capture_on_commit_callbacks):
    invitee = UserFactory(email=INVITEE)
    _, link = sent_link(partnership_world, django_capture_on_commit_callbacks)
    client.force_login(invitee)
    assert client.post(link, {"answer": "accept"}).status_code == 302
    again = client.post(link, {"answer": "accept"})
    assert again.status_code == 410
    assert "This invitation has already been accepted" in again.text
    assert client.get(link).status_code == 410
    assert PartnershipMember.objects.filter(user=invitee).count() == 1


def test_a_declined_invitation_cannot_then_be_accepted(
    client, partnership_world, django_capture_on_commit_callbacks
):
    invitee = UserFactory(email=INVITEE)
    invitation, link = sent_link(partnership_world, django_capture_on_commit_callbacks)
    client.force_login(invitee)
    response = client.post(link, {"answer": "decline"}, follow=True)
    assert "You have declined the invitation to Sale Community" in response.text
    invitation.refresh_from_db()
    assert invitation.status == "declined"
    later = client.post(link, {"answer": "accept"})
    assert later.status_code == 410 and "This invitation was declined" in later.text
    assert not is_member(partnership_world, invitee)
    assert AuditEvent.objects.filter(actor=invitee, action="partnership.invitation_decline")


def test_an_answer_that_is_neither_accept_nor_decline_changes_nothing(
    client, partnership_world, django_capture_on_commit_callbacks
):
    invitee = UserFactory(email=INVITEE)
    invitation, link = sent_link(partnership_world, django_capture_on_commit_callbacks)
    client.force_login(invitee)
    response = client.post(link, {"answer": "maybe"})
    assert response.status_code == 400
    assert "Choose whether to accept or decline" in response.text
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_an_expired_link_says_so_and_cannot_be_used(
    client, partnership_world, django_capture_on_commit_callbacks
):
    invitee = UserFactory(email=INVITEE)
    invitation, link = sent_link(partnership_world, django_capture_on_commit_callbacks)
    assert invitation.expires_at - invitation.created_at == dt.timedelta(
        days=services.INVITATION_DAYS
    )
    PartnershipInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    for who in (None, invitee):
        if who is not None:
            client.force_login(who)
        page = client.get(link)
        assert page.status_code == 410
        assert "This invitation has expired" in page.text
    assert client.post(link, {"answer": "accept"}).status_code == 410
    with pytest.raises(services.InvitationUnusable):
        services.invitation_accept(invitee, invitation)
    assert not is_member(partnership_world, invitee)


def test_a_link_that_is_not_one_of_ours_has_not_worked(client, partnership_world):
    invitation = invite(partnership_world)
    for token in [
        "made-up",
        signed_link(invitation.pk, "a guessed secret", salt=PartnershipInvitation.LINK_SALT),
    ]:
        response = client.get(f"/partnerships/invitations/{token}/")
        assert response.status_code == 404
        assert "This invitation link has not worked" in response.text


def test_someone_signed_in_with_another_address_is_refused_plainly(
    client, partnership_world, django_capture_on_commit_callbacks
):
    _, link = sent_link(partnership_world, django_capture_on_commit_callbacks)
    client.force_login(partnership_world.people["outsider"])
    page = client.get(link)
    assert page.status_code == 403
    assert "You are signed in as outsider@example.org" in page.text
    with pytest.raises(PermissionDenied):
        services.invitation_accept(
            partnership_world.people["outsider"], PartnershipInvitation.objects.get()
        )


def test_the_invited_address_must_be_confirmed_before_accepting(
    client, partnership_world, django_capture_on_commit_callbacks
):
    unconfirmed = UserFactory(email=INVITEE, verified=False)
    _, link = sent_link(partnership_world, django_capture_on_commit_callbacks)
    client.force_login(unconfirmed)
    page = client.get(link)
    assert page.status_code == 403 and "Confirm your email address first" in page.text
    assert client.post(link, {"answer": "accept"}).status_code == 403
    assert not is_member(partnership_world, unconfirmed)

    account_services.email_verification_send(unconfirmed, site_url="http://testserver/")
    verify = next(m for m in mail.outbox if m.to == [INVITEE] and "Confirm" in m.subject)
    account_services.email_verify(re.search(r"/verify/([^/]+)/", verify.body).group(1))
    assert client.post(link, {"answer": "accept"}).status_code == 302
    assert is_member(partnership_world, unconfirmed)


def test_a_visitor_signs_in_and_comes_back_to_the_invitation(
    client, partnership_world, django_capture_on_commit_callbacks
):
    UserFactory(email=INVITEE)
    _, link = sent_link(partnership_world, django_capture_on_commit_callbacks)
    page = client.get(link)
    sign_in = re.search(r'href="(/account/sign-in/\?next=[^"]+)"', page.text).group(1)
    assert "Create an account" in page.text
    response = client.post(sign_in.replace("&amp;", "&"), {"email": INVITEE, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == link
    assert "Accept and join" in client.get(link).text


def test_a_newcomer_signs_up_confirms_and_is_brought_back_to_the_invitation(
    client, partnership_world, django_capture_on_commit_callbacks
):
    _, link = sent_link(partnership_world, django_capture_on_commit_callbacks)
    page = client.get(link)
    sign_up = re.search(r'href="(/account/sign-up/\?next=[^"]+)"', page.text).group(1)

    client.post(sign_up, {"email": INVITEE, "password": PASSWORD})
    confirm = link_in_mail()
    confirmed = client.get(confirm)
    carry_on = re.search(r'href="([^"]+)">Continue</a>', confirmed.text).group(1)
    signing_in = client.get(carry_on)  # not signed in yet: asked to, then returned
    sign_in = re.search(r'href="(/account/sign-in/\?next=[^"]+)"', signing_in.text).group(1)
    returned = client.post(sign_in, {"email": INVITEE, "password": PASSWORD})
    accepted = client.post(returned["Location"], {"answer": "accept"})

    assert carry_on == link
    assert returned.status_code == 302 and returned["Location"] == link
    assert accepted.status_code == 302
    invitee = account_services.User.objects.get(email=INVITEE)
    assert is_member(partnership_world, invitee)


def test_an_invitation_lapses_when_its_sender_no_longer_leads(
    client, partnership_world, django_capture_on_commit_callbacks
):
    invitee = UserFactory(email=INVITEE)
    _, link = sent_link(partnership_world, django_capture_on_commit_callbacks)
    lead = partnership_world.people["lead"]
    services.partnership_add_member(
        lead,
        partnership_world.partnership,
        user=partnership_world.people["outsider"],
        perspective="funder",
        role="lead",
    )
    services.partnership_member_leave(lead, partnership_world.partnership.members.get(user=lead))
    client.force_login(invitee)
    page = client.get(link)
    assert page.status_code == 410
    assert "no longer leads the partnership" in page.text
    assert client.post(link, {"answer": "accept"}).status_code == 410
    assert not is_member(partnership_world, invitee)


def test_someone_already_a_member_uses_up_the_invitation_and_keeps_their_role(partnership_world):
    invitee = UserFactory(email=INVITEE)
    invitation = invite(partnership_world, role="lead")
    # Added directly in the meantime (as the demo loader does), as an observer.
    services.partnership_add_member(
        partnership_world.people["lead"],
        partnership_world.partnership,
        user=invitee,
        perspective="funder",
        role="observer",
    )
    row, joined = services.invitation_accept(invitee, invitation)
    assert not joined and row.role == "observer"
    assert (
        partnership_world.partnership.members.filter(user=invitee, left_on__isnull=True).count()
        == 1
    )
    invitation.refresh_from_db()
    assert invitation.status == "accepted"


# ---- Withdrawing and inviting again ------------------------------------------------------------


def test_a_withdrawn_invitation_says_so(
    client, partnership_world, django_capture_on_commit_callbacks
):
    invitee = UserFactory(email=INVITEE)
    invitation, link = sent_link(partnership_world, django_capture_on_commit_callbacks)
    client.force_login(partnership_world.people["lead"])
    response = client.post(
        f"/partnerships/{partnership_world.partnership.pk}/invitations/{invitation.pk}/withdraw/",
        follow=True,
    )
    assert f"The invitation to {INVITEE} is withdrawn." in response.text
    assert "Invitations waiting for an answer" not in response.text
    client.force_login(invitee)
    page = client.get(link)
    assert page.status_code == 410 and "withdrawn by the partnership" in page.text
    assert AuditEvent.objects.filter(
        action="partnership.invitation_revoke", object_id=str(invitation.pk)
    )
    with pytest.raises(services.PartnershipError):
        services.invitation_revoke(partnership_world.people["lead"], invitation)


def test_inviting_again_replaces_the_pending_invitation(
    client, partnership_world, django_capture_on_commit_callbacks
):
    invitee = UserFactory(email=INVITEE)
    first, old_link = sent_link(partnership_world, django_capture_on_commit_callbacks)
    second, new_link = sent_link(
        partnership_world,
        django_capture_on_commit_callbacks,
        email="INVITEE@example.org ",
        role="observer",
    )
    assert old_link != new_link
    assert list(partnership_world.partnership.invitations.filter(status="pending")) == [second]
    first.refresh_from_db()
    assert first.status == "replaced"
    client.force_login(partnership_world.people["lead"])
    page = client.get(f"/partnerships/{partnership_world.partnership.pk}/").text
    assert page.count(f'<td class="govuk-table__cell">{INVITEE}</td>') == 1
    client.force_login(invitee)
    old = client.get(old_link)
    assert old.status_code == 410 and "A newer invitation was sent" in old.text
    assert client.post(new_link, {"answer": "accept"}).status_code == 302
    assert partnership_world.partnership.members.get(user=invitee).role == "observer"
    assert AuditEvent.objects.filter(
        action="partnership.invitation_replace", object_id=str(first.pk)
    )


# ---- Email after commit, limits, audit, data rights ----------------------------------------------


def test_the_email_is_sent_only_once_the_invitation_is_committed(
    partnership_world, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invite(partnership_world)
    assert mail.outbox == []  # nothing sent before the commit
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == [INVITEE]
    assert (
        message.subject
        == "You are invited to join Sale Community Wellbeing Partnership on Common Ground"
    )
    assert "lead@example.org has invited you" in message.body
    assert "as member" in message.body


def test_no_email_is_sent_for_an_invitation_rolled_back_or_refused(
    partnership_world, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            invite(partnership_world)
            raise RuntimeError("the request failed after the invitation was written")
        with pytest.raises(PermissionDenied):
            invite(partnership_world, by="member")
    assert mail.outbox == []
    assert not PartnershipInvitation.objects.exists()


def test_invitations_are_limited_per_partnership_and_per_address(client, partnership_world):
    for n in range(services.INVITATIONS_PER_PARTNERSHIP):
        invite(partnership_world, email=f"person{n}@example.org")
    with pytest.raises(services.InvitationLimit) as refused:
        invite(partnership_world, email="one-more@example.org")
    assert 0 < refused.value.retry_after <= 24 * 3600
    assert "You can send another in 24 hours" in refused.value.message
    client.force_login(partnership_world.people["lead"])
    page = post_invitation(client, partnership_world, "one-more@example.org")
    assert page.status_code == 400 and "invitations for this partnership" in page.text
    assert not PartnershipInvitation.objects.filter(email="one-more@example.org").exists()

    # The window is a rolling 24 hours: older invitations no longer count.
    PartnershipInvitation.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    for _ in range(services.INVITATIONS_PER_ADDRESS):
        invite(partnership_world, email="again@example.org")
    with pytest.raises(services.InvitationLimit, match=r"again@example\.org has been invited 3"):
        invite(partnership_world, email="again@example.org")


def test_a_lead_is_limited_across_all_their_partnerships(partnership_world, trafford_place):
    lead = partnership_world.people["lead"]
    partnerships = [partnership_world.partnership] + [
        services.partnership_create(
            lead, name=f"P{n}", purpose="x", place=trafford_place, perspective="funder"
        )
        for n in range(2)
    ]
    sent = 0
    for partnership in partnerships:
        for _ in range(services.INVITATIONS_PER_PARTNERSHIP):
            if sent == services.INVITATIONS_PER_LEAD:
                break
            services.invitation_send(
                lead,
                partnership,
                email=f"p{sent}@example.org",
                perspective="funder",
                site_url="http://testserver/",
            )
            sent += 1
    with pytest.raises(services.InvitationLimit, match="50 invitations in the last 24 hours"):
        services.invitation_send(
            lead, partnerships[-1], email="x@example.org", perspective="funder", site_url=""
        )


def test_every_invitation_write_is_audited_without_the_link(
    partnership_world, django_capture_on_commit_callbacks
):
    invitee = UserFactory(email=INVITEE)
    first, link = sent_link(partnership_world, django_capture_on_commit_callbacks)
    second = invite(partnership_world)
    services.invitation_decline(invitee, second)
    third = invite(partnership_world)
    services.invitation_revoke(partnership_world.people["lead"], third)
    events = AuditEvent.objects.filter(model="partnerships.partnershipinvitation")
    assert sorted(events.values_list("action", flat=True)) == sorted(
        [
            "partnership.invitation_send",
            "partnership.invitation_send",
            "partnership.invitation_send",
            "partnership.invitation_replace",
            "partnership.invitation_decline",
            "partnership.invitation_revoke",
        ]
    )
    token = link.rstrip("/").rsplit("/", 1)[1]
    for event in events:
        assert token not in str(event.after) and "secret" not in str(event.after)
    assert first.secret_hash not in str(list(events.values_list("after", flat=True)))


def test_the_data_download_lists_invitations_sent_and_answered(
    partnership_world, django_capture_on_commit_callbacks
):
    invitee = UserFactory(email=INVITEE)
    invitation = invite(partnership_world, role="observer")
    services.invitation_accept(invitee, invitation)
    [sent] = personal_data_export(partnership_world.people["lead"])["partnerships"][
        "invitations_sent"
    ]
    assert (
        sent["invitee"] == INVITEE and sent["status"] == "accepted" and sent["role"] == "observer"
    )
    [answered] = personal_data_export(invitee)["partnerships"]["invitations_answered"]
    assert answered == {
        "partnership": "Sale Community Wellbeing Partnership",
        "role": "observer",
        "answer": "accepted",
        "answered_at": PartnershipInvitation.objects.get().responded_at,
    }
    assert personal_data_export(invitee)["partnerships"]["invitations_sent"] == []
