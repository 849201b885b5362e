"""The SQL of partner search, for SQLite (FTS5) and PostgreSQL (tsvector) side by side (ADR 0005).

Everything here is plain SQL on the alias `o` (organisations_organisation) so that the page, the
CSV download and the API run exactly the same queries. Filters are written so each can use an
existing index; the full-text match is the only vendor-specific part. Relevance is one rule,
written once in SQL and run the same way by both databases (`relevance_order`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import connection

from .index import FTS_TABLE, VOCABULARY_TABLE, WIDE_SEARCH_TABLE, is_wide_area_token
from .normalise import last_word_as_typed, query_terms

ORGANISATIONS = "organisations_organisation"
PLACE_LINKS = "organisations_placelink"
KM_PER_DEGREE = 111.195  # mean length of a degree of latitude
# A typed prefix is matched as the words it stands for (see sqlite_text_match); past this many
# words FTS5's own prefix query is used instead.
MAX_PREFIX_WORDS = 100
# Relevance groups (see relevance_order); within the first two, shorter names come first.
_GROUP_SPAN = 100_000


@dataclass(frozen=True)
class IncomeBand:
    code: str
    label: str
    low_pence: int | None  # inclusive
    high_pence: int | None  # exclusive


INCOME_BANDS = [
    IncomeBand("under_10k", "Under £10,000", None, 1_000_000),
    IncomeBand("10k_100k", "£10,000 to £100,000", 1_000_000, 10_000_000),
    IncomeBand("100k_1m", "£100,000 to £1 million", 10_000_000, 100_000_000),
    IncomeBand("1m_10m", "£1 million to £10 million", 100_000_000, 1_000_000_000),
    IncomeBand("over_10m", "Over £10 million", 1_000_000_000, None),
    IncomeBand("unknown", "Not known", None, None),
]
INCOME_BAND_CODES = [band.code for band in INCOME_BANDS]


@dataclass
class Conditions:
    """SQL conditions joined with AND, with their parameters in order."""

    parts: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.parts.append(sql)
        self.params.extend(params)

    def extend(self, other: Conditions) -> Conditions:
        combined = Conditions(list(self.parts), list(self.params))
        combined.parts.extend(other.parts)
        combined.params.extend(other.params)
        return combined

    def sql(self) -> str:
        return " AND ".join(f"({part})" for part in self.parts) if self.parts else "1 = 1"


@dataclass(frozen=True)
class TextQuery:
    """A free-text query in the index's form: every word must match, the last as a prefix."""

    terms: tuple[str, ...]
    last_typed: str  # the last word as typed, when it differs from its indexed form

    @classmethod
    def parse(cls, text: str) -> TextQuery | None:
        terms = tuple(query_terms(text))
        if not terms:
            return None
        typed = last_word_as_typed(text)
        if typed == terms[-1] or not typed.isalnum():
            typed = ""
        return cls(terms, typed)

    @property
    def prefixes(self) -> tuple[str, ...]:
        """The forms the last word may begin with."""
        return (self.terms[-1], self.last_typed) if self.last_typed else (self.terms[-1],)

    def fts5(self, prefix_words: dict[str, list[str] | None] | None = None) -> str:
        """The FTS5 query. `prefix_words` maps a prefix to the indexed words it stands for
        (None when there are too many); without it the prefix is left to FTS5."""
        words = [f'"{term}"' for term in self.terms[:-1]]
        alternatives: list[str] = []
        for prefix in self.prefixes:
            longer = (prefix_words or {}).get(prefix)
            if longer is None:
                alternatives.append(f'"{prefix}"*')
            else:
                alternatives += [f'"{word}"' for word in [prefix, *longer]]
        last = alternatives[0] if len(alternatives) == 1 else f"({' OR '.join(alternatives)})"
        return " AND ".join([*words, last])

    def tsquery(self) -> str:
        words = [f"'{term}'" for term in self.terms[:-1]]
        last = f"'{self.terms[-1]}':*"
        if self.last_typed:
            last = f"({last} | '{self.last_typed}':*)"
        return " & ".join([*words, last])


