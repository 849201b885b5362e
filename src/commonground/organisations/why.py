"""Why an organisation is in a search's results, and where it works, in plain words (ADR 0022).

Reads only: the words of the query it has, whether it is close in meaning, how it belongs to
the place (based there by its registered address, or working there by a register's evidence),
and its latest income with the year.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .models import Coverage, Organisation, PlaceLink, PlaceRelation
from .search.hybrid import Candidate, content_words, stem
from .search.normalise import normalise, query_terms


@dataclass(frozen=True)
class PlaceView:
    relation: str  # based_in / works_in
    gss_code: str
    name: str
    coverage: str
    evidence: str
    as_of: date | None

    @property
    def wording(self) -> str:
        if self.relation == PlaceRelation.BASED_IN.value:
            return f"based in {self.name} ({self.evidence})"
        if self.coverage in (Coverage.NATIONAL.value, Coverage.REGION.value):
            return f"works across {self.name} ({self.evidence})"
        return f"works in {self.name} ({self.evidence})"


def money_words(pence: int) -> str:
    """£1.2m, £250k, £900: a figure to read at a glance (the page gives the exact amount)."""
    pounds = pence / 100
    if pounds >= 1_000_000:
        return f"£{pounds / 1_000_000:.1f}m".replace(".0m", "m")
    if pounds >= 10_000:
        return f"£{pounds / 1000:.0f}k"
    return f"£{pounds:,.0f}"


def income_words(org: Organisation) -> str:
    if org.latest_income_pence is None:
        return "income not known"
    year = f" ({org.latest_income_date.year})" if org.latest_income_date else ""
    return f"income {money_words(org.latest_income_pence)}{year}"


def organisation_places(orgs: Sequence[Organisation]) -> dict[int, list[PlaceView]]:
    """Where each organisation is based (its registered address) and works (with evidence)."""
    places: dict[int, list[PlaceView]] = defaultdict(list)
    for org in orgs:
        authority = org.local_authority
        if authority is not None:
            evidence = (
                f"registered address, postcode {org.postcode}"
                if org.postcode
                else "registered address"
            )
            places[org.pk].append(
                PlaceView(
                    PlaceRelation.BASED_IN.value,
                    authority.gss_code,
                    authority.name,
                    Coverage.LOCAL.value,
                    evidence,
                    None,
                )
            )
    links = PlaceLink.objects.filter(organisation_id__in=[o.pk for o in orgs]).order_by(
        "relation", "coverage", "gss_code", "source"
    )
    for link in links:
        places[link.organisation_id].append(
            PlaceView(
                link.relation,
                link.gss_code,
                link.place_name,
                link.coverage,
                link.evidence,
                link.as_of,
            )
        )
    return dict(places)


_REACH = {"local": 0, "area": 1, "region": 2, "national": 3}


def _word_reasons(
    query: str, typed: dict[str, str], candidate: Candidate | None, texts: tuple[str, str, str]
) -> list[str]:
    """`texts`: the organisation's normalised names, other names, and its activities; `typed`:
    the query's words as typed, by their stems."""
    name = f" {texts[0]} {texts[1]} "
    text = f" {normalise(texts[2])} "
    if candidate is None:  # a search by words alone: the words it has
        words = [w for w in content_words(query) if f" {w}" in name or f" {w}" in text]
    else:
        words = candidate.words
    if not words:
        close = candidate is not None and candidate.similarity
        return ["what it does is close in meaning to your search"] if close else []
    in_name = [typed.get(w, w) for w in words if f" {w}" in name]
    in_activities = [
        typed.get(w, w) for w in words if f" {w}" in text and typed.get(w, w) not in in_name
    ]
    # Words the search added for the query's (concepts and the sector's vocabulary) are said to
    # be related, so "uniformed youth groups" finding "scout" does not read as a typo.
    own = set(typed.values())
    reasons = []
    for where, found in (("name has ", in_name), ("activities mention ", in_activities)):
        typed_here = [w for w in found if w in own]
        related = [w for w in found if w not in own]
        if typed_here:
            reasons.append(where + ", ".join(f"“{w}”" for w in typed_here))
        if related:
            quoted = ", ".join(f"“{w}”" for w in related)
            word = "a word" if len(related) == 1 else "words"
            reasons.append(f"{where}{quoted}, {word} related to your search")
    return reasons


def search_reasons(
    query: str,
    place_codes: Sequence[str],
    shown: Sequence[Candidate],
    organisations: Sequence[Organisation],
) -> dict[int, list[str]]:
    """Plain-language reasons for each organisation on a page of results."""
    by_id = {c.id: c for c in shown}
    # One query for the page's texts (a list's organisations are read without them).
    texts: dict[int, tuple[str, str, str]] = {}
    if query.strip():
        rows = Organisation.objects.filter(pk__in=[o.pk for o in organisations]).values_list(
            "pk", "search_name", "search_other", "activities"
        )
        texts = {
            pk: (name or "", other or "", activities or "") for pk, name, other, activities in rows
        }
    places = organisation_places(organisations)
    codes = set(place_codes)
    typed = {stem(word): word for word in query_terms(query)}  # once a page, not once a result
    reasons: dict[int, list[str]] = {}
    for org in organisations:
        candidate = by_id.get(org.pk)
        found: list[str] = []
        if query.strip():
            found += _word_reasons(query, typed, candidate, texts.get(org.pk, ("", "", "")))
        relevant = sorted(
            (p for p in places.get(org.pk, []) if p.gss_code in codes),
            key=lambda p: (p.relation != PlaceRelation.BASED_IN.value, _REACH.get(p.coverage, 9)),
        )
        if relevant:
            found.append(relevant[0].wording)
        found.append(income_words(org))
        reasons[org.pk] = found
    return reasons
