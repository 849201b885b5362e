"""Organisations that fit a need, with the reasons why (ADR 0025).

A match is partner search within the need's place (ADR 0024) for the need's own words, then
re-ordered by what a need knows and a search does not:

- meaning and words: the hybrid search's order (reciprocal rank fusion of words and meaning);
- what its services say: the organisations' active services in the place (name, what it does,
  who it is for, who can use it, areas served), ranked by closeness in meaning to the need
  (`profiles.service_fit`), as a second ranking; an organisation found only by its services
  (its register says little) joins the candidates;
- places served: an organisation based in or linked to one of the need's wards comes first
  among equals, one working across the place next (the search already leaves those reaching it
  only through a region or the nation last);
- routes open to and capacity: from the organisation's partnership profile where it has one
  (`profiles.selectors.match_facts`), otherwise its register income; an organisation whose
  profile says it is not open to partnership goes after those that are;
- sector: named with the register evidence it comes from, and public bodies and private
  businesses left out (a need asks purpose-driven organisations).

Each part adds 1 / (RRF_K + its rank) like the search's own rankings, so no weight needs
calibrating against another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from commonground.organisations.models import Organisation, Sector
from commonground.organisations.search.hybrid import RRF_K
from commonground.organisations.search.semantic import INDEX, closeness, query_vector
from commonground.organisations.selectors import (
    SearchParams,
    hybrid_first_pages,
    search_organisations,
)
from commonground.organisations.why import income_words, organisation_places
from commonground.places.models import Place
from commonground.profiles.selectors import MatchFacts, match_facts
from commonground.profiles.service_fit import ServiceFit, services_fitting

from .models import Need

CANDIDATES = 100  # the search's first page this big is re-ordered
PURPOSE_SECTORS = frozenset(
    {
        Sector.CHARITY,
        Sector.SOCIAL_ENTERPRISE,
        Sector.COOPERATIVE_MUTUAL,
        Sector.COMMUNITY_BUSINESS,
        Sector.SOCIAL_FINANCE,
        Sector.UNKNOWN,
    }
)
WARD_BONUS = 1.0 / (RRF_K + 1)
ROUTE_BONUS = 1.0 / (RRF_K + 1)


@dataclass
class Match:
    organisation: Organisation
    score: float
    reasons: list[str]
    in_ward: bool = False
    routes: list[str] = field(default_factory=list)


def match_text(need: Need) -> str:
    """The words a need is matched on: what it is for and whom."""
    return " ".join(part.strip() for part in (need.title, need.who_for, need.outcomes) if part)


def _sector_reason(org: Organisation) -> str:
    label = Sector(org.sector).label if org.sector in Sector.values else org.sector
    sources = sorted({str(e.get("source", "")) for e in org.sector_evidence or [] if e})
    if sources and sources != [""]:
        return f"{label} (from {', '.join(s for s in sources if s)})"
    return label


@dataclass
class _Candidates:
    orgs: list[Organisation]
    search_rank: dict[int, int]  # place in the search's order (purpose-driven ones only)
    search_reasons: dict[int, list[str]]
    fits: dict[int, ServiceFit]  # the organisation's closest fitting service
    fit_rank: dict[int, int]  # its closest service's place in meaning (see _fit_ranks)


def _searched(need: Need, text: str) -> tuple[list[int], dict[int, list[str]]]:
    """The search's order for the need: its first page for the whole of the need's words, and
    for its title alone, fused (ADR 0051). The title is the need put shortly; in the whole,
    the outcomes' common words ("help", "people", "school") can outweigh it. Each ranking adds
    1 / (RRF_K + its rank); ties keep the whole text's order. Both are ranked from one read of
    the place (the title's words are among the whole's)."""
    params = SearchParams(text=text, place=need.place, page_size=CANDIDATES)
    title = " ".join(need.title.split())
    if not title or title == " ".join(text.split()):
        whole = search_organisations(params)
        return [o.pk for o in whole.organisations], dict(whole.reasons)
    whole, short = hybrid_first_pages(params, [text, title])
    reasons = dict(whole.reasons)
    score: dict[int, float] = {}
    for ranking in (whole.organisations, short.organisations):
        for rank, org in enumerate(ranking, 1):
            score[org.pk] = score.get(org.pk, 0.0) + 1.0 / (RRF_K + rank)
    for pk, said in short.reasons.items():
        reasons.setdefault(pk, said)
    return sorted(score, key=lambda pk: -score[pk]), reasons


def _candidates(need: Need) -> _Candidates:
    """The search's first page for the need's words, and the organisations whose services in
    the place fit them (some the search does not find: their register says little)."""
    text = match_text(need)
    order, search_reasons = _searched(need, text)
    ward_ids = list(Place.objects.filter(gss_code__in=need.ward_codes).values_list("pk", flat=True))
    vector = query_vector(text)
    fitting = services_fitting(text, need.place, ward_ids, limit=CANDIDATES, vector=vector)
    searched = set(order)
    ids = list(order)
    ids += [f.organisation_id for f in fitting if f.organisation_id not in searched]
    # One read of the facts the reasons need (the search's page defers some, and its places
    # would be read one organisation at a time).
    found = Organisation.objects.select_related("local_authority", "ward").only(
        "pk", "org_id", "name", "sector", "sector_evidence", "postcode", "latest_income_pence",
        "latest_income_date", "local_authority__gss_code", "local_authority__name",
        "ward__gss_code", "ward__name",
    ).in_bulk(ids)  # fmt: skip
    orgs = [
        found[pk]
        for pk in ids
        if pk in found and pk != need.organisation_id and found[pk].sector in PURPOSE_SECTORS
    ]
    search_rank = {o.pk: n for n, o in enumerate((o for o in orgs if o.pk in searched), 1)}
    kept = {o.pk for o in orgs}
    fits = {f.organisation_id: f for f in fitting if f.organisation_id in kept}
    return _Candidates(orgs, search_rank, search_reasons, fits, _fit_ranks(fits, searched, vector))


def _fit_ranks(fits: dict[int, ServiceFit], searched: set[int], vector: Any) -> dict[int, int]:
    """Each fitting service's place in meaning among the search's candidates: one more than
    the number of them whose own register text is closer to the need. So a service counts as
    much as the same words would in a register entry, and one organisation with services among
    many without is not put first merely for having them."""
    if not fits:
        return {}
    vectors = INDEX.vectors(sorted(searched))
    close = np.sort(closeness(vectors, vector)) if len(vectors.ids) else np.zeros(0)
    return {
        pk: 1 + int(len(close) - np.searchsorted(close, fit.similarity, side="right"))
        for pk, fit in fits.items()
    }


def _service_reason(fit: ServiceFit) -> str:
    reason = f"its service “{fit.service_name}” is close in meaning to the need"
    if fit.words:
        reason += " and says " + ", ".join(f"“{w}”" for w in fit.words[:5])
    if fit.areas:
        more = " and more" if len(fit.areas) > 3 else ""
        reason += "; it serves " + ", ".join(fit.areas[:3]) + more
    return reason + " (its profile)"


def need_matches(
    need: Need,
    *,
    limit: int = 20,
    route_names: Callable[[str], str] = str,
) -> list[Match]:
    """The organisations that best fit the need, best first, each with its reasons."""
    found = _candidates(need)
    places = organisation_places(found.orgs)
    facts = match_facts([o.pk for o in found.orgs])
    wards = set(need.ward_codes)
    routes = set(need.route_codes)
    matches = []
    for org in found.orgs:
        reasons = list(_search_reasons(found.search_reasons.get(org.pk, [])))
        # Judged by the better of what the search found in its register entry and how close
        # its closest service is to the need (not both added: the two say much the same).
        search = 1.0 / (RRF_K + found.search_rank[org.pk]) if org.pk in found.search_rank else 0
        service = 1.0 / (RRF_K + found.fit_rank[org.pk]) if org.pk in found.fit_rank else 0
        score = max(search, service)
        if service:
            reasons.append(_service_reason(found.fits[org.pk]))
        in_ward = _in_wards(org, places.get(org.pk, []), wards)
        if in_ward:
            score += WARD_BONUS
            reasons.append(in_ward)
        profile = facts.get(org.pk) or MatchFacts(org.pk, org.sector)
        served = sorted(profile.place_codes & wards)
        if served and not in_ward:
            score += WARD_BONUS
            reasons.append("its services serve one of the need's wards")
        shared = sorted(profile.catalogue_routes & routes)
        if shared:
            score += ROUTE_BONUS
            reasons.append("open to " + ", ".join(route_names(code) for code in shared))
        if profile.open_to_partnership == "no":
            score -= 1.0  # after every organisation that has not said no
        reasons += [*_profile_reasons(profile), income_words(org)]
        reasons.append(_sector_reason(org))
        matches.append(Match(org, score, reasons, bool(in_ward or served), shared))
    matches.sort(key=lambda m: (-m.score, m.organisation.name, m.organisation.pk))
    return matches[:limit]


def _profile_reasons(profile: MatchFacts) -> list[str]:
    """What its partnership profile says (its members' words, not the register's)."""
    if not profile.has_profile:
        return []
    said = {
        "yes": "its profile says it is open to partnership",
        "conditions": "its profile says it is open to partnership, with conditions",
        "no": "its profile says it is not open to partnership now",
    }.get(profile.open_to_partnership, "")
    capacity = [
        f"{value:,} {label}"
        for value, label in (
            (profile.people_served_a_year, "people served a year"),
            (profile.staff, "staff"),
            (profile.volunteers, "volunteers"),
        )
        if value
    ]
    reasons = [said] if said else []
    if capacity:
        reasons.append("capacity: " + ", ".join(capacity) + " (its profile)")
    if profile.stale:
        reasons.append("its profile is more than a year old")
    return reasons


def _search_reasons(reasons: list[str]) -> list[str]:
    """The search's reasons without its income (said once, below), word lists cut to five."""
    out = []
    for reason in reasons:
        if reason.startswith("income"):
            continue
        if reason.count("“") > 5:
            reason = ", ".join(reason.split(", ")[:5]) + " and more"
        out.append(reason)
    return out


def _in_wards(org: Organisation, places: list[Any], wards: set[str]) -> str:
    if not wards:
        return ""
    ward = org.ward
    if ward is not None and ward.gss_code in wards:
        return f"based in {ward.name}, one of the need's wards"
    for place in places:
        if place.gss_code in wards:
            return f"works in {place.name}, one of the need's wards ({place.evidence})"
    return ""


def fits(need: Need, organisation: Organisation, *, limit: int = 20) -> Match | None:
    """The organisation's match to the need, if it is among the best `limit`."""
    for match in need_matches(need, limit=limit):
        if match.organisation.pk == organisation.pk:
            return match
    return None
