"""Reads of the atlas: partner search (used by the search page, the CSV download and the API)
and one organisation with everything known about it."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import Prefetch

from commonground.places.models import Place, PlaceKind
from commonground.places.postcodes import normalise_postcode
from commonground.places.selectors import postcode_location
from commonground.sources.catalogue import dataset as catalogue_dataset

from .coverage import containing_codes
from .models import (
    Identifier,
    IdentifierScheme,
    Organisation,
    PlaceRelation,
    Sector,
    SourceRecord,
    Status,
)
from .search import hybrid
from .search import query as sql
from .search.index import LOCAL_AUTHORITY_FACET, WARD_FACET, WORKS_IN_FACET, place_token
from .search.query import INCOME_BAND_CODES, INCOME_BANDS, Conditions, TextQuery
from .search.scopes import SCOPES
from .why import PlaceView, organisation_places, search_reasons

SORTS = {"relevance": "Relevance", "name": "Name (A to Z)"}
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
FACETS = ("sector", "status", "legal_form", "income_band")
FACET_LABELS = {
    "sector": "Sector",
    "status": "Status",
    "legal_form": "Legal form",
    "income_band": "Income",
}
# Fields a results list or CSV row never shows; left out so a page of results stays light.
_LIST_DEFERRED = ("sector_evidence", "activities", "search_name", "search_other")
# A list names an organisation's local authority and ward, never draws them: their boundaries
# (a borough's is kilobytes of JSON) are not read with each row.
_PLACE_DEFERRED = tuple(
    f"{place}__{column}"
    for place in ("local_authority", "ward")
    for column in ("boundary", "attributes")
)


@dataclass(frozen=True)
class Near:
    """Within `km` kilometres of a postcode's centre."""

    postcode: str
    latitude: float
    longitude: float
    km: float


@dataclass(frozen=True)
class SearchParams:
    text: str = ""
    place: Place | None = None
    near: Near | None = None
    sectors: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    legal_forms: tuple[str, ...] = ()
    income_bands: tuple[str, ...] = ()
    sort: str = "relevance"
    page: int = 1
    page_size: int = PAGE_SIZE
    # Within the place: organisations that work there (the default, which includes those based
    # there) or only those based there (ADR 0022).
    relation: str = PlaceRelation.WORKS_IN.value

    def selected(self, facet: str) -> tuple[str, ...]:
        return {
            "sector": self.sectors,
            "status": self.statuses,
            "legal_form": self.legal_forms,
            "income_band": self.income_bands,
        }[facet]


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResult:
    organisations: list[Organisation]
    total: int
    page: int
    page_size: int
    facets: dict[str, list[FacetOption]] = field(default_factory=dict)
    relevance: bool = False  # whether results are in order of relevance (a text search)
    # Why each organisation on the page is there, in plain words (by organisation id).
    reasons: dict[int, list[str]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.page * self.page_size, self.total)


def find_place(gss_code: str) -> Place | None:
    """The place with this GSS code (the current one if boundaries have changed)."""
    if "\x00" in gss_code:  # no code holds a NUL, and PostgreSQL cannot compare one
        return None
    places = Place.objects.filter(gss_code=gss_code.strip().upper())
    return places.filter(end_date__isnull=True).first() or places.order_by("-start_date").first()


def postcode_centre(postcode: str) -> tuple[str, float, float] | None:
    """(normalised postcode, latitude, longitude) for a postcode we hold, else None."""
    location = postcode_location(postcode)
    if location is None:
        return None
    return normalise_postcode(postcode), location[0], location[1]


class PlaceChoice(NamedTuple):
    gss_code: str
    name: str
    selected: bool