def is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def words_starting_with(prefix: str) -> list[str] | None:
    """Indexed words that begin with `prefix` and are longer than it; None if there are many.

    FTS5 answers a prefix query by merging the whole country's entries for every word with
    that prefix before it can use any other part of the query, while a plain word can be
    looked up only where the other words (and the place) match. So "club" is searched as
    "club" OR "clubs". The bounds skip the prefix itself: fts5vocab reads each word's entries
    to count them, and the prefix (usually a whole, common word) would cost the most.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT term FROM {VOCABULARY_TABLE} WHERE term >= %s AND term < %s LIMIT %s",
            [prefix + "\x01", prefix + "\U0010ffff", MAX_PREFIX_WORDS + 1],
        )
        words = [row[0] for row in cursor.fetchall()]
    return None if len(words) > MAX_PREFIX_WORDS else words


def sqlite_text_match(text: TextQuery, place_tokens: Sequence[str] | None = None) -> str:
    """The FTS5 MATCH for the text, within the places whose facet tokens are given."""
    match = text.fts5({prefix: words_starting_with(prefix) for prefix in text.prefixes})
    match = f"{{name other_names activities}}: ({match})"
    if place_tokens is not None:
        tokens = " OR ".join(f'"{token}"' for token in place_tokens)
        match += f" AND facets: ({tokens})"
    return match


def text_condition(text: TextQuery) -> Conditions:
    """Organisations whose name, other names or activities match (no ranking)."""
    conditions = Conditions()
    if is_sqlite():
        conditions.add(
            f"o.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",
            [sqlite_text_match(text)],
        )
    else:
        conditions.add("o.search_vector @@ to_tsquery('simple', %s)", [text.tsquery()])
    return conditions


def relevance_rank(text: TextQuery) -> tuple[str, list[Any]]:
    """A rank for relevance (lower is better) and its parameters, the same on both databases.

    1. every word of the query is a whole word of the name, shortest name first;
    2. every word is in the name, the last as the start of a word, shortest name first;
    3. every word is in the name or the other names;
    4. the rest (found by their activities);
    ties go by name. Plain LIKE on the normalised name columns: it is cheap for the few thousand
    matches of a search, explainable, and needs no scoring of long activity texts.
    """
    name = "(' ' || o.search_name || ' ')"
    names = "(' ' || o.search_name || ' ' || o.search_other || ' ')"
    earlier = list(text.terms[:-1])

    def every_word(column: str, last_whole: bool) -> tuple[str, list[Any]]:
        parts = [f"{column} LIKE %s" for _ in earlier]
        params: list[Any] = [f"% {term} %" for term in earlier]
        if last_whole:
            parts.append(f"{column} LIKE %s")
            params.append(f"% {text.terms[-1]} %")
        else:
            parts.append("(" + " OR ".join(f"{column} LIKE %s" for _ in text.prefixes) + ")")
            params += [f"% {prefix}%" for prefix in text.prefixes]
        return " AND ".join(parts), params

    whole, whole_params = every_word(name, last_whole=True)
    in_name, in_name_params = every_word(name, last_whole=False)
    in_names, in_names_params = every_word(names, last_whole=False)
    rank = (
        f"CASE WHEN {whole} THEN length(o.search_name) "
        f"WHEN {in_name} THEN {_GROUP_SPAN} + length(o.search_name) "
        f"WHEN {in_names} THEN {2 * _GROUP_SPAN} ELSE {3 * _GROUP_SPAN} END"
    )
    return rank, [*whole_params, *in_name_params, *in_names_params]


def names_condition(text: TextQuery) -> Conditions:
    """Every word of the query is in the name or the other names (the last as a prefix)."""
    names = "(' ' || o.search_name || ' ' || o.search_other || ' ')"
    parts = [f"{names} LIKE %s" for _ in text.terms[:-1]]
    params: list[Any] = [f"% {term} %" for term in text.terms[:-1]]
    parts.append("(" + " OR ".join(f"{names} LIKE %s" for _ in text.prefixes) + ")")
    params += [f"% {prefix}%" for prefix in text.prefixes]
    conditions = Conditions()
    conditions.add(" AND ".join(parts), params)
    return conditions


def any_organisation(conditions: Conditions) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {ORGANISATIONS} o WHERE {conditions.sql()} LIMIT 1", conditions.params
        )
        return cursor.fetchone() is not None


def display_order(text: TextQuery | None, by_relevance: bool) -> tuple[str, list[Any]]:
    """ORDER BY terms (and their parameters): relevance, then name; or name alone."""
    if text is not None and by_relevance:
        rank, params = relevance_rank(text)
        return f"{rank}, o.name, o.id", params
    return "o.name, o.id", []


def in_place(place_tokens: Sequence[str]) -> Conditions:
    """Organisations whose facet tokens in the search index include one of these (the place
    they are based in or work in, search/index.py): one index lookup on either database."""
    conditions = Conditions()
    if not place_tokens:
        conditions.add("1 = 0")
    elif is_sqlite():
        tokens = " OR ".join(f'"{token}"' for token in place_tokens)
        conditions.add(
            f"o.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",
            [f"facets: ({tokens})"],
        )
    else:
        conditions.add(
            "o.search_vector @@ to_tsquery('simple', %s)", [postgres_place_tsquery(place_tokens)]
        )
    return conditions


def in_condition(column: str, values: Sequence[Any]) -> Conditions:
    conditions = Conditions()
    if values:
        marks = ", ".join(["%s"] * len(values))
        conditions.add(f"o.{column} IN ({marks})", list(values))
    return conditions


def place_condition(
    local_authority_ids: Sequence[int], ward_ids: Sequence[int], alias: str = "o"
) -> Conditions:
    """In one of these local authorities or wards (each side can use its own index)."""
    parts: list[str] = []
    params: list[Any] = []
    for column, ids in (("local_authority_id", local_authority_ids), ("ward_id", ward_ids)):
        if ids:
            parts.append(f"{alias}.{column} IN ({', '.join(['%s'] * len(ids))})")
            params.extend(ids)
    conditions = Conditions()
    conditions.add(" OR ".join(parts) if parts else "1 = 0", params)
    return conditions


def based_or_works_in(
    local_authority_ids: Sequence[int], ward_ids: Sequence[int], codes: Sequence[str]
) -> Conditions:
    """Based in these local authorities or wards, or linked as working in one of these GSS
    codes. Written as one set of ids (a UNION of the two indexed reads), not as "based OR id IN
    (links)": PostgreSQL cannot combine an OR with a sub-query through indexes, and read the
    whole table for it (ADR 0032: 700 ms against 350 ms for Trafford at 1,000,000
    organisations)."""
    if not codes:
        return place_condition(local_authority_ids, ward_ids)
    based = place_condition(local_authority_ids, ward_ids, alias="b")
    marks = ", ".join(["%s"] * len(codes))
    conditions = Conditions()
    conditions.add(
        f"o.id IN (SELECT b.id FROM {ORGANISATIONS} b WHERE {based.sql()} "
        f"UNION SELECT pl.organisation_id FROM {PLACE_LINKS} pl "
        f"WHERE pl.relation = 'works_in' AND pl.gss_code IN ({marks}))",
        [*based.params, *codes],
    )
    return conditions


def near_condition(latitude: float, longitude: float, km: float) -> Conditions:
    """Within km of a point: a bounding box (indexed latitude), then the flat-earth distance.

    The equirectangular approximation is well within a few metres at the distances people
    search over, and it is plain arithmetic, so both databases run it the same way.
    """
    degrees = km / KM_PER_DEGREE
    cos_lat = max(math.cos(math.radians(latitude)), 0.01)
    lon_degrees = degrees / cos_lat
    conditions = Conditions()
    conditions.add(
        "o.latitude BETWEEN %s AND %s AND o.longitude BETWEEN %s AND %s",
        [latitude - degrees, latitude + degrees, longitude - lon_degrees, longitude + lon_degrees],
    )
    conditions.add(
        "(o.latitude - %s) * (o.latitude - %s) + "
        "(o.longitude - %s) * %s * (o.longitude - %s) * %s <= %s",
        [latitude, latitude, longitude, cos_lat, longitude, cos_lat, degrees * degrees],
    )
    return conditions


def income_band_condition(codes: Sequence[str]) -> Conditions:
    parts: list[str] = []
    params: list[Any] = []
    for band in INCOME_BANDS:
        if band.code not in codes:
            continue
        if band.code == "unknown":
            parts.append("o.latest_income_pence IS NULL")
        elif band.low_pence is None:
            parts.append("o.latest_income_pence < %s")
            params.append(band.high_pence)
        elif band.high_pence is None:
            parts.append("o.latest_income_pence >= %s")
            params.append(band.low_pence)
        else:
            parts.append("o.latest_income_pence >= %s AND o.latest_income_pence < %s")
            params.extend([band.low_pence, band.high_pence])
    conditions = Conditions()
    if parts:
        conditions.add(" OR ".join(f"({part})" for part in parts), params)
    return conditions


def _income_band_expression() -> str:
    # The bounds are our own integer constants, so they are written into the SQL.
    whens = ["WHEN o.latest_income_pence IS NULL THEN 'unknown'"]
    for band in INCOME_BANDS:
        if band.high_pence is not None:
            whens.append(f"WHEN o.latest_income_pence < {int(band.high_pence)} THEN '{band.code}'")
    return f"CASE {' '.join(whens)} ELSE 'over_10m' END"


def facet_cube(conditions: Conditions) -> list[tuple[str, str, str, str, int]]:
    """Counts by (sector, status, legal form, income band) over the matching organisations.

    One pass over the matches; every facet's counts (each ignoring its own filter) and the
    total are then summed from these few rows in Python.
    """
    sql = (
        f"SELECT o.sector, o.status, o.legal_form, {_income_band_expression()} AS band, "
        f"COUNT(*) FROM {ORGANISATIONS} o WHERE {conditions.sql()} GROUP BY 1, 2, 3, 4"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, conditions.params)
        return [tuple(row) for row in cursor.fetchall()]  # type: ignore[misc]


def ordered_ids(
    conditions: Conditions,
    text: TextQuery | None,
    by_relevance: bool,
    limit: int | None = None,
    offset: int = 0,
) -> list[int]:
    """Ids of matching organisations in display order: relevance (text only) or name."""
    if text is not None:
        conditions = text_condition(text).extend(conditions)
    order, order_params = display_order(text, by_relevance)
    sql = f"SELECT o.id FROM {ORGANISATIONS} o WHERE {conditions.sql()} ORDER BY {order}"
    params = [*conditions.params, *order_params]
    if limit is not None:
        sql += " LIMIT %s OFFSET %s"
        params += [limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


# (id, sector, status, legal form, income band, whether it passes the facet filters)
MatchRow = tuple[int, str, str, str, str, bool]


def scoped_matches(
    text: TextQuery,
    place_tokens: Sequence[str] | None,
    place: Conditions,
    near: Conditions,
    filters: Conditions,
    by_relevance: bool,
) -> list[MatchRow]:
    """Every match within a place and/or near a point, those passing the facet `filters` first
    and in display order; the caller counts the facets and pages the rows in Python.

    A place holds a few thousand organisations while a common word matches a tenth of the
    country, so the text must not be matched nationally and narrowed afterwards.
    SQLite: the place is part of the full-text match (its facet tokens), so FTS5 only visits
    entries in the place. A distance has no tokens: one pass over the text's matches keeps those
    whose id is near (the unary + stops SQLite probing the index once per nearby id).
    PostgreSQL: the place's facet tokens are in search_vector too, so the words and the place
    are one GIN lookup; without a place (a distance alone) the rows near the point are
    materialised first so the planner cannot start from the text index instead.
    Only rows that pass the filters are ranked; the order of the others does not matter.
    """
    if place_tokens is not None and not place_tokens:
        return []  # a place with nothing in it
    passes = f"CASE WHEN {filters.sql()} THEN 1 ELSE 0 END"
    columns = (
        f"o.id, o.sector, o.status, o.legal_form, {_income_band_expression()}, {passes} AS passes"
    )
    order, order_params = "passes DESC, o.name, o.id", []
    if by_relevance:
        rank, rank_params = relevance_rank(text)
        order = f"passes DESC, CASE WHEN {filters.sql()} THEN {rank} END, o.name, o.id"
        order_params = [*filters.params, *rank_params]
    if is_sqlite():
        sql = (
            f"SELECT {columns} FROM {FTS_TABLE} CROSS JOIN {ORGANISATIONS} o "
            f"ON o.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s"
        )
        params: list[Any] = [*filters.params, sqlite_text_match(text, place_tokens)]
        if near.parts:
            sql += (
                f" AND +{FTS_TABLE}.rowid IN "
                f"(SELECT o.id FROM {ORGANISATIONS} o WHERE {near.sql()})"
            )
            params += near.params
    elif place_tokens is not None:
        # The words and the place meet in one lookup of the GIN index of search_vector.
        sql, params = _postgres_in_place(columns, place_tokens, near, text)
        params = [*filters.params, *params]
    else:
        scope = place.extend(near)
        sql = (
            "WITH here AS MATERIALIZED ("
            "SELECT o.id, o.sector, o.status, o.legal_form, o.latest_income_pence, o.name, "
            f"o.search_name, o.search_other, o.search_vector FROM {ORGANISATIONS} o "
            f"WHERE {scope.sql()}), "
            # Parsed once: written inline, to_tsquery would be called again for every row.
            "q AS (SELECT to_tsquery('simple', %s) AS query) "
            f"SELECT {columns} FROM here o, q WHERE o.search_vector @@ q.query"
        )
        params = [*scope.params, text.tsquery(), *filters.params]  # the WITHs come first
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY {order}", [*params, *order_params])
        return [tuple(row) for row in cursor.fetchall()]  # type: ignore[misc]


# Hybrid search (ADR 0022): every organisation in scope, and which of them match each word ----

# (id, sector, status, legal form, income band, passes the facet filters, normalised name,
#  latest income, its date, how complete the record is (0-5: activities told at length, a
#  website, a postcode), its local authority and its ward); a search with words (word_rows,
#  rows_of) leaves the three facts of the prior None
ScopeRow = tuple[
    int, str, str, str, str, bool, str, int | None, Any, int | None, int | None, int | None
]


# The prior's columns of a ScopeRow: latest income, its date, how complete the record is.
_PRIOR_COLUMNS = slice(7, 10)


def _scope_column_list(filters: Conditions) -> list[str]:
    passes = f"CASE WHEN {filters.sql()} THEN 1 ELSE 0 END"
    return [
        "o.id",
        "o.sector",
        "o.status",
        "o.legal_form",
        _income_band_expression(),
        passes,
        "o.search_name",
        "o.latest_income_pence",
        "o.latest_income_date",
        "(CASE WHEN length(o.activities) >= 600 THEN 3 WHEN length(o.activities) >= 300 THEN 2 "
        "WHEN length(o.activities) >= 100 THEN 1 ELSE 0 END) + "
        "(CASE WHEN o.website <> '' THEN 1 ELSE 0 END) + "
        "(CASE WHEN o.postcode <> '' THEN 1 ELSE 0 END)",
        "o.local_authority_id",
        "o.ward_id",
    ]


def _scope_columns(filters: Conditions) -> str:
    return ", ".join(_scope_column_list(filters))


def postgres_place_tsquery(place_tokens: Sequence[str], word: TextQuery | None = None) -> str:
    """The place's facet tokens as a tsquery (any of them), and the word too when given."""
    places = " | ".join(f"'{token}'" for token in place_tokens)
    return f"({word.tsquery()}) & ({places})" if word is not None else places


