"""Who can see and do what with a saved appraisal: exact status codes for each kind of person.
Platform administrators get no special access: an appraisal is private work."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from commonground.audit.models import AuditEvent
from commonground.commissioning.models import Appraisal
from tests.commissioning.factories import WHO, sign_in

pytestmark = pytest.mark.django_db

VIEW = {"author": 200, "shared_with": 200, "outsider": 404, "admin": 404}


def expected(who, table):
    return 302 if who == "anonymous" else table[who]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", ["commissioning:appraisal", "commissioning:appraisal-pdf"])
def test_viewing_a_saved_appraisal(client, appraisal_people, who, name):
    sign_in(client, appraisal_people, who)
    response = client.get(reverse(name, args=[appraisal_people.appraisal.pk]))
    assert response.status_code == expected(who, VIEW)


@pytest.mark.parametrize("who", WHO)
def test_the_list_shows_own_and_shared_appraisals_only(client, appraisal_people, who):
    sign_in(client, appraisal_people, who)
    response = client.get(reverse("commissioning:appraisals"))
    if who == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert ("Day services 2026" in response.content.decode()) is (who in ("author", "shared_with"))


@pytest.mark.parametrize("who", WHO)
def test_copying(client, appraisal_people, who):
    sign_in(client, appraisal_people, who)
    before = Appraisal.objects.count()
    response = client.post(
        reverse("commissioning:appraisal-copy", args=[appraisal_people.appraisal.pk])
    )
    if who in ("author", "shared_with"):
        assert response.status_code == 302
        copy = Appraisal.objects.exclude(pk=appraisal_people.appraisal.pk).get()
        assert copy.author == appraisal_people.by_role[who]
        assert copy.answers == appraisal_people.appraisal.answers
        assert copy.name == "Copy of Day services 2026"
    else:
        assert response.status_code == expected(who, VIEW)
        assert Appraisal.objects.count() == before


SHARE = {"author": 302, "shared_with": 403, "outsider": 404, "admin": 404}


@pytest.mark.parametrize("who", WHO)
def test_only_the_author_can_share_and_sharing_adds_no_one_until_they_accept(
    client, appraisal_people, who
):
    sign_in(client, appraisal_people, who)
    response = client.post(
        reverse("commissioning:appraisal-share", args=[appraisal_people.appraisal.pk]),
        {"email": "outsider@example.org"},
    )
    assert response.status_code == expected(who, SHARE)
    assert appraisal_people.outsider.pk not in appraisal_people.appraisal.shared_with_ids
    invited = appraisal_people.appraisal.invitations.filter(email="outsider@example.org").exists()
    assert invited is (who == "author")


def _share(client, appraisal_people, email):
    client.force_login(appraisal_people.author)
    mail.outbox.clear()
    response = client.post(
        reverse("commissioning:appraisal-share", args=[appraisal_people.appraisal.pk]),
        {"email": email},
        follow=True,
    )
    page = response.content.decode().replace(email, "ADDRESS")
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    # The author's own list of invitations waiting for an answer grows with each; the rest of
    # the page must not differ.
    page = re.sub(r"Invitations waiting for an answer.*?</ul>", "", page, flags=re.S)
    return response.status_code, page


def test_the_share_form_answers_the_same_whether_or_not_the_address_has_an_account(
    client, appraisal_people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = _share(client, appraisal_people, "outsider@example.org")
    known_mail = [m.to for m in mail.outbox]
    with django_capture_on_commit_callbacks(execute=True):
        unknown = _share(client, appraisal_people, "nobody@example.org")
    unknown_mail = [m.to for m in mail.outbox]
    assert known[0] == unknown[0] == 200
    assert known[1] == unknown[1]
    assert "Invitation sent to ADDRESS" in known[1]
    assert "There is no Common Ground account" not in unknown[1]
    assert known_mail == [["outsider@example.org"]] and unknown_mail == [["nobody@example.org"]]


def _link(appraisal_people, email, client, django_capture_on_commit_callbacks):
    client.force_login(appraisal_people.author)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("commissioning:appraisal-share", args=[appraisal_people.appraisal.pk]),
            {"email": email},
        )
    body = mail.outbox[-1].body
    return next(line for line in body.splitlines() if "/appraisals/shared/" in line).strip()


def test_the_person_invited_accepts_and_only_then_sees_it_audited(
    client, appraisal_people, django_capture_on_commit_callbacks
):
    link = _link(
        appraisal_people, "outsider@example.org", client, django_capture_on_commit_callbacks
    )
    path = link.replace("http://testserver", "")
    client.force_login(appraisal_people.outsider)
    assert appraisal_people.outsider.pk not in appraisal_people.appraisal.shared_with_ids
    page = client.get(path).content.decode()
    assert "Day services 2026" in page and "Accept" in page
    response = client.post(path, {"answer": "accept"})
    assert response["Location"] == reverse(
        "commissioning:appraisal", args=[appraisal_people.appraisal.pk]
    )
    assert appraisal_people.outsider.pk in appraisal_people.appraisal.shared_with_ids
    actions = list(
        AuditEvent.objects.filter(action__startswith="appraisal.share").values_list(
            "action", flat=True
        )
    )
    assert "appraisal.share_invite" in actions and "appraisal.share_accept" in actions
    assert client.post(path, {"answer": "accept"}).status_code == 410  # used once


def test_someone_else_following_the_link_cannot_accept_or_see_the_appraisal(
    client, appraisal_people, django_capture_on_commit_callbacks
):
    link = _link(
        appraisal_people, "outsider@example.org", client, django_capture_on_commit_callbacks
    )
    path = link.replace("http://testserver", "")
    client.force_login(appraisal_people.shared_with)
    page = client.get(path).content.decode()
    assert "sent to another email address" in page
    assert "Day services 2026" not in page
    client.post(path, {"answer": "accept"})
    assert (
        appraisal_people.appraisal.invitations.get(email="outsider@example.org").status == "pending"
    )


def test_declining_adds_nothing(client, appraisal_people, django_capture_on_commit_callbacks):
    link = _link(
        appraisal_people, "outsider@example.org", client, django_capture_on_commit_callbacks
    )
    client.force_login(appraisal_people.outsider)
    client.post(link.replace("http://testserver", ""), {"answer": "decline"})
    assert appraisal_people.outsider.pk not in appraisal_people.appraisal.shared_with_ids


def test_a_made_up_link_is_not_found(client, appraisal_people):
    client.force_login(appraisal_people.outsider)
    assert client.get("/appraisals/shared/made-up/").status_code == 404


@pytest.mark.parametrize("who", WHO)
def test_unsharing(client, appraisal_people, who):
    sign_in(client, appraisal_people, who)
    response = client.post(
        reverse(
            "commissioning:appraisal-unshare",
            args=[appraisal_people.appraisal.pk, appraisal_people.shared_with.pk],
        )
    )
    assert response.status_code == expected(who, SHARE)
    assert (appraisal_people.shared_with.pk in appraisal_people.appraisal.shared_with_ids) is (
        who != "author"
    )


def test_unsharing_records_only_a_real_change_in_the_audit_trail(client, appraisal_people):
    client.force_login(appraisal_people.author)
    url = "commissioning:appraisal-unshare"
    pk = appraisal_people.appraisal.pk
    client.post(reverse(url, args=[pk, appraisal_people.outsider.pk]))  # never shared with
    client.post(reverse(url, args=[pk, appraisal_people.shared_with.pk]))
    client.post(reverse(url, args=[pk, appraisal_people.shared_with.pk]))  # already stopped
    events = AuditEvent.objects.filter(action="appraisal.unshare", object_id=str(pk))
    assert [e.before for e in events] == [{"shared_with": appraisal_people.shared_with.pk}]


@pytest.mark.parametrize("who", WHO)
def test_deleting(client, appraisal_people, who):
    sign_in(client, appraisal_people, who)
    response = client.post(
        reverse("commissioning:appraisal-delete", args=[appraisal_people.appraisal.pk])
    )
    assert response.status_code == expected(who, SHARE)
    assert Appraisal.objects.filter(pk=appraisal_people.appraisal.pk).exists() is (who != "author")


def test_a_deleted_author_is_shown_as_deleted_account(client, appraisal_people):
    from commonground.accounts.services import account_delete

    account_delete(appraisal_people.author)
    client.force_login(appraisal_people.shared_with)
    page = client.get(reverse("commissioning:appraisal", args=[appraisal_people.appraisal.pk]))
    assert "Deleted account" in page.content.decode()


def test_data_download_includes_the_persons_appraisals(appraisal_people):
    from commonground.accounts.data_rights import EXPORTERS

    exported = EXPORTERS["commissioning"](appraisal_people.author)
    assert [a["name"] for a in exported] == ["Day services 2026"]
    assert EXPORTERS["commissioning"](appraisal_people.shared_with) == []