def place_choices(place: Place | None) -> list[tuple[str, list[PlaceChoice]]]:
    """Places to offer in the search's place filter: local authorities, and the wards of the
    chosen one. Codes and names only: a place's boundary and attributes are large JSON."""
    current = Place.objects.filter(end_date__isnull=True)
    chosen = place.gss_code if place is not None else None
    groups = [
        (
            "Local authorities",
            [
                PlaceChoice(code, name, code == chosen)
                for code, name in current.filter(kind=PlaceKind.LOCAL_AUTHORITY).values_list(
                    "gss_code", "name"
                )
            ],
        )
    ]
    authority = place
    if place is not None and place.kind == PlaceKind.WARD:
        authority = place.parent
    if authority is not None and authority.kind == PlaceKind.LOCAL_AUTHORITY:
        wards = [
            PlaceChoice(code, name, code == chosen)
            for code, name in current.filter(kind=PlaceKind.WARD, parent=authority).values_list(
                "gss_code", "name"
            )
        ]
        if wards:
            groups.append((f"Wards in {authority.name}", wards))
    return groups


@dataclass(frozen=True)
class _Scope:
    """Where the organisations are: the filters that are not facets."""

    place: Conditions  # as SQL on organisations (without words; else empty)
    place_tokens: list[str] | None  # the place as the search index's facet tokens
    near: Conditions

    @property
    def conditions(self) -> Conditions:
        return self.place.extend(self.near)


def _place_versions(place: Place) -> list[int]:
    return list(Place.objects.filter(gss_code=place.gss_code).values_list("pk", flat=True))


def _authorities_within(place: Place) -> list[Place]:
    """The local authorities a place stands for: itself, or those within a region or country."""
    if place.kind == PlaceKind.LOCAL_AUTHORITY:
        return [place]
    return list(
        Place.objects.filter(parent_id__in=_place_versions(place), kind=PlaceKind.LOCAL_AUTHORITY)
    )


def works_in_codes(place: Place) -> list[str]:
    """The GSS codes a works-in link may name to cover the place: its local authorities (a
    ward's own authority) and the wider areas that contain them, nearest first."""
    if place.kind == PlaceKind.WARD:
        # A ward is searched for what is near: organisations based in it, or linked to the ward
        # itself, not every organisation working across its local authority.
        return [place.gss_code]
    authorities = _authorities_within(place)
    codes: dict[str, None] = {}
    if place.kind != PlaceKind.LOCAL_AUTHORITY:
        codes[place.gss_code] = None  # a region or a nation is an area of its own
    for authority in authorities:
        codes.update(dict.fromkeys(containing_codes(authority.gss_code)))
    return list(codes)


def _based_ids(place: Place) -> tuple[list[int], list[int]]:
    """The local authorities and wards an organisation based in the place has as its own: the
    place, or one of its wards (an organisation may be placed only by its ward)."""
    if place.kind == PlaceKind.WARD:
        return [], _place_versions(place)
    authorities: set[int] = set()
    for authority in _authorities_within(place):
        authorities.update(_place_versions(authority))
    wards = Place.objects.filter(parent_id__in=authorities, kind=PlaceKind.WARD)
    return sorted(authorities), list(wards.values_list("pk", flat=True))


def _place_condition(place: Place, relation: str) -> sql.Conditions:
    """In the place, or in one of its wards; for works in, also organisations whose records say
    they work there."""
    authority_ids, ward_ids = _based_ids(place)
    if relation != PlaceRelation.WORKS_IN.value:
        return sql.place_condition(authority_ids, ward_ids)
    return sql.based_or_works_in(authority_ids, ward_ids, works_in_codes(place))


def _place_tokens(place: Place, relation: str) -> list[str]:
    """The place as facet tokens of the search index, which are by GSS code, so every version
    of a place is included (an organisation is indexed under its ward's local authority too)."""
    if place.kind == PlaceKind.WARD:
        tokens = [place_token(WARD_FACET, place.gss_code)]
    else:
        codes = sorted({authority.gss_code for authority in _authorities_within(place)})
        tokens = [place_token(LOCAL_AUTHORITY_FACET, code) for code in codes]
    if relation == PlaceRelation.WORKS_IN.value:
        tokens += [place_token(WORKS_IN_FACET, code) for code in works_in_codes(place)]
    return tokens