def _postgres_in_place(
    columns: str, place_tokens: Sequence[str], scope: Conditions, word: TextQuery | None = None
) -> tuple[str, list[Any]]:
    sql = (
        f"SELECT {columns} FROM {ORGANISATIONS} o WHERE o.search_vector @@ to_tsquery('simple', %s)"
    )
    params: list[Any] = [postgres_place_tsquery(place_tokens, word)]
    if scope.parts:
        sql += f" AND {scope.sql()}"
        params += scope.params
    return sql, params


def _scope_select(
    columns: str, place_tokens: Sequence[str] | None, scope: Conditions
) -> tuple[str, list[Any]]:
    """SELECT `columns` of every organisation within the place and/or near the point.

    A place is matched as its facet tokens in the full-text index (one index lookup: the FTS5
    table on SQLite, the GIN index of `search_vector` on PostgreSQL); without tokens the
    place's conditions are used (or a distance alone)."""
    if place_tokens is not None and not is_sqlite():
        return _postgres_in_place(columns, place_tokens, scope)
    if place_tokens is not None:
        tokens = " OR ".join(f'"{token}"' for token in place_tokens)
        sql = (
            f"SELECT {columns} FROM {FTS_TABLE} CROSS JOIN {ORGANISATIONS} o "
            f"ON o.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s"
        )
        params: list[Any] = [f"facets: ({tokens})"]
        if scope.parts:
            sql += (
                f" AND +{FTS_TABLE}.rowid IN "
                f"(SELECT o.id FROM {ORGANISATIONS} o WHERE {scope.sql()})"
            )
            params += scope.params
        return sql, params
    return f"SELECT {columns} FROM {ORGANISATIONS} o WHERE {scope.sql()}", list(scope.params)


