"""Candidate organisations for parties from the database, and the best one for each party.

Candidates come from indexed queries (names equal give or take legal-form words, the
full-text index on the name's words, the same postcode); the model (model.py) then scores each
party against its candidates' union on DuckDB in-process. A party's place (the local
authorities its source names) is compared with each candidate's local authority; it finds no
candidates itself."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from commonground.organisations.models import Organisation
from commonground.organisations.search import query as sql
from commonground.organisations.search.normalise import normalise

from . import model
from .names import JOINING_WORDS, name_key, postcode_parts, singular
from .types import Party
from .words import names_with

# Splink reports every step at INFO; the import logs say what matters.
logging.getLogger("splink").setLevel(logging.WARNING)

CANDIDATES_PER_QUERY = 10
# Two candidates this close to each other are not told apart by the model: a reviewer decides.
AMBIGUOUS_MARGIN = 0.05


@dataclass(frozen=True)
class Match:
    organisation_id: int
    probability: float
    evidence: list[dict[str, Any]] = field(default_factory=list)
    ambiguous: bool = False


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


def _exact_name_ids(parties: list[Party]) -> set[int]:
    names = sorted({v for p in parties if name_key(p.name) for v in _name_variants(p.name)})
    ids: set[int] = set()
    for start in range(0, len(names), 500):
        ids.update(
            Organisation.objects.filter(search_name__in=names[start : start + 500]).values_list(
                "id", flat=True
            )
        )
    return ids


def _postcode_ids(parties: list[Party]) -> set[int]:
    postcodes = sorted({pc for p in parties if (pc := postcode_parts(p.postcode)[0])})
    ids: set[int] = set()
    for start in range(0, len(postcodes), 500):
        ids.update(
            Organisation.objects.filter(postcode__in=postcodes[start : start + 500]).values_list(
                "id", flat=True
            )
        )
    return ids


def _text_ids(party: Party) -> set[int]:
    """The best full-text matches on all the name's words, and on its two rarest words in
    organisations' names (which survives a misspelt, missing or extra common word, and asks
    the index for the words that tell organisations apart)."""
    words = name_key(party.name).split()
    ids: set[int] = set()
    rarest = sorted(
        (w for w in words if w not in JOINING_WORDS),
        key=lambda w: (names_with(singular(w)), -len(w), w),
    )[:2]
    for terms in {tuple(words), tuple(rarest)}:
        if not terms or not any(len(t) > 2 for t in terms):
            continue
        text = sql.TextQuery(terms=terms, last_typed="")
        # The last term is matched as a prefix by the search; for linkage a whole word is meant,
        # but the model then scores the candidates, so a few extra ones cost nothing.
        ids.update(sql.ordered_ids(sql.Conditions(), text, True, limit=CANDIDATES_PER_QUERY))
    return ids


def candidate_rows(parties: list[Party]) -> list[dict[str, Any]]:
    ids = _exact_name_ids(parties) | _postcode_ids(parties)
    for party in parties:
        ids |= _text_ids(party)
    rows = []
    id_list = sorted(ids)
    for start in range(0, len(id_list), 500):
        for org_id, name, postcode, authority in Organisation.objects.filter(
            id__in=id_list[start : start + 500]
        ).values_list("id", "name", "postcode", "local_authority__gss_code"):
            rows.append(
                {
                    "unique_id": str(org_id),
                    "name": name,
                    "postcode": postcode,
                    "places": [authority] if authority else [],
                }
            )
    return rows


def evidence_for(pair: model.ScoredPair) -> list[dict[str, Any]]:
    evidence = [
        {"field": "name", "level": model.NAME_LEVELS[pair.name_level]},
        {"field": "postcode", "level": model.POSTCODE_LEVELS[pair.postcode_level]},
    ]
    if pair.place_level:  # only where a place was compared: other reviews read as before
        evidence.append({"field": "place", "level": model.PLACE_LEVELS[pair.place_level]})
    return evidence


def choose(
    pairs: Iterable[model.ScoredPair], exclude: dict[str, set[str]] | None = None
) -> dict[str, tuple[model.ScoredPair, bool]]:
    """The best pair for each left id, and whether a different right record scored within
    AMBIGUOUS_MARGIN of it (then the model cannot tell them apart)."""
    exclude = exclude or {}
    by_left: dict[str, list[model.ScoredPair]] = {}
    for pair in pairs:
        if pair.right_id not in exclude.get(pair.left_id, set()):
            by_left.setdefault(pair.left_id, []).append(pair)
    chosen = {}
    for left_id, candidates in by_left.items():
        candidates.sort(key=lambda p: (-p.probability, p.right_id))
        best = candidates[0]
        ambiguous = len(candidates) > 1 and (
            best.probability - candidates[1].probability < AMBIGUOUS_MARGIN
        )
        chosen[left_id] = (best, ambiguous)
    return chosen


def best_matches(
    parties: list[Party], exclude: dict[str, set[int]] | None = None
) -> dict[Party, Match]:
    """The best-scoring organisation for each party that has one, without the organisations a
    reviewer rejected for it."""
    parties = [p for p in parties if name_key(p.name)]
    if not parties:
        return {}
    by_key = {p.key: p for p in parties}
    organisations = candidate_rows(parties)
    left = [
        {"unique_id": p.key, "name": p.name, "postcode": p.postcode, "places": list(p.places)}
        for p in parties
    ]
    pairs = model.score(left, organisations)
    excluded = {key: {str(i) for i in ids} for key, ids in (exclude or {}).items()}
    best: dict[Party, Match] = {}
    for key, (pair, ambiguous) in choose(pairs, excluded).items():
        best[by_key[key]] = Match(
            int(pair.right_id), pair.probability, evidence_for(pair), ambiguous
        )
    return best
