"""The likely partners of an appraisal: organisation ids from the atlas or a shortlist, named
for people (the question page, the results page and the decision record)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from commonground.organisations.models import Identifier, Organisation
from commonground.organisations.shortlist_selectors import shortlist_entries, shortlists_of

MAX_PARTNERS = 20


def find(org_ids: Iterable[str]) -> dict[str, Organisation]:
    """The atlas organisation each id names, by its preferred id or any identifier it holds."""
    wanted = [i for i in dict.fromkeys(org_ids) if i]
    found = {o.org_id: o for o in Organisation.objects.filter(org_id__in=wanted)}
    rest = [i for i in wanted if i not in found]
    if rest:
        for ident in Identifier.objects.filter(value__in=rest).select_related("organisation"):
            found[ident.value] = ident.organisation
    return found


def labels(org_ids: list[str]) -> list[str]:
    """'Name (id)' for each id, in order; an id the atlas does not hold says so."""
    found = find(org_ids)
    return [f"{found[i].name} ({i})" if i in found else f"{i} (not in the atlas)" for i in org_ids]


def choices(user: Any, chosen: list[str]) -> list[tuple[str, str]]:
    """What the question offers: the organisations already chosen, then those on the person's
    own shortlists (each once), as (preferred id, 'Name (id), on shortlist ...')."""
    out: dict[str, str] = dict(zip(chosen, labels(chosen), strict=True))
    if getattr(user, "is_authenticated", False):
        for shortlist in shortlists_of(user):
            for entry in shortlist_entries(shortlist):
                org = entry.organisation
                label = f"{org.name} ({org.org_id}), on \u201c{shortlist.name}\u201d"
                out.setdefault(org.org_id, label)
    return list(out.items())


def parse_typed(text: str) -> list[str]:
    """The ids typed into the box: separated by commas, spaces or new lines."""
    return [part for part in text.replace(",", " ").split() if part]
