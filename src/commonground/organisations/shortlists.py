"""Writes to shortlists: one function an action. Each checks on the server that the actor owns
the shortlist (core.permissions.is_owner, which accounts.permissions.shortlists builds its rules
on: the atlas sits below accounts, so it asks core; ADR 0029, ADR 0043), runs in one
transaction and records an audit event in it, so a refused or failed write leaves nothing.

A shortlist is a signed-in person's private list of organisations from the atlas. Other
contexts take its organisations further (a partnership's members, a need) through their own
services; nothing here knows of them.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from commonground.audit.services import audit_record, snapshot
from commonground.core.permissions import is_owner, is_signed_in, require

from .models import Organisation, Shortlist, ShortlistEntry

SHORTLIST_FIELDS = ["owner", "name"]
ENTRY_FIELDS = ["shortlist", "organisation", "note"]
NAME_MAX = 120
NOTE_MAX = 500
MAX_SHORTLISTS = 200  # a person's; enough for years of work, bounded against abuse
MAX_ENTRIES = 1000  # on one shortlist


class ShortlistError(Exception):
    """Input the rules refuse, with a message fit to show and the field it is about.
    `conflict` marks a clash with what is recorded (a name already used, already on the list)."""

    def __init__(self, message: str, field: str = "", *, conflict: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.conflict = conflict


def _signed_in(actor: Any) -> None:
    require(is_signed_in(actor))


def _owned(actor: Any, shortlist: Shortlist) -> Shortlist:
    """The shortlist, locked for the write, if the actor owns it."""
    _signed_in(actor)
    locked = Shortlist.objects.select_for_update().get(pk=shortlist.pk)
    require(is_owner(actor, locked.owner_id))
    return locked


def _name(value: str) -> str:
    name = " ".join((value or "").split())
    if not name:
        raise ShortlistError("Enter a name for the shortlist.", "name")
    if len(name) > NAME_MAX:
        raise ShortlistError(f"The name must be {NAME_MAX} characters or fewer.", "name")
    return name


def _note(value: str) -> str:
    note = " ".join((value or "").split())
    if len(note) > NOTE_MAX:
        raise ShortlistError(f"The note must be {NOTE_MAX} characters or fewer.", "note")
    return note


def _name_taken(actor: Any, name: str, exclude: int | None = None) -> bool:
    rows = Shortlist.objects.filter(owner_id=actor.pk, name__iexact=name)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return rows.exists()


@transaction.atomic
def shortlist_create(actor: Any, *, name: str) -> Shortlist:
    """A new, empty shortlist of the actor's. Names are the owner's own, one of each."""
    _signed_in(actor)
    name = _name(name)
    if Shortlist.objects.filter(owner_id=actor.pk).count() >= MAX_SHORTLISTS:
        raise ShortlistError(
            f"You have {MAX_SHORTLISTS} shortlists, the most allowed. Delete one first.", "name"
        )
    if _name_taken(actor, name):
        raise ShortlistError(f"You already have a shortlist called {name}.", "name", conflict=True)
    try:
        with transaction.atomic():
            shortlist = Shortlist.objects.create(owner=actor, name=name)
    except IntegrityError:  # the same name saved at the same moment
        raise ShortlistError(
            f"You already have a shortlist called {name}.", "name", conflict=True
        ) from None
    audit_record(
        actor=actor,
        action="shortlist.create",
        obj=shortlist,
        after=snapshot(shortlist, SHORTLIST_FIELDS),
    )
    return shortlist


@transaction.atomic
def shortlist_rename(actor: Any, shortlist: Shortlist, *, name: str) -> Shortlist:
    shortlist = _owned(actor, shortlist)
    name = _name(name)
    if _name_taken(actor, name, exclude=shortlist.pk):
        raise ShortlistError(f"You already have a shortlist called {name}.", "name", conflict=True)
    before = snapshot(shortlist, SHORTLIST_FIELDS)
    shortlist.name = name
    shortlist.save(update_fields=["name", "updated_at"])
    audit_record(
        actor=actor,
        action="shortlist.rename",
        obj=shortlist,
        before=before,
        after=snapshot(shortlist, SHORTLIST_FIELDS),
    )
    return shortlist


@transaction.atomic
def shortlist_delete(actor: Any, shortlist: Shortlist) -> None:
    shortlist = _owned(actor, shortlist)
    before = snapshot(shortlist, SHORTLIST_FIELDS)
    before["organisations"] = list(shortlist.entries.values_list("organisation__org_id", flat=True))
    audit_record(actor=actor, action="shortlist.delete", obj=shortlist, before=before)
    shortlist.delete()


@transaction.atomic
def shortlist_add(
    actor: Any, shortlist: Shortlist, organisation: Organisation, *, note: str = ""
) -> ShortlistEntry:
    """Save an organisation to the shortlist, with an optional note on why."""
    shortlist = _owned(actor, shortlist)
    note = _note(note)
    if shortlist.entries.filter(organisation=organisation).exists():
        raise ShortlistError(
            f"{organisation.name} is already on {shortlist.name}.", "org_id", conflict=True
        )
    if shortlist.entries.count() >= MAX_ENTRIES:
        raise ShortlistError(
            f"{shortlist.name} has {MAX_ENTRIES} organisations, the most allowed.", "org_id"
        )
    entry = ShortlistEntry.objects.create(shortlist=shortlist, organisation=organisation, note=note)
    shortlist.save(update_fields=["updated_at"])
    audit_record(
        actor=actor,
        action="shortlist.add",
        obj=entry,
        after=snapshot(entry, ENTRY_FIELDS),
    )
    return entry


@transaction.atomic
def shortlist_remove(actor: Any, entry: ShortlistEntry) -> None:
    shortlist = _owned(actor, entry.shortlist)
    before = snapshot(entry, ENTRY_FIELDS)
    audit_record(actor=actor, action="shortlist.remove", obj=entry, before=before)
    entry.delete()
    shortlist.save(update_fields=["updated_at"])