def _scope(params: SearchParams, text: TextQuery | None) -> _Scope:
    """The place as the search index's facet tokens, on both databases (search/index.py): with
    words, the words and the place meet in one full-text lookup; without, the place's
    organisations are one lookup of its tokens, not a read of its based and linked
    organisations joined back one row at a time."""
    place, tokens, near = Conditions(), None, Conditions()
    if params.place is not None:
        tokens = _place_tokens(params.place, params.relation)
        if text is None:
            place = sql.in_place(tokens)
    if params.near is not None:
        n = params.near
        near = sql.near_condition(n.latitude, n.longitude, n.km)
    return _Scope(place, tokens, near)


def _facet_filters(params: SearchParams) -> Conditions:
    return (
        sql.in_condition("sector", params.sectors)
        .extend(sql.in_condition("status", params.statuses))
        .extend(sql.in_condition("legal_form", params.legal_forms))
        .extend(sql.income_band_condition(params.income_bands))
    )


def _labels(facet: str) -> dict[str, str]:
    if facet == "sector":
        return dict(Sector.choices)
    if facet == "status":
        return dict(Status.choices)
    if facet == "income_band":
        return {band.code: band.label for band in INCOME_BANDS}
    return {}


def _facets_and_total(
    cube: list[tuple[str, str, str, str, int]], params: SearchParams
) -> tuple[dict[str, list[FacetOption]], int]:
    """Each facet counted over the results of every other filter (the MOJ filter pattern)."""
    selected = {facet: set(params.selected(facet)) for facet in FACETS}
    counts: dict[str, dict[str, int]] = {facet: defaultdict(int) for facet in FACETS}
    total = 0
    for *values, count in cube:
        passes = [not selected[f] or v in selected[f] for f, v in zip(FACETS, values, strict=True)]
        for index, facet in enumerate(FACETS):
            if all(passes[:index]) and all(passes[index + 1 :]):
                counts[facet][values[index]] += count
        if all(passes):
            total += count
    facets: dict[str, list[FacetOption]] = {}
    for facet in FACETS:
        labels = _labels(facet)
        if facet == "legal_form":
            values = sorted(counts[facet], key=lambda v: (-counts[facet][v], v))
            values += sorted(selected[facet] - set(values))
            labels = {v: v or "Not known" for v in values}
        else:
            # Fixed order; options with no results are left out unless chosen.
            values = [v for v in labels if counts[facet].get(v) or v in selected[facet]]
        facets[facet] = [
            FacetOption(v, labels.get(v, v), counts[facet].get(v, 0), v in selected[facet])
            for v in values
        ]
    return facets, total


FacetCube = list[tuple[str, str, str, str, int]]


def search_facet_cube(params: SearchParams) -> FacetCube:
    """The counts a search without words sums its facets and total from: organisations in its
    place (by its relation) by sector, status, legal form and income band, whatever facets are
    chosen. The same query `search_organisations` runs; read it once and give it to
    `search_facets` for each choice of facets (the sector guide does, for each sector)."""
    if params.text.strip():
        raise ValueError("facet cubes are for searches without words")
    return sql.facet_cube(_scope(params, None).conditions)


def search_facets(
    params: SearchParams, cube: FacetCube | None = None
) -> tuple[dict[str, list[FacetOption]], int]:
    """The facet counts and total `search_organisations(params)` gives, without reading a page
    of results: the same cube, summed by the same function."""
    return _facets_and_total(search_facet_cube(params) if cube is None else cube, params)


