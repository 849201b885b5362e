"""Shortlist pages: save from an organisation's page or a search result, see, download as CSV,
remove and delete; nobody else sees them; every form needs its CSRF token."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from commonground.organisations.models import Shortlist
from tests.accounts.factories import UserFactory
from tests.organisations.factories import OrganisationFactory, shortlist_of

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_a_signed_in_person_saves_an_organisation_from_its_page_to_a_new_shortlist() -> None:
    owner = UserFactory()
    organisation = OrganisationFactory(name="Trafford Befrienders")
    client = _signed_in(owner)
    page = client.get(reverse("organisations:detail", args=[organisation.org_id]))
    save_url = reverse("organisations:shortlist-save", args=[organisation.org_id])
    assert save_url in page.content.decode()
    response = client.post(
        save_url, {"shortlist": "new", "name": "Befriending", "note": "Visits at home"}
    )
    assert response.status_code == 302
    shortlist = Shortlist.objects.get(owner=owner)
    assert shortlist.name == "Befriending"
    listing = client.get(reverse("organisations:shortlist", args=[shortlist.pk])).content.decode()
    assert "Trafford Befrienders" in listing and "Visits at home" in listing


def test_saving_to_an_existing_shortlist_returns_to_the_search_it_came_from() -> None:
    owner = UserFactory()
    organisation = OrganisationFactory()
    shortlist = shortlist_of(owner, "Lunch clubs", [])
    client = _signed_in(owner)
    back = "/organisations/?q=lunch+club&place=E08000009"
    response = client.post(
        reverse("organisations:shortlist-save", args=[organisation.org_id]),
        {"shortlist": str(shortlist.pk), "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    assert shortlist.entries.get().organisation == organisation
    elsewhere = client.post(
        reverse("organisations:shortlist-save", args=[OrganisationFactory().org_id]),
        {"shortlist": str(shortlist.pk), "next": "https://evil.example/"},
    )
    assert not elsewhere["Location"].startswith("https://evil.example")


def test_a_new_shortlist_needs_a_name_and_the_page_says_so() -> None:
    client = _signed_in(UserFactory())
    response = client.post(
        reverse("organisations:shortlist-save", args=[OrganisationFactory().org_id]),
        {"shortlist": "new", "name": " "},
    )
    assert response.status_code == 400
    assert "Enter a name for the new shortlist" in response.content.decode()
    assert not Shortlist.objects.exists()


def test_signed_out_visitors_are_asked_to_sign_in_and_others_get_not_found() -> None:
    owner = UserFactory()
    shortlist = shortlist_of(owner, "Mine", [OrganisationFactory()])
    urls = [
        reverse("organisations:shortlists"),
        reverse("organisations:shortlist", args=[shortlist.pk]),
        reverse("organisations:shortlist-download", args=[shortlist.pk]),
    ]
    for url in urls:
        assert Client().get(url).status_code == 302
    stranger = _signed_in(UserFactory(is_staff=True))
    for url in urls[1:]:
        assert stranger.get(url).status_code == 404
    assert (
        stranger.post(reverse("organisations:shortlist-delete", args=[shortlist.pk])).status_code
        == 404
    )
    assert Shortlist.objects.filter(pk=shortlist.pk).exists()


def test_the_csv_download_lists_each_organisation_and_cannot_run_as_a_formula() -> None:
    owner = UserFactory()
    risky = OrganisationFactory(name='=HYPERLINK("http://evil.example")')
    plain = OrganisationFactory(name="Sale Lunch Club")
    shortlist = shortlist_of(owner, "Clubs", [risky, plain])
    response = _signed_in(owner).get(
        reverse("organisations:shortlist-download", args=[shortlist.pk])
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["org_id"] for row in rows] == [risky.org_id, plain.org_id]
    assert not rows[0]["name"].startswith("=")
    assert rows[1]["url"].endswith(f"/organisations/{plain.org_id}/")


def test_removing_and_deleting_need_the_forms_csrf_token() -> None:
    owner = UserFactory()
    shortlist = shortlist_of(owner, "Carers", [OrganisationFactory()])
    entry = shortlist.entries.get()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner)
    remove = reverse("organisations:shortlist-remove", args=[shortlist.pk, entry.pk])
    assert strict.post(remove).status_code == 403
    assert shortlist.entries.exists()
    client = _signed_in(owner)
    assert client.post(remove).status_code == 302
    assert not shortlist.entries.exists()
    assert (
        client.post(reverse("organisations:shortlist-delete", args=[shortlist.pk])).status_code
        == 302
    )
    assert not Shortlist.objects.exists()


def test_a_shortlist_page_offers_the_partnerships_its_owner_leads(partnership_world) -> None:  # type: ignore[no-untyped-def]
    lead = partnership_world.people["lead"]
    organisation = OrganisationFactory(name="Altrincham Lunch Club")
    shortlist = shortlist_of(lead, "Lunch", [organisation])
    client = _signed_in(lead)
    page = client.get(reverse("organisations:shortlist", args=[shortlist.pk])).content.decode()
    assert "Add to Sale Community Wellbeing Partnership" in page
    partnership = partnership_world.partnership
    url = reverse("partnerships:member-add-shortlist", args=[partnership.pk])
    response = client.post(url, {"shortlist": str(shortlist.pk), "role": "member"})
    assert response.status_code == 302
    assert partnership.members.filter(organisation=organisation, left_on__isnull=True).exists()
    member = _signed_in(partnership_world.people["member"])
    assert member.post(url, {"shortlist": str(shortlist.pk), "role": "member"}).status_code == 403
