"""Shortlists: a signed-in person's own saved lists of organisations, private, audited."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from commonground.accounts import permissions
from commonground.accounts.data_rights import EXPORTERS
from commonground.audit.models import AuditEvent
from commonground.organisations.models import Shortlist, ShortlistEntry
from commonground.organisations.shortlist_selectors import (
    shortlist_entries,
    shortlist_of,
    shortlists_holding,
    shortlists_of,
)
from commonground.organisations.shortlists import (
    ShortlistError,
    shortlist_add,
    shortlist_create,
    shortlist_delete,
    shortlist_remove,
    shortlist_rename,
)
from tests.accounts.factories import UserFactory
from tests.organisations.factories import OrganisationFactory
from tests.organisations.factories import shortlist_of as make_shortlist

pytestmark = pytest.mark.django_db


def test_a_person_saves_organisations_to_a_named_shortlist_in_the_order_added() -> None:
    owner = UserFactory()
    first, second = OrganisationFactory(name="Befrienders"), OrganisationFactory(name="Lunch club")
    shortlist = shortlist_create(owner, name="  Befriending,   Trafford ")
    shortlist_add(owner, shortlist, second, note="Runs a Tuesday lunch")
    shortlist_add(owner, shortlist, first)
    assert shortlist.name == "Befriending, Trafford"
    assert [e.organisation.name for e in shortlist_entries(shortlist)] == [
        "Lunch club",
        "Befrienders",
    ]
    assert shortlist_entries(shortlist)[0].note == "Runs a Tuesday lunch"
    assert shortlists_of(owner).get().size == 2
    assert shortlists_holding(owner, first) == {shortlist.pk}


def test_every_shortlist_write_is_audited_with_its_actor() -> None:
    owner = UserFactory()
    organisation = OrganisationFactory()
    shortlist = shortlist_create(owner, name="Carers")
    entry = shortlist_add(owner, shortlist, organisation)
    shortlist_rename(owner, shortlist, name="Carers' support")
    shortlist_remove(owner, entry)
    shortlist_delete(owner, shortlist)
    events = AuditEvent.objects.filter(action__startswith="shortlist.").order_by("pk")
    assert [e.action for e in events] == [
        "shortlist.create",
        "shortlist.add",
        "shortlist.rename",
        "shortlist.remove",
        "shortlist.delete",
    ]
    assert {e.actor_id for e in events} == {owner.pk}
    assert events[2].before["name"] == "Carers" and events[2].after["name"] == "Carers' support"
    assert not Shortlist.objects.exists() and not ShortlistEntry.objects.exists()


def test_nobody_else_sees_or_changes_a_shortlist_not_even_a_platform_administrator() -> None:
    owner, stranger = UserFactory(), UserFactory()
    admin = UserFactory(is_staff=True)
    shortlist = make_shortlist(owner, "Mine", [OrganisationFactory()])
    for person in (stranger, admin):
        assert shortlist_of(person, shortlist.pk) is None
        assert not shortlists_of(person).exists()
        assert not permissions.can_view(person, shortlist)
        assert not permissions.can_change(person, shortlist.entries.get())
        with pytest.raises(PermissionDenied):
            shortlist_add(person, shortlist, OrganisationFactory())
        with pytest.raises(PermissionDenied):
            shortlist_delete(person, shortlist)
    assert permissions.can_view(owner, shortlist) and permissions.can_change(owner, shortlist)
    assert shortlist.entries.count() == 1


def test_the_owner_loses_their_shortlist_once_their_account_is_switched_off() -> None:
    """The rules (accounts.permissions) and the writes (organisations.shortlists) ask the same
    owner question, so they cannot disagree."""
    owner = UserFactory()
    shortlist = make_shortlist(owner, "Mine", [OrganisationFactory()])
    owner.is_active = False

    assert not permissions.can_view(owner, shortlist)
    assert not permissions.can_change(owner, shortlist)
    assert shortlist_of(owner, shortlist.pk) is None
    with pytest.raises(PermissionDenied):
        shortlist_rename(owner, shortlist, name="Still mine")
    shortlist.refresh_from_db()
    assert shortlist.name == "Mine"


def test_a_signed_out_visitor_cannot_make_a_shortlist() -> None:
    with pytest.raises(PermissionDenied):
        shortlist_create(AnonymousUser(), name="Anything")
    assert not permissions.can_create_shortlist(AnonymousUser())


def test_names_are_one_of_each_per_person_and_an_organisation_is_on_a_list_once() -> None:
    owner, other = UserFactory(), UserFactory()
    organisation = OrganisationFactory()
    shortlist = make_shortlist(owner, "Older people", [organisation])
    with pytest.raises(ShortlistError) as taken:
        shortlist_create(owner, name="older PEOPLE")
    assert taken.value.conflict and taken.value.field == "name"
    assert shortlist_create(other, name="Older people").owner == other  # names are one's own
    with pytest.raises(ShortlistError) as twice:
        shortlist_add(owner, shortlist, organisation)
    assert twice.value.conflict and organisation.name in twice.value.message
    with pytest.raises(ShortlistError, match="Enter a name"):
        shortlist_create(owner, name="   ")
    with pytest.raises(ShortlistError, match="500 characters"):
        shortlist_add(owner, shortlist, OrganisationFactory(), note="x" * 501)


def test_a_persons_data_export_includes_their_shortlists() -> None:
    owner = UserFactory()
    organisation = OrganisationFactory(name="Sale Lunch Club")
    shortlist = make_shortlist(owner, "Lunch clubs", [])
    shortlist_add(owner, shortlist, organisation, note="Near the station")
    exported = EXPORTERS["shortlists"](owner)
    assert exported[0]["name"] == "Lunch clubs"
    assert exported[0]["organisations"][0]["organisation_id"] == organisation.org_id
    assert exported[0]["organisations"][0]["note"] == "Near the station"
    assert EXPORTERS["shortlists"](UserFactory()) == []