def search_organisations(params: SearchParams, *, meaning: bool = True) -> SearchResult:
    """One page of organisations matching the search, the total, and the facet counts.

    Within a place, in order of relevance, the search is hybrid (words and meaning); with
    `meaning` off it is the full-text search alone (the benchmark's same-run baseline)."""
    if meaning and _hybrid(params):
        return hybrid_search(params)
    text = TextQuery.parse(params.text)
    scope = _scope(params, text)
    page_size = min(max(1, params.page_size), MAX_PAGE_SIZE)
    relevance = text is not None and params.sort == "relevance"
    if text is not None and _scoped(scope):
        rows = sql.scoped_matches(
            text, scope.place_tokens, scope.place, scope.near, _facet_filters(params), relevance
        )
        facets, total = _facets_and_total(_cube_of(rows), params)
        page = min(max(1, params.page), max(1, math.ceil(total / page_size)))
        ids = _filtered_ids(rows)[(page - 1) * page_size : page * page_size]
        return SearchResult(_in_order(ids), total, page, page_size, facets, relevance)
    where = _by_name_if_named(text, scope.conditions) if meaning and relevance else scope.conditions
    base = sql.text_condition(text).extend(where) if text else where
    facets, total = _facets_and_total(sql.facet_cube(base), params)
    pages = max(1, math.ceil(total / page_size))
    page = min(max(1, params.page), pages)
    organisations: list[Organisation] = []
    if total:
        ids = sql.ordered_ids(
            where.extend(_facet_filters(params)),
            text,
            by_relevance=relevance,
            limit=page_size,
            offset=(page - 1) * page_size,
        )
        organisations = _in_order(ids)
    codes = works_in_codes(params.place) if params.place is not None else []
    reasons = search_reasons(params.text, codes, [], organisations)
    return SearchResult(organisations, total, page, page_size, facets, relevance, reasons)


def _by_name_if_named(text: TextQuery | None, where: Conditions) -> Conditions:
    """Across the whole country, organisations whose names have the words, if any do.

    "age uk" with no place matches hundreds of organisations whose activities mention an age
    and the UK; someone who types a name anywhere wants the organisations of that name.
    Matches by activities alone are shown for a single word ("dementia") or when no name has
    the words (a place's search is hybrid and ranks them by meaning instead)."""
    if text is None or len(text.terms) < 2:
        return where
    named = where.extend(sql.names_condition(text))
    return named if sql.any_organisation(sql.text_condition(text).extend(named)) else where


def _scoped(scope: _Scope) -> bool:
    return scope.place_tokens is not None or bool(scope.conditions.parts)


def _cube_of(rows: list[sql.MatchRow]) -> list[tuple[str, str, str, str, int]]:
    counts = Counter(row[1:5] for row in rows)
    return [(*key, count) for key, count in counts.items()]


def _filtered_ids(rows: list[sql.MatchRow]) -> list[int]:
    """Ids of the rows that pass the facet filters (they come first, in display order)."""
    return [row[0] for row in rows if row[5]]


def iter_search_results(params: SearchParams, chunk_size: int = 500) -> Iterator[Organisation]:
    """Every organisation matching the search, in the search's order (for downloads)."""
    if _hybrid(params):
        ids = [c.id for c in _hybrid_ranked(params)[0] if c.passes]
        for start in range(0, len(ids), chunk_size):
            yield from _in_order(ids[start : start + chunk_size])
        return
    text = TextQuery.parse(params.text)
    scope = _scope(params, text)
    relevance = text is not None and params.sort == "relevance"
    if text is not None and _scoped(scope):
        rows = sql.scoped_matches(
            text, scope.place_tokens, scope.place, scope.near, _facet_filters(params), relevance
        )
        ids = _filtered_ids(rows)
    else:
        where = _by_name_if_named(text, scope.conditions) if relevance else scope.conditions
        ids = sql.ordered_ids(where.extend(_facet_filters(params)), text, by_relevance=relevance)
    for start in range(0, len(ids), chunk_size):
        yield from _in_order(ids[start : start + chunk_size])


def _in_order(ids: list[int]) -> list[Organisation]:
    found = (
        Organisation.objects.filter(pk__in=ids)
        .select_related("local_authority", "ward")
        .defer(*_LIST_DEFERRED, *_PLACE_DEFERRED)
        .in_bulk()
    )
    return [found[pk] for pk in ids if pk in found]


def income_band_of(pence: int | None) -> str:
    if pence is None:
        return "unknown"
    for band in INCOME_BANDS:
        if band.code == "unknown":
            continue
        if (band.low_pence is None or pence >= band.low_pence) and (
            band.high_pence is None or pence < band.high_pence
        ):
            return band.code
    return "unknown"


# One organisation ------------------------------------------------------------------------


