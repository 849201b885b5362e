"""Who can see and do what with a saved appraisal: exact status codes for each kind of person.
Platform administrators get no special access: an appraisal is private work."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonground.commissioning.models import Appraisal

from .conftest import WHO, sign_in

pytestmark = pytest.mark.django_db

VIEW = {"author": 200, "shared_with": 200, "outsider": 404, "admin": 404}


def expected(who, table):
    return 302 if who == "anonymous" else table[who]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", ["commissioning:appraisal", "commissioning:appraisal-pdf"])
def test_viewing_a_saved_appraisal(client, people, who, name):
    sign_in(client, people, who)
    response = client.get(reverse(name, args=[people.appraisal.pk]))
    assert response.status_code == expected(who, VIEW)


@pytest.mark.parametrize("who", WHO)
def test_the_list_shows_own_and_shared_appraisals_only(client, people, who):
    sign_in(client, people, who)
    response = client.get(reverse("commissioning:appraisals"))
    if who == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert ("Day services 2026" in response.content.decode()) is (who in ("author", "shared_with"))


@pytest.mark.parametrize("who", WHO)
def test_copying(client, people, who):
    sign_in(client, people, who)
    before = Appraisal.objects.count()
    response = client.post(reverse("commissioning:appraisal-copy", args=[people.appraisal.pk]))
    if who in ("author", "shared_with"):
        assert response.status_code == 302
        copy = Appraisal.objects.exclude(pk=people.appraisal.pk).get()
        assert copy.author == people.by_role[who]
        assert copy.answers == people.appraisal.answers
        assert copy.name == "Copy of Day services 2026"
    else:
        assert response.status_code == expected(who, VIEW)
        assert Appraisal.objects.count() == before


SHARE = {"author": 302, "shared_with": 403, "outsider": 404, "admin": 404}


@pytest.mark.parametrize("who", WHO)
def test_sharing(client, people, who):
    sign_in(client, people, who)
    response = client.post(
        reverse("commissioning:appraisal-share", args=[people.appraisal.pk]),
        {"email": "outsider@example.org"},
    )
    assert response.status_code == expected(who, SHARE)
    shared = people.outsider.pk in people.appraisal.shared_with_ids
    assert shared is (who == "author")


def test_sharing_with_an_unknown_email_is_refused_inline(client, people):
    client.force_login(people.author)
    response = client.post(
        reverse("commissioning:appraisal-share", args=[people.appraisal.pk]),
        {"email": "nobody@example.org"},
    )
    assert response.status_code == 200
    assert "There is no Common Ground account" in response.content.decode()


@pytest.mark.parametrize("who", WHO)
def test_unsharing(client, people, who):
    sign_in(client, people, who)
    response = client.post(
        reverse(
            "commissioning:appraisal-unshare",
            args=[people.appraisal.pk, people.shared_with.pk],
        )
    )
    assert response.status_code == expected(who, SHARE)
    assert (people.shared_with.pk in people.appraisal.shared_with_ids) is (who != "author")


@pytest.mark.parametrize("who", WHO)
def test_deleting(client, people, who):
    sign_in(client, people, who)
    response = client.post(reverse("commissioning:appraisal-delete", args=[people.appraisal.pk]))
    assert response.status_code == expected(who, SHARE)
    assert Appraisal.objects.filter(pk=people.appraisal.pk).exists() is (who != "author")


def test_a_deleted_author_is_shown_as_deleted_account(client, people):
    from commonground.accounts.services import account_delete

    account_delete(people.author)
    client.force_login(people.shared_with)
    page = client.get(reverse("commissioning:appraisal", args=[people.appraisal.pk]))
    assert "Deleted account" in page.content.decode()


def test_data_download_includes_the_persons_appraisals(people):
    from commonground.accounts.data_rights import EXPORTERS

    exported = EXPORTERS["commissioning"](people.author)
    assert [a["name"] for a in exported] == ["Day services 2026"]
    assert EXPORTERS["commissioning"](people.shared_with) == []
