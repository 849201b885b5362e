"""Candidate organisations for parties, and the best-scoring one for each party."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from commonground.organisations.models import Organisation
from commonground.organisations.search.normalise import normalise

from .names import name_key, postcode_parts
from .types import Party


@dataclass(frozen=True)
class Match:
    organisation_id: int
    probability: float
    evidence: list[dict[str, Any]] = field(default_factory=list)


def _name_variants(name: str) -> set[str]:
    key = name_key(name)
    return {
        normalise(name),
        key,
        f"the {key}",
        f"{key} limited",
        f"the {key} limited",
        f"{key} cio",
        f"{key} cic",
    }


def exact_candidates(parties: Iterable[Party]) -> dict[str, list[Organisation]]:
    """Organisations whose normalised name is the party's, give or take legal-form words."""
    wanted: dict[str, set[str]] = {}
    for party in parties:
        if not name_key(party.name):
            continue
        for variant in _name_variants(party.name):
            wanted.setdefault(variant, set()).add(party.key)
    found: dict[str, list[Organisation]] = {}
    names = list(wanted)
    for start in range(0, len(names), 500):
        for org in Organisation.objects.filter(search_name__in=names[start : start + 500]).only(
            "id", "name", "postcode", "search_name"
        ):
            for key in wanted.get(org.search_name, ()):
                found.setdefault(key, []).append(org)
    return found


def best_matches(
    parties: list[Party], exclude: dict[str, set[int]] | None = None
) -> dict[Party, Match]:
    exclude = exclude or {}
    candidates = exact_candidates(parties)
    best: dict[Party, Match] = {}
    for party in parties:
        postcode = postcode_parts(party.postcode)[0]
        for org in candidates.get(party.key, []):
            if org.pk in exclude.get(party.key, set()):
                continue
            same_place = not postcode or not org.postcode or org.postcode == postcode
            match = Match(org.pk, 0.95 if same_place else 0.7)
            if party not in best or match.probability > best[party].probability:
                best[party] = match
    return best