def organisation_by_identifier(value: str) -> Organisation | None:
    """The organisation known by this org-id, whichever of its identifiers it is."""
    value = value.strip()
    if not value or "\x00" in value:  # no identifier holds a NUL, and PostgreSQL cannot compare one
        return None
    for candidate in dict.fromkeys([value, value.upper()]):
        org = Organisation.objects.filter(org_id=candidate).first()
        if org is not None:
            return org
        identifier = (
            Identifier.objects.filter(value=candidate).select_related("organisation").first()
        )
        if identifier is not None:
            return identifier.organisation
    return None


@dataclass(frozen=True)
class IdentifierView:
    value: str
    scheme: str
    scheme_name: str
    url: str  # the register's page for this record, or "" when the scheme has no pattern


@dataclass(frozen=True)
class SourceRecordView:
    dataset: str
    dataset_name: str
    import_run_id: int | None
    imported_at: Any
    file_name: str
    row_number: int | None
    record_key: str
    raw: dict[str, Any]


@dataclass
class OrganisationProfile:
    organisation: Organisation
    identifiers: list[IdentifierView]
    other_names: list[tuple[str, str]]  # (name, dataset name)
    sector_evidence: list[dict[str, str]]
    source_records: list[SourceRecordView]
    income_source_name: str
    income_band: str
    website_url: str = ""  # the website as a link a browser can follow, or "" if it is not one
    places: list[PlaceView] = field(default_factory=list)  # where it is based and works


def dataset_name(code: str) -> str:
    try:
        return catalogue_dataset(code).name
    except KeyError:
        return code


def organisation_profile(org: Organisation) -> OrganisationProfile:
    """Everything the atlas knows about one organisation, with where each fact came from."""
    org = (
        Organisation.objects.select_related("local_authority", "ward", "ward__parent")
        .prefetch_related(
            "other_names",
            Prefetch(
                "source_records",
                queryset=SourceRecord.objects.select_related("import_run").order_by(
                    "dataset", "record_key"
                ),
            ),
        )
        .get(pk=org.pk)
    )
    values = list(
        org.identifiers.order_by("scheme", "value").values_list("value", "scheme", "local_id")
    )
    schemes = {s.code: s for s in IdentifierScheme.objects.filter(code__in={v[1] for v in values})}
    identifiers = []
    for value, scheme_code, local_id in values:
        scheme = schemes.get(scheme_code)
        url = ""
        if scheme is not None and "{id}" in scheme.record_url_template:
            url = scheme.record_url_template.replace("{id}", local_id)
        identifiers.append(
            IdentifierView(value, scheme_code, scheme.name if scheme else scheme_code, url)
        )
    identifiers.sort(key=lambda i: (i.value != org.org_id, i.scheme, i.value))
    evidence = [
        {**claim, "source_name": dataset_name(claim.get("source", ""))}
        for claim in org.sector_evidence
    ]
    records = [
        SourceRecordView(
            dataset=record.dataset,
            dataset_name=dataset_name(record.dataset),
            import_run_id=record.import_run_id,
            imported_at=record.import_run.started_at if record.import_run else None,
            file_name=record.file_name,
            row_number=record.row_number,
            record_key=record.record_key,
            raw=record.raw,
        )
        for record in org.source_records.all()
    ]
    return OrganisationProfile(
        organisation=org,
        identifiers=identifiers,
        other_names=[(n.name, dataset_name(n.source)) for n in org.other_names.all()],
        sector_evidence=evidence,
        source_records=records,
        income_source_name=dataset_name(org.latest_income_source)
        if org.latest_income_source
        else "",
        income_band=income_band_of(org.latest_income_pence),
        website_url=website_url(org.website),
        places=organisation_places([org]).get(org.pk, []),
    )


_WEBSITE = re.compile(r"^(https?://)?([a-z0-9-]+\.)+[a-z]{2,}(:\d+)?([/?#]\S*)?$", re.IGNORECASE)


def website_url(value: str) -> str:
    """A register's website field as an http(s) link; registers give "www.example.org.uk",
    full addresses, or text that is not an address at all (then no link is made)."""
    value = value.strip()
    if not _WEBSITE.match(value):
        return ""
    return value if value.lower().startswith(("http://", "https://")) else f"https://{value}"