def scope_rows(
    place_tokens: Sequence[str] | None, scope: Conditions, filters: Conditions
) -> list[ScopeRow]:
    """Every organisation within the place and/or near the point, with what ranking needs."""
    if place_tokens is not None and not place_tokens:
        return []
    sql, params = _scope_select(_scope_columns(filters), place_tokens, scope)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*filters.params, *params])
        return [tuple(row) for row in cursor.fetchall()]  # type: ignore[misc]


def scope_ids(place_tokens: Sequence[str] | None, scope: Conditions) -> list[int]:
    """The ids alone of every organisation within the place and/or near the point: a search
    with words reads the rest only for the organisations that match."""
    if place_tokens is not None and not place_tokens:
        return []
    column = f"{FTS_TABLE}.rowid" if place_tokens is not None and is_sqlite() else "o.id"
    if place_tokens is not None and not scope.parts and is_sqlite():
        tokens = " OR ".join(f'"{token}"' for token in place_tokens)
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
        params: list[Any] = [f"facets: ({tokens})"]
    else:
        sql, params = _scope_select(column, place_tokens, scope)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # Ascending on both databases, so that organisations equally close in meaning rank
        # alike (PostgreSQL gives rows in the order they lie in the table).
        return sorted(row[0] for row in cursor.fetchall())


