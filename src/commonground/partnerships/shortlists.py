"""Taking a shortlist into a partnership: a lead adds the organisations they saved, each as the
member add of the partnership's own flow would (partnerships.services.partnership_add_member),
in one transaction and each audited there.

Organisations are added, not emailed: an organisation joins a partnership as a member from the
atlas, and the people who act for it are invited by email one by one (ADR 0015)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction

from commonground.accounts import permissions
from commonground.organisations.models import Organisation, Shortlist
from commonground.organisations.shortlist_selectors import shortlist_entries

from . import services
from .models import MemberRole, Partnership, PartnershipMember


@dataclass
class ShortlistTaken:
    """What taking a shortlist did: who joined, and who was a member already."""

    added: list[PartnershipMember] = field(default_factory=list)
    already: list[Organisation] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"{len(self.added)} organisation{'s' if len(self.added) != 1 else ''} added"
            if self.added
            else "No organisations added"
        ]
        if self.already:
            parts.append(
                f"{len(self.already)} {'was' if len(self.already) == 1 else 'were'} already "
                f"{'a member' if len(self.already) == 1 else 'members'}"
            )
        return "; ".join(parts) + "."


@transaction.atomic
def partnership_add_shortlist(
    actor: User,
    partnership: Partnership,
    shortlist: Shortlist,
    *,
    perspective: str = "",
    role: str = MemberRole.MEMBER,
) -> ShortlistTaken:
    """Add every organisation on the actor's shortlist to a partnership they lead. Those already
    current members are left as they are and named. Without a perspective each organisation's
    follows from its sector."""
    permissions.require(permissions.can_view_shortlist(actor, shortlist))
    permissions.require(permissions.can_manage_partnership_members(actor, partnership))
    current = set(
        partnership.members.filter(left_on__isnull=True, organisation__isnull=False).values_list(
            "organisation_id", flat=True
        )
    )
    taken = ShortlistTaken()
    for entry in shortlist_entries(shortlist):
        organisation = entry.organisation
        if organisation.pk in current:
            taken.already.append(organisation)
            continue
        taken.added.append(
            services.partnership_add_member(
                actor, partnership, organisation=organisation, perspective=perspective, role=role
            )
        )
        current.add(organisation.pk)
    if not taken.added and not taken.already:
        raise services.PartnershipError(f"{shortlist.name} has no organisations.", "shortlist")
    return taken
