"""Every write records who, what, when, before and after, and from where; administrators
search the trail; nothing in the application can change or delete it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.utils import timezone

from commonground.audit.models import AuditEvent, AuditTrailIsAppendOnly
from commonground.audit.origin import Origin, client_ip
from commonground.audit.services import audit_record
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_record_keeps_who_what_when_before_after_and_where() -> None:
    user = UserFactory(email="sam@example.org")
    origin = Origin(ip="192.0.2.10", user_agent="Firefox/140", channel="web")

    event = audit_record(
        actor=user,
        action="thing.change",
        model="things.thing",
        object_id=42,
        before={"amount_pence": 100, "on": dt.date(2026, 4, 1)},
        after={"amount_pence": 250},
        origin=origin,
    )

    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.actor, event.action, event.model, event.object_id) == (
        user,
        "thing.change",
        "things.thing",
        "42",
    )
    assert event.before == {"amount_pence": 100, "on": "2026-04-01"}
    assert event.after == {"amount_pence": 250}
    assert (event.ip, event.user_agent, event.channel) == ("192.0.2.10", "Firefox/140", "web")
    assert event.at is not None


def test_writes_through_pages_record_the_clients_address_and_browser(client) -> None:
    client.post(
        "/account/sign-up/",
        {"email": "sam@example.org", "password": "correct horse battery staple"},
        REMOTE_ADDR="198.51.100.4",
        HTTP_USER_AGENT="TestBrowser/1.0",
    )

    event = AuditEvent.objects.get(action="account.sign_up")
    assert (event.ip, event.user_agent, event.channel) == ("198.51.100.4", "TestBrowser/1.0", "web")


def test_writes_outside_a_request_say_so() -> None:
    event = audit_record(actor=None, action="thing.import", model="things.thing")

    assert (event.ip, event.channel, event.actor) == (None, "process", None)


def test_behind_a_trusted_proxy_the_forwarded_address_is_used_and_otherwise_ignored(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )

    settings.COMMONGROUND_TRUSTED_PROXIES = 0
    assert client_ip(request) == "10.0.0.1"
    settings.COMMONGROUND_TRUSTED_PROXIES = 1
    assert client_ip(request) == "203.0.113.9"  # not the 6.6.6.6 the client could forge


def test_an_event_cannot_be_changed_or_deleted() -> None:
    event = audit_record(actor=None, action="thing.create", model="things.thing")

    event.action = "thing.nothing"
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "thing.create"


def test_the_admin_shows_events_read_only(rf, people) -> None:
    admin = site._registry[AuditEvent]
    request = rf.get("/admin/")
    request.user = people["staff"]
    people["staff"].is_superuser = True

    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request)
    assert not admin.has_delete_permission(request)


def test_the_admin_page_for_an_event_has_no_save_or_delete(client, people) -> None:
    staff = people["staff"]
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    event = AuditEvent.objects.first()

    page = client.get(f"/admin/audit/auditevent/{event.pk}/change/")
    deleting = client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})

    assert page.status_code == 200 and 'name="_save"' not in page.text
    assert deleting.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_administrators_search_by_person_action_record_and_date(client, people, charity) -> None:
    client.force_login(people["staff"])
    today = timezone.localdate().isoformat()

    by_person = client.get("/audit/", {"actor": "chair@charity"})
    by_action = client.get("/audit/", {"action": "membership.approve"})
    by_record = client.get("/audit/", {"model": "accounts.membership", "action": "membership"})
    by_date = client.get("/audit/", {"date_from": "2000-01-01", "date_to": "2000-12-31"})
    today_only = client.get("/audit/", {"date_from": today, "date_to": today})

    assert {e.actor.email for e in by_person.context["page"]} == {"chair@charity.example"}
    assert {e.action for e in by_action.context["page"]} == {"membership.approve"}
    assert by_action.context["page"].paginator.count == 2
    assert {e.model for e in by_record.context["page"]} == {"accounts.membership"}
    assert by_date.context["page"].paginator.count == 0
    assert today_only.context["page"].paginator.count == AuditEvent.objects.count()


def test_a_bad_filter_is_explained_not_ignored(client, people) -> None:
    client.force_login(people["staff"])

    response = client.get("/audit/", {"date_from": "31/02/2026", "ip": "not-an-ip"})

    assert "Enter a real date, like 2026-11-27" in response.text
    assert "Enter an IP address, like 192.0.2.1" in response.text
