"""Profiles more than a year old: their owners are asked once to renew them, by email, and
asked again only after the profile is renewed and goes stale again."""

from __future__ import annotations

from io import StringIO

from django.core import mail
from django.core.management import call_command

from commonground.audit.models import AuditEvent
from commonground.profiles import services
from commonground.profiles.models import PartnershipProfile

from .factories import ProfileFactory, a_year_and_a_day_ago


def remind(*args: str) -> str:
    out = StringIO()
    call_command("remind_stale_profiles", *args, stdout=out)
    return out.getvalue()


def test_the_owners_of_a_stale_profile_are_asked_once_to_renew_it(
    profile_world, django_capture_on_commit_callbacks
) -> None:
    w = profile_world
    stale = ProfileFactory(organisation=w.charity, confirmed_at=a_year_and_a_day_ago())
    ProfileFactory(organisation=w.other)  # confirmed today: not asked
    listed = remind("--dry-run")
    assert "Synthetic later life charity" in listed and "1 people would be asked" in listed
    assert w.owner.email not in listed and not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        said = remind("--site-url", "https://commonground.example/")
    assert "1 stale profiles not yet asked" in said and w.owner.email not in said
    # Only the person who acts for it (not a volunteer member, a pending one or others).
    assert [m.to for m in mail.outbox] == [[w.owner.email]]
    body = mail.outbox[0].body
    assert f"https://commonground.example/organisations/{w.charity.org_id}/profile/edit" in body
    assert AuditEvent.objects.filter(action="profile.renewal_asked").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert "0 stale profiles" in remind()
    assert len(mail.outbox) == 1
    stale.refresh_from_db()
    services.profile_confirm(w.owner, stale, version=stale.version)
    assert PartnershipProfile.objects.get(pk=stale.pk).renewal_asked_at is None
