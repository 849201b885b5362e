"""`load_demo_profiles` on the real Trafford atlas: the example people act for the organisations
their partnership roles name, so their perspective agrees everywhere, and Age UK Trafford has a
partnership profile with services written by its example member. Re-running changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from commonground.accounts.selectors import perspectives_of
from commonground.profiles.models import PartnershipProfile, Service
from tests.organisations.factories import OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trafford")]


def load() -> None:
    OrganisationFactory(org_id="GB-LAE-TRF", name="Trafford Council", sector="public_body")
    call_command("load_demo_partnerships", stdout=StringIO())
    call_command("load_demo_profiles", stdout=StringIO())


def test_age_uk_trafford_has_a_profile_and_services_written_by_its_example_member() -> None:
    load()
    profile = PartnershipProfile.objects.get(organisation__org_id="GB-CHC-1109047")
    assert profile.open_to_partnership == "conditions" and "grant" in profile.routes
    assert profile.updated_by.username == "provider.one@example.org"
    services = Service.objects.filter(organisation=profile.organisation)
    assert services.count() == 2
    assert all(s.places.filter(gss_code="E08000009").exists() for s in services)


def test_example_people_speak_from_the_perspective_their_partnership_role_names() -> None:
    load()
    assert [
        p.value for p in perspectives_of(User.objects.get(username="commissioner@example.org"))
    ] == ["commissioner"]
    for email in ("provider.one@example.org", "provider.two@example.org"):
        assert [p.value for p in perspectives_of(User.objects.get(username=email))] == ["provider"]
    client = Client()
    client.force_login(User.objects.get(username="commissioner@example.org"))
    page = client.get(reverse("accounts:account")).content.decode()
    assert "Commissioner" in page and "Community member" not in page


def test_loading_the_example_profiles_twice_changes_nothing() -> None:
    load()
    out = StringIO()
    call_command("load_demo_profiles", stdout=out)
    assert PartnershipProfile.objects.count() == 1
    assert Service.objects.count() == 2
    assert "0 organisation memberships" in out.getvalue()