__all__ = [
    "FACETS",
    "FACET_LABELS",
    "INCOME_BANDS",
    "INCOME_BAND_CODES",
    "SORTS",
    "Near",
    "SearchParams",
    "SearchResult",
    "organisation_by_identifier",
    "organisation_profile",
    "search_organisations",
]


# Hybrid search within a place (ADR 0022) ---------------------------------------------------


def _hybrid(params: SearchParams) -> bool:
    """Searches within a place or near a point, in order of relevance, are hybrid."""
    return params.sort == "relevance" and (params.place is not None or params.near is not None)


def _hybrid_scope(params: SearchParams) -> tuple[list[str] | None, Conditions]:
    tokens: list[str] | None = None
    conditions = Conditions()
    if params.place is not None:
        # Both databases hold the place as tokens in the full-text index (search/index.py).
        tokens = _place_tokens(params.place, params.relation)
    if params.near is not None:
        n = params.near
        conditions = conditions.extend(sql.near_condition(n.latitude, n.longitude, n.km))
    return tokens, conditions


class _Local(NamedTuple):
    """What makes an organisation local to the place searched: based in one of its local
    authorities or wards, or linked as working in it locally (not only region- or nation-wide).
    Told from each ranked row's own local authority and ward, so the place's organisations are
    not read for it."""

    authority_ids: frozenset[int]
    ward_ids: frozenset[int]
    linked: frozenset[int]


def _local(params: SearchParams) -> _Local | None:
    """None when every organisation in scope counts as local."""
    if params.place is None or params.relation != PlaceRelation.WORKS_IN.value:
        return None
    authority_ids, ward_ids = _based_ids(params.place)
    linked = sql.local_link_ids(works_in_codes(params.place))
    return _Local(frozenset(authority_ids), frozenset(ward_ids), frozenset(linked))


def _candidates(
    rows: list[sql.ScopeRow], local: _Local | None
) -> tuple[list[hybrid.Candidate], dict[int, tuple[str, str, str, str]]]:
    # Local: based in the place (its row's authority or ward) or linked to it locally.
    everywhere = local is None
    authorities, wards, linked = local or (frozenset(), frozenset(), frozenset())
    candidates = [
        hybrid.Candidate(
            row[0],
            bool(row[5]),
            row[6] or "",
            row[7],
            row[8],
            row[9],
            everywhere or row[10] in authorities or row[11] in wards or row[0] in linked,
        )
        for row in rows
    ]
    return candidates, {row[0]: row[1:5] for row in rows}


def _hybrid_ranked(
    params: SearchParams,
) -> tuple[list[hybrid.Candidate], dict[int, tuple[str, str, str, str]]]:
    """The matches in order, and each candidate's facet values.

    Without a query every organisation in scope is ranked. With one, the words are looked up
    and every organisation in scope (its ids read, or kept for the public data generation,
    search/scopes.py) ranked by meaning in memory; the rest (facets, names, income) is read
    only for those that match either way (on PostgreSQL within a place, in the same read of the
    place's rows as the words and the ids)."""
    if not params.text.strip():
        tokens, conditions = _hybrid_scope(params)
        everyone = sql.scope_rows(tokens, conditions, _facet_filters(params))
        candidates, facet_values = _candidates(everyone, _local(params))
        return hybrid.order_without_query(candidates), facet_values
    rankings, facet_values = _hybrid_ranked_texts(params, [params.text])
    return rankings[0], facet_values


