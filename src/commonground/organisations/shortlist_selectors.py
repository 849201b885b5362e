"""Reads of shortlists: a person sees only their own (accounts.permissions.shortlists)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Organisation, Shortlist, ShortlistEntry, ShortlistQuerySet


def shortlists_of(user: Any) -> ShortlistQuerySet:
    """The person's own shortlists, most recently changed first, each with its `size`."""
    return Shortlist.objects.owned_by(user).with_sizes()


def shortlist_of(user: Any, pk: int) -> Shortlist | None:
    """One of the person's own shortlists, or None (another's is as unknown as a missing one)."""
    return Shortlist.objects.owned_by(user).filter(pk=pk).first()


def shortlist_entries(shortlist: Shortlist) -> QuerySet[ShortlistEntry]:
    """Its organisations in the order they were added, with their places for display."""
    return shortlist.entries.select_related(
        "organisation", "organisation__local_authority", "organisation__ward"
    ).order_by("added_at", "pk")


def shortlists_holding(user: Any, organisation: Organisation) -> set[int]:
    """Which of the person's shortlists already have the organisation."""
    return set(
        ShortlistEntry.objects.filter(
            shortlist__in=Shortlist.objects.owned_by(user), organisation=organisation
        ).values_list("shortlist_id", flat=True)
    )
