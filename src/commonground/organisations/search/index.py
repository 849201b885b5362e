"""The full-text index of organisations, in the database: SQLite FTS5 or PostgreSQL tsvector.

Both are kept up to date by the organisation services (no triggers: the services are the one
place that writes organisations). The index tables are created by migrations 0002 and 0003
(ADR 0005).

The index also holds where each organisation is, as tokens (`zlae08000009` for its local
authority, `zwde05000001` for its ward, `zwa...` for a place it works in): in a `facets` column
on SQLite, and with the lowest weight in `search_vector` on PostgreSQL. So a search within a
place is one full-text lookup (a word and a place meet in the index) instead of a read of the
place's organisations joined back one row at a time (ADR 0024, amendment of 2026-12-04).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection

from commonground.core.page_cache import public_data_changed

FTS_TABLE = "organisations_search"
# fts5vocab over FTS_TABLE: the indexed words, for expanding a prefix (see query.py).
VOCABULARY_TABLE = "organisations_search_words"
# Facet tokens start with "z" so that a prefix someone types ("la", "wd", "w") does not
# expand to thousands of place tokens.
LOCAL_AUTHORITY_FACET = "zla"
WARD_FACET = "zwd"
# A place the organisation works in, by its records' areas of operation (ADR 0022): a local
# authority, or a wider area (a county, a region, a nation) kept as that area's own code.
WORKS_IN_FACET = "zwa"


def place_token(prefix: str, gss_code: str) -> str:
    return f"{prefix}{gss_code.strip().lower()}"


# GSS codes of a region or a nation (England E92, Wales W92, ..., England and Wales K04): an
# organisation working across one is read by every search within a place there, so on
# PostgreSQL it is also copied to WIDE_SEARCH_TABLE (ADR 0054). Counties and metropolitan
# areas are not: they hold few places, and their organisations few searches.
WIDE_AREA_PREFIXES = ("E12", "E92", "W92", "S92", "N92", "K02", "K03", "K04")
WIDE_SEARCH_TABLE = "organisations_widesearchrow"


def is_wide_area_token(token: str) -> bool:
    """A place token that names a region or a nation an organisation works in."""
    return token.startswith(WORKS_IN_FACET) and token[len(WORKS_IN_FACET) :].upper().startswith(
        WIDE_AREA_PREFIXES
    )


# The organisations `o` that work across a region or a nation (the rows WIDE_SEARCH_TABLE
# holds): a works-in link naming one, as their search vectors' works-in tokens do.
_WORKS_WIDE_SQL = (
    "EXISTS (SELECT 1 FROM organisations_placelink pl WHERE pl.organisation_id = o.id "
    "AND pl.relation = 'works_in' AND upper(left(pl.gss_code, 3)) IN ("
    + ", ".join(f"'{prefix}'" for prefix in WIDE_AREA_PREFIXES)
    + "))"
)
_WIDE_COLUMNS = (
    "id, sector, status, legal_form, latest_income_pence, search_name, local_authority_id, "
    "ward_id, latitude, longitude, search_vector"
)


# The facet tokens of organisation `o`, from its local authority, its ward and the ward's local
# authority (so a local authority finds organisations placed only by ward). NULL || text is
# NULL, so a missing place adds nothing.
SQLITE_FACETS_SQL = (
    f"coalesce('{LOCAL_AUTHORITY_FACET}' || lower(la.gss_code) || ' ', '') || "
    f"coalesce(CASE WHEN ward_la.gss_code IS NOT la.gss_code THEN '{LOCAL_AUTHORITY_FACET}' || "
    "lower(ward_la.gss_code) || ' ' END, '') || "
    f"coalesce('{WARD_FACET}' || lower(ward.gss_code), '') || "
    f"coalesce((SELECT ' ' || group_concat('{WORKS_IN_FACET}' || lower(pl.gss_code), ' ') "
    "FROM organisations_placelink pl "
    "WHERE pl.organisation_id = o.id AND pl.relation = 'works_in'), '')"
)
# The same tokens on PostgreSQL, as one space-separated text (concat_ws leaves out NULLs).
POSTGRES_FACETS_SQL = (
    "concat_ws(' ', "
    f"(SELECT '{LOCAL_AUTHORITY_FACET}' || lower(la.gss_code) FROM places_place la "
    "WHERE la.id = o.local_authority_id), "
    f"(SELECT '{LOCAL_AUTHORITY_FACET}' || lower(ward_la.gss_code) FROM places_place ward "
    "JOIN places_place ward_la ON ward_la.id = ward.parent_id WHERE ward.id = o.ward_id), "
    f"(SELECT '{WARD_FACET}' || lower(ward.gss_code) FROM places_place ward "
    "WHERE ward.id = o.ward_id), "
    f"(SELECT string_agg('{WORKS_IN_FACET}' || lower(pl.gss_code), ' ') "
    "FROM organisations_placelink pl "
    "WHERE pl.organisation_id = o.id AND pl.relation = 'works_in'))"
)
# An organisation's activities as PostgreSQL indexes them: accents dropped and every run of
# characters that are not letters or digits made a space, as SQLite's FTS5 tokenizer
# (unicode61, remove_diacritics 2) splits them. Without it PostgreSQL's parser reads
# "groups.Supporting" as a host name, "parents/carers" as a file path and "6-25" as 6 and -25,
# so the word lookups of the two databases differed (ADR 0003, ADR 0047).
POSTGRES_ACTIVITIES_WORDS_SQL = (
    "regexp_replace(regexp_replace(normalize(left(o.activities, 20000), NFD), "
    "'[\\u0300-\\u036f]', '', 'g'), '[^[:alnum:]]+', ' ', 'g')"
)
# Organisation `o`'s search vector on PostgreSQL (set here, and as a staged load inserts it).
POSTGRES_SEARCH_VECTOR_SQL = (
    "setweight(to_tsvector('simple', o.search_name), 'A') || "
    "setweight(to_tsvector('simple', o.search_other), 'B') || "
    f"setweight(to_tsvector('simple', {POSTGRES_ACTIVITIES_WORDS_SQL}), 'C') || "
    f"setweight(to_tsvector('simple', {POSTGRES_FACETS_SQL}), 'D')"
)
SQLITE_FACETS_JOINS = (
    "LEFT JOIN places_place la ON la.id = o.local_authority_id "
    "LEFT JOIN places_place ward ON ward.id = o.ward_id "
    "LEFT JOIN places_place ward_la ON ward_la.id = ward.parent_id"
)


def refresh_search_index(org_ids: Iterable[int]) -> None:
    """Index these organisations afresh. What a search reads has changed, so the public data
    generation is replaced when the transaction commits (search/scopes.py keeps a place's
    organisations for the generation)."""
    ids = list(org_ids)
    if not ids:
        return
    public_data_changed()
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join(["%s"] * len(chunk))
            if connection.vendor == "sqlite":
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", chunk)
                cursor.execute(
                    f"INSERT INTO {FTS_TABLE} (rowid, name, other_names, activities, facets) "
                    f"SELECT o.id, o.search_name, o.search_other, o.activities, "
                    f"{SQLITE_FACETS_SQL} FROM organisations_organisation o "
                    f"{SQLITE_FACETS_JOINS} WHERE o.id IN ({marks})",
                    chunk,
                )
            else:
                _update_postgres_vectors(cursor, chunk)
                # Their copies for searches within a place, made afresh from the rows just
                # indexed (an organisation no longer working widely loses its copy).
                cursor.execute(f"DELETE FROM {WIDE_SEARCH_TABLE} WHERE id IN ({marks})", chunk)
                cursor.execute(
                    f"INSERT INTO {WIDE_SEARCH_TABLE} ({_WIDE_COLUMNS}) "
                    f"SELECT {_WIDE_COLUMNS} FROM organisations_organisation o "
                    f"WHERE o.id IN ({marks}) AND {_WORKS_WIDE_SQL}",
                    chunk,
                )


def rebuild_postgres_search_vectors(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    """A migration's step: every organisation's vector built afresh on PostgreSQL, in batches
    (the vector lives on the row there; SQLite's index table is not changed by this)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    organisation = apps.get_model("organisations", "Organisation")
    ids = list(organisation.objects.order_by("pk").values_list("pk", flat=True))
    public_data_changed()
    # The vectors alone: the migrations that call this come before the copies of the
    # organisations working widely existed (migration 0011 makes those).
    with schema_editor.connection.cursor() as cursor:
        for start in range(0, len(ids), 5000):
            _update_postgres_vectors(cursor, ids[start : start + 5000])


def _update_postgres_vectors(cursor: Any, ids: list[int]) -> None:
    marks = ",".join(["%s"] * len(ids))
    cursor.execute(
        "UPDATE organisations_organisation o SET search_vector = "
        f"{POSTGRES_SEARCH_VECTOR_SQL} WHERE o.id IN ({marks})",
        ids,
    )


def remove_from_search_index(org_ids: Iterable[int]) -> None:
    ids = list(org_ids)
    if not ids:
        return
    public_data_changed()
    if connection.vendor != "sqlite":
        return  # on PostgreSQL the vector lives on the row and goes with it
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", chunk)