def _hybrid_ranked_texts(
    params: SearchParams, texts: Sequence[str]
) -> tuple[list[list[hybrid.Candidate]], dict[int, tuple[str, str, str, str]]]:
    """Each text's matches in order, as a search for it alone within `params`' scope and filters
    would rank them, from one read of the scope and of all the texts' words."""
    tokens, conditions = _hybrid_scope(params)
    key = (tuple(tokens or ()), conditions.sql(), tuple(conditions.params))
    each_groups = [hybrid.word_groups(text) for text in texts]
    each_words = [[word for group in groups for word in group] for groups in each_groups]
    words = list(dict.fromkeys(word for text_words in each_words for word in text_words))
    queries = [TextQuery(tuple(word.split()), "") for word in words]
    filters = _facet_filters(params)
    rows: list[sql.ScopeRow] = []
    if tokens is not None and not sql.is_sqlite():
        # One read of the place's rows for every word, with the facts of the organisations
        # found and the ids of all of them.
        rows, found, place_ids = sql.word_rows(queries, tokens, conditions, filters)
        scope = SCOPES.get(key, lambda: place_ids)
    else:
        scope = SCOPES.get(key, lambda: sql.scope_ids(tokens, conditions))
        found = sql.words_matches(queries, tokens, conditions)
    in_scope = scope.ids
    found_by = dict(zip(words, found, strict=True))
    each: list[tuple[str, dict[str, set[int]], hybrid.Semantic, set[int]]] = []
    for text, text_words in zip(texts, each_words, strict=True):
        word_ids = {word: found_by[word] for word in text_words}
        by_words = set().union(*word_ids.values()) if word_ids else set()
        meaning = hybrid.meaning_text(text)
        semantic = hybrid.semantic_ranks(meaning, in_scope, by_words, scope.vectors)
        each.append((meaning, word_ids, semantic, by_words | hybrid.close_in_meaning(semantic)))
    wanted = set().union(*(matched for *_, matched in each))
    rows += sql.rows_of(sorted(wanted - {row[0] for row in rows}), filters)
    rows.sort(key=lambda row: row[0])
    local = _local(params)
    rankings = []
    facet_values: dict[int, tuple[str, str, str, str]] = {}
    for (meaning, word_ids, semantic, matched), groups in zip(each, each_groups, strict=True):
        # Each text ranks its own candidates (rank() keeps a score on each one).
        candidates, values = _candidates([r for r in rows if r[0] in matched], local)
        facet_values.update(values)
        rankings.append(
            hybrid.rank(
                meaning,
                candidates,
                word_ids,
                total=len(in_scope),
                semantic=semantic,
                groups=groups,
            )
        )
    return rankings, facet_values


def hybrid_first_pages(params: SearchParams, texts: Sequence[str]) -> list[SearchResult]:
    """The first page of a hybrid search for each text within `params`' scope and filters, in
    the order `hybrid_search` gives each alone, from one read of the scope for all their words
    (a need's matching searches its whole text and its title, whose words are among the
    whole's). A page's reasons are given for the organisations no earlier page holds (a caller
    takes the first text's reasons first), and there are no facet counts."""
    rankings, _ = _hybrid_ranked_texts(params, texts)
    page_size = min(max(1, params.page_size), MAX_PAGE_SIZE)
    codes = works_in_codes(params.place) if params.place is not None else []
    read: dict[int, Organisation] = {}
    results = []
    for text, ranked in zip(texts, rankings, strict=True):
        passing = [c for c in ranked if c.passes]
        shown = passing[:page_size]
        unread = [c for c in shown if c.id not in read]
        new = _in_order([c.id for c in unread])
        read.update((o.pk, o) for o in new)
        reasons = search_reasons(text, codes, unread, new)
        organisations = [read[c.id] for c in shown if c.id in read]
        results.append(SearchResult(organisations, len(passing), 1, page_size, {}, True, reasons))
    return results


def hybrid_search(params: SearchParams) -> SearchResult:
    ranked, facet_values = _hybrid_ranked(params)
    counts = Counter(facet_values[c.id] for c in ranked)
    facets, total = _facets_and_total([(*key, n) for key, n in counts.items()], params)
    page_size = min(max(1, params.page_size), MAX_PAGE_SIZE)
    page = min(max(1, params.page), max(1, math.ceil(total / page_size)))
    shown = [c for c in ranked if c.passes][(page - 1) * page_size : page * page_size]
    organisations = _in_order([c.id for c in shown])
    codes = works_in_codes(params.place) if params.place is not None else []
    reasons = search_reasons(params.text, codes, shown, organisations)
    return SearchResult(organisations, total, page, page_size, facets, True, reasons)
