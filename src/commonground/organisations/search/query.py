"""The SQL of partner search, for SQLite (FTS5) and PostgreSQL (tsvector) side by side (ADR 0005).

Everything here is plain SQL on the alias `o` (organisations_organisation) so that the page, the
CSV download and the API run exactly the same queries. Filters are written so each can use an
existing index; the full-text match is the only vendor-specific part.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from .index import FTS_TABLE
from .normalise import last_word_as_typed, query_terms

ORGANISATIONS = "organisations_organisation"
# Name matches count most, then other names, then activities.
SQLITE_BM25_WEIGHTS = (10.0, 4.0, 1.0)
POSTGRES_RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C (activities), B (other names), A (name)
KM_PER_DEGREE = 111.195  # mean length of a degree of latitude


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

    def fts5(self) -> str:
        words = [f'"{term}"' for term in self.terms[:-1]]
        last = f'"{self.terms[-1]}"*'
        if self.last_typed:
            last = f'({last} OR "{self.last_typed}"*)'
        return " AND ".join([*words, last])

    def tsquery(self) -> str:
        words = [f"'{term}'" for term in self.terms[:-1]]
        last = f"'{self.terms[-1]}':*"
        if self.last_typed:
            last = f"({last} | '{self.last_typed}':*)"
        return " & ".join([*words, last])


def is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def text_condition(text: TextQuery) -> Conditions:
    """Organisations whose name, other names or activities match (no ranking)."""
    conditions = Conditions()
    if is_sqlite():
        conditions.add(
            f"o.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)", [text.fts5()]
        )
    else:
        conditions.add("o.search_vector @@ to_tsquery('simple', %s)", [text.tsquery()])
    return conditions


def in_condition(column: str, values: Sequence[Any]) -> Conditions:
    conditions = Conditions()
    if values:
        marks = ", ".join(["%s"] * len(values))
        conditions.add(f"o.{column} IN ({marks})", list(values))
    return conditions


def place_condition(local_authority_ids: Sequence[int], ward_ids: Sequence[int]) -> Conditions:
    """In one of these local authorities or wards (each side can use its own index)."""
    parts: list[str] = []
    params: list[Any] = []
    for column, ids in (("local_authority_id", local_authority_ids), ("ward_id", ward_ids)):
        if ids:
            parts.append(f"o.{column} IN ({', '.join(['%s'] * len(ids))})")
            params.extend(ids)
    conditions = Conditions()
    conditions.add(" OR ".join(parts) if parts else "1 = 0", params)
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
    paging = ""
    paging_params: list[Any] = []
    if limit is not None:
        paging = " LIMIT %s OFFSET %s"
        paging_params = [limit, offset]
    if text is not None and by_relevance and is_sqlite():
        # bm25() needs the FTS table in the FROM clause; the join lets SQLite start from
        # whichever side is smaller.
        sql = (
            f"SELECT o.id FROM {FTS_TABLE} JOIN {ORGANISATIONS} o ON o.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND {conditions.sql()} "
            f"ORDER BY bm25({FTS_TABLE}, {', '.join(map(str, SQLITE_BM25_WEIGHTS))}), o.id"
        )
        params = [text.fts5(), *conditions.params]
    elif text is not None and by_relevance:
        sql = (
            f"SELECT o.id FROM {ORGANISATIONS} o "
            f"WHERE o.search_vector @@ to_tsquery('simple', %s) AND {conditions.sql()} "
            f"ORDER BY ts_rank_cd('{POSTGRES_RANK_WEIGHTS}'::float4[], o.search_vector, "
            "to_tsquery('simple', %s)) DESC, o.id"
        )
        params = [text.tsquery(), *conditions.params, text.tsquery()]
    else:
        if text is not None:
            conditions = text_condition(text).extend(conditions)
        sql = f"SELECT o.id FROM {ORGANISATIONS} o WHERE {conditions.sql()} ORDER BY o.name, o.id"
        params = list(conditions.params)
    with connection.cursor() as cursor:
        cursor.execute(sql + paging, [*params, *paging_params])
        return [row[0] for row in cursor.fetchall()]


def scoped_matches(
    text: TextQuery, scope: Conditions
) -> list[tuple[int, str, str, str, int | None, str, float]]:
    """(id, sector, status, legal form, income, name, rank) of every match within a place.

    Lower rank is better. A place holds a few thousand organisations while a common word
    matches a tenth of the country, so the place goes first and the text is checked on its
    rows only; the caller then counts, filters, sorts and pages these rows in Python.
    SQLite: FTS5 cannot filter by place and probing it id by id is slow, so one pass over the
    matches keeps those whose id is in the (index-only) place. PostgreSQL: the place's rows
    are materialised first so the planner cannot start from the text index instead.
    """
    if is_sqlite():
        sql = (
            "SELECT o.id, o.sector, o.status, o.legal_form, o.latest_income_pence, o.name, "
            f"bm25({FTS_TABLE}, {', '.join(map(str, SQLITE_BM25_WEIGHTS))}) "
            f"FROM {FTS_TABLE} JOIN {ORGANISATIONS} o ON o.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s "
            # The unary + stops SQLite probing the full-text index once per id in the place.
            f"AND +{FTS_TABLE}.rowid IN (SELECT o.id FROM {ORGANISATIONS} o WHERE {scope.sql()})"
        )
        params = [text.fts5(), *scope.params]
    else:
        sql = (
            "WITH here AS MATERIALIZED ("
            "SELECT o.id, o.sector, o.status, o.legal_form, o.latest_income_pence, o.name, "
            f"o.search_vector FROM {ORGANISATIONS} o WHERE {scope.sql()}), "
            "q AS (SELECT to_tsquery('simple', %s) AS query) "
            "SELECT id, sector, status, legal_form, latest_income_pence, name, "
            f"-ts_rank_cd('{POSTGRES_RANK_WEIGHTS}'::float4[], search_vector, q.query) "
            "FROM here, q WHERE search_vector @@ q.query"
        )
        params = [*scope.params, text.tsquery()]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]  # type: ignore[misc]
