"""Planner statistics kept up to date by the writes that change them (ADR 0044).

PostgreSQL chooses how to run a query from statistics that ANALYZE gathers. Until a table is
analysed after a large load, the planner believes it holds almost nothing: a place profile over
210,000 freshly imported flows was planned as if it read one row, sorted on disk, and took four
times as long as the same query once the table was analysed. Autovacuum analyses a table at
some point after it changes (and not at all where it is turned off), so a large import analyses
the tables it wrote itself, as soon as it has committed: the first reader after an import gets
the same plans as every later one.

`tables_written()` is asked inside the writing transaction (PostgreSQL counts the rows each
table gained, lost or changed in it); `analyse()` runs after the commit. Outside any transaction
(an import run as a command) it vacuums as well: VACUUM marks the table's pages all-visible,
without which PostgreSQL cannot answer a query from a covering index alone and reads the whole
table instead (the place profile's reads, ADR 0049). Inside a transaction (a
test, or an import called from other work) VACUUM is not allowed, so it only analyses.

SQLite without statistics guesses that any indexed equality picks out a few rows, so a ward's
profile was read through the index on its authority, all 250,000 of Trafford's flows, not the
14 of its ward (0.75 s against 0.04 s with statistics). SQLite cannot say which tables a
transaction wrote, so after an import that loaded or changed at least MIN_ROWS_CHANGED records
the whole database is analysed, sampling each index (`PRAGMA analysis_limit`): 0.3 s for the
demo's 570 MB database (ADR 0064).
"""

from __future__ import annotations

from django.db import connection

# A table whose rows changed by at least this many in one import is analysed afterwards. Small
# imports change the statistics too little to matter (and autovacuum covers them).
MIN_ROWS_CHANGED = 1000
# What tables_written names on SQLite: every table, which analyse() treats as the whole database.
WHOLE_DATABASE = "*"
# Rows of each index SQLite's ANALYZE reads (its own advice for routine use is a few hundred to
# a thousand): the estimates need the shape of the data, not exact counts.
SQLITE_ANALYSIS_LIMIT = 1000


def tables_written(min_rows: int | None = None, records_changed: int = 0) -> list[str]:
    """The tables this transaction inserted, updated or deleted at least min_rows (by default
    MIN_ROWS_CHANGED) rows of. SQLite cannot say: there it is [WHOLE_DATABASE] when the caller
    changed at least min_rows records (`records_changed`), else []."""
    if min_rows is None:
        min_rows = MIN_ROWS_CHANGED
    if connection.vendor == "sqlite":
        return [WHOLE_DATABASE] if records_changed >= min_rows else []
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT schemaname, relname FROM pg_stat_xact_user_tables "
            "WHERE n_tup_ins + n_tup_upd + n_tup_del >= %s ORDER BY relname",
            [min_rows],
        )
        return [f"{schema}.{table}" for schema, table in cursor.fetchall()]


def analyse(tables: list[str]) -> None:
    """ANALYZE each table (names as tables_written gives them), and VACUUM it too when no
    transaction is open (PostgreSQL). On SQLite, ANALYZE the whole database by sampling."""
    if connection.vendor == "sqlite" and tables:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE")
        return
    if connection.vendor != "postgresql" or not tables:
        return
    quote = connection.ops.quote_name
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for name in tables:
            schema, _, table = name.partition(".")
            cursor.execute(f"{command} {quote(schema)}.{quote(table)}")