def _word_search_columns(filters: Conditions) -> list[str]:
    """The columns of a ScopeRow for a search with words, which does not rank by the prior
    (income, its date, how complete the record is: hybrid.prior orders a place without a
    query), so they are not read: reading each long activities text's length was a tenth of
    PostgreSQL's query, and SQLite parsed a date a row."""
    columns = _scope_column_list(filters)
    columns[_PRIOR_COLUMNS] = ["NULL"] * len(columns[_PRIOR_COLUMNS])
    return columns


def rows_of(ids: Sequence[int], filters: Conditions) -> list[ScopeRow]:
    """What ranking by words and meaning needs of these organisations (as scope_rows gives
    it, without the prior's facts: None)."""
    if not ids:
        return []
    found: list[ScopeRow] = []
    column_params = filters.params
    columns = ", ".join(_word_search_columns(filters))
    sql = f"SELECT {columns} FROM {ORGANISATIONS} o WHERE o.id "
    with connection.cursor() as cursor:
        if not is_sqlite():  # one array, not thousands of parameters to bind
            cursor.execute(sql + "= ANY(%s)", [*column_params, list(ids)])
            return [tuple(row) for row in cursor.fetchall()]  # type: ignore[misc]
        for start in range(0, len(ids), 900):
            chunk = list(ids[start : start + 900])
            cursor.execute(sql + f"IN ({', '.join(['%s'] * len(chunk))})", [*column_params, *chunk])
            found.extend(tuple(row) for row in cursor.fetchall())  # type: ignore[misc]
    return found


# Words flagged a bigint each; a query with more words than this has more flag columns.
_FLAGS_PER_COLUMN = 62


def _word_flags(count: int) -> tuple[list[range], list[str]]:
    """The words in groups of _FLAGS_PER_COLUMN, and for each group the SQL of a bigint with
    one bit a word the row has (the words' parsed queries are q.w0, q.w1, ...)."""
    groups = [
        range(start, min(count, start + _FLAGS_PER_COLUMN))
        for start in range(0, count, _FLAGS_PER_COLUMN)
    ]
    masks = [
        # Each word tested only on the rows that have any of them (q.anyword).
        "CASE WHEN o.search_vector @@ q.anyword THEN "
        + " + ".join(
            f"(CASE WHEN o.search_vector @@ q.w{n} THEN {1 << (n - group.start)} ELSE 0 END)"
            for n in group
        )
        + " ELSE 0 END"
        for group in groups
    ]
    return groups, masks


def word_rows(
    words: Sequence[TextQuery],
    place_tokens: Sequence[str],
    scope: Conditions,
    filters: Conditions,
) -> tuple[list[ScopeRow], list[set[int]], list[int]]:
    """On PostgreSQL within a place: the organisations in scope that have any of the words,
    with the facts ranking needs (as rows_of gives them: the prior's None); which of them have
    each word (as words_matches gives them); and the ids of every organisation in scope (as
    scope_ids gives them: ascending).

    One statement reads the place's rows (its tokens looked up in the GIN index of
    search_vector; those working across its region or nation from their copies, ADR 0054),
    each row's words tested on the row itself. Not the words looked up in the index with the
    place: each word is searched as the start of a word, and PostgreSQL reads every entry in
    the country under every word with that start before it narrows them to the place (for the
    bench need's 23 words and concepts at 1,000,000 organisations, about 260 ms; ADR 0045).
    The facts are sent only for the rows with a word."""
    if not place_tokens:
        return [], [set() for _ in words], []
    groups, masks = _word_flags(len(words))
    columns = _word_search_columns(filters)
    sql, params = _word_rows_query(words, place_tokens, scope, filters.params, columns, masks)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    width = len(columns) + 1
    matched = [row for row in found if row[1]]
    rows: list[ScopeRow] = [(row[0], *row[2:width]) for row in matched]  # type: ignore[misc]
    pks = np.fromiter((row[0] for row in matched), dtype=np.int64, count=len(matched))
    ids: list[set[int]] = [set() for _ in words]
    for column, group in enumerate(groups, start=width):
        bits = np.fromiter((row[column] for row in matched), dtype=np.int64, count=len(matched))
        for n in group:
            ids[n] = set(pks[(bits >> (n - group.start)) & 1 == 1].tolist())
    everyone = np.fromiter((row[0] for row in found), dtype=np.int64, count=len(found))
    return rows, ids, np.sort(everyone).tolist()


def _word_rows_query(
    words: Sequence[TextQuery],
    place_tokens: Sequence[str],
    scope: Conditions,
    filter_params: list[Any],
    columns: list[str],
    masks: list[str],
) -> tuple[str, list[Any]]:
    """word_rows' SQL for these columns (whose facet filters take `filter_params`): the place's
    own rows from the organisations table, and the rows of those working across its region or
    nation from their copies kept together (ADR 0054), each organisation once."""
    flags = [f"{mask} AS f{n}" for n, mask in enumerate(masks)]
    # Each word parsed once (written inline, to_tsquery would be called again for every row).
    parsed = [f"to_tsquery('simple', %s) AS w{n}" for n in range(len(words))]
    parsed += ["to_tsquery('simple', %s) AS anyword"] if words else ["1 AS nothing"]
    has_word = " OR ".join(f"w.f{n} <> 0" for n in range(len(masks))) or "FALSE"
    sent = ", ".join(
        f"CASE WHEN {has_word} THEN {column} END" if column != "NULL" else column
        for column in columns[1:]
    )
    # OFFSET 0 keeps the flags a sub-query of their own, computed once a row (pulled up, each
    # use of them would test the words again).
    flag_columns = "".join(f", w.f{n}" for n in range(len(masks)))
    lateral = f"CROSS JOIN LATERAL (SELECT {', '.join(flags) or '0 AS none'} OFFSET 0) w"
    wide = [token for token in place_tokens if is_wide_area_token(token)]
    own = [token for token in place_tokens if not is_wide_area_token(token)]
    parts: list[str] = []
    params = [word.tsquery() for word in words]
    if words:
        params.append(" | ".join(f"({word.tsquery()})" for word in words))
    for table, tokens, already in ((ORGANISATIONS, own, []), (WIDE_SEARCH_TABLE, wide, own)):
        if not tokens:
            continue
        where = "o.search_vector @@ to_tsquery('simple', %s)"
        params += [*filter_params, postgres_place_tsquery(tokens)]
        if already:  # read from the organisations table already
            where += " AND NOT o.search_vector @@ to_tsquery('simple', %s)"
            params.append(postgres_place_tsquery(already))
        if scope.parts:
            where += f" AND {scope.sql()}"
            params += scope.params
        parts.append(
            f"SELECT o.id, {has_word}, {sent}{flag_columns} FROM {table} o CROSS JOIN q "
            f"{lateral} WHERE {where}"
        )
    sql = f"WITH q AS MATERIALIZED (SELECT {', '.join(parsed)}) " + " UNION ALL ".join(parts)
    return sql, params


def word_matches(
    word: TextQuery, place_tokens: Sequence[str] | None, scope: Conditions
) -> set[int]:
    """Ids of the organisations in scope whose name, other names or activities have the word
    (as the start of a word, so "befriend" finds "befriending")."""
    if place_tokens is not None and not is_sqlite():
        if not place_tokens:
            return set()
        sql, params = _postgres_in_place("o.id", place_tokens, scope, word)
    elif place_tokens is not None:
        if not place_tokens:
            return set()
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
        params = [sqlite_text_match(word, place_tokens)]
        if scope.parts:
            sql += f" AND +rowid IN (SELECT o.id FROM {ORGANISATIONS} o WHERE {scope.sql()})"
            params += scope.params
    else:
        conditions = text_condition(word).extend(scope)
        if is_sqlite():
            sql = f"SELECT o.id FROM {ORGANISATIONS} o WHERE {conditions.sql()}"
        else:
            # The place first, as in scoped_matches: the planner must not start from the word.
            sql = (
                f"WITH here AS MATERIALIZED (SELECT o.id, o.search_vector FROM {ORGANISATIONS} o "
                f"WHERE {scope.sql()}) SELECT o.id FROM here o "
                "WHERE o.search_vector @@ to_tsquery('simple', %s)"
            )
            params = [*scope.params, word.tsquery()]
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return {row[0] for row in cursor.fetchall()}
        params = conditions.params
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def words_matches(
    words: Sequence[TextQuery], place_tokens: Sequence[str] | None, scope: Conditions
) -> list[set[int]]:
    """word_matches for each of several words (PostgreSQL within a place reads them all in one
    read of the place's rows instead: word_rows)."""
    return [word_matches(word, place_tokens, scope) for word in words]


def local_link_ids(codes: Sequence[str]) -> set[int]:
    """Organisations linked as working in one of these places itself or in its county or city
    region (coverage local or area), not only through a region- or nation-wide link."""
    if not codes:
        return set()
    marks = ", ".join(["%s"] * len(codes))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT organisation_id FROM {PLACE_LINKS} WHERE relation = 'works_in' "
            f"AND coverage IN ('local', 'area') AND gss_code IN ({marks})",
            list(codes),
        )
        return {row[0] for row in cursor.fetchall()}
