"""PostgreSQL: the pattern-matching twins Django made of some indexes, which no query uses,
dropped (ADR 0056).

For a CharField with an index, Django adds on PostgreSQL a second index with the
varchar_pattern_ops operator class, for LIKE 'prefix%'. No query filters these columns by a
pattern (they are matched exactly), yet every insert and update kept both indexes up to date.
SQLite has no such twins: nothing changes there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import migrations

UNUSED = {
    "organisations_organisation": ("org_id", "sector", "legal_form", "status", "postcode"),
    "organisations_identifier": ("value", "scheme"),
}

_PATTERN_INDEXES = """
SELECT i.relname, a.attname
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0]
JOIN pg_opclass o ON o.oid = x.indclass[0]
WHERE t.relname = %s AND x.indnatts = 1 AND o.opcname = 'varchar_pattern_ops'
  AND a.attname = ANY(%s)
"""


def drop(apps: Any, schema_editor: Any) -> None:
    def work(cursor: Any, quote: Callable[[str], str]) -> None:
        for table, columns in UNUSED.items():
            cursor.execute(_PATTERN_INDEXES, [table, list(columns)])
            for index, _ in cursor.fetchall():
                cursor.execute(f"DROP INDEX IF EXISTS {quote(index)}")

    _on_postgres(schema_editor, work)


def recreate(apps: Any, schema_editor: Any) -> None:
    def work(cursor: Any, quote: Callable[[str], str]) -> None:
        for table, columns in UNUSED.items():
            for column in columns:
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {quote(f'{table}_{column}_like')} "
                    f"ON {quote(table)} ({quote(column)} varchar_pattern_ops)"
                )

    _on_postgres(schema_editor, work)


def _on_postgres(schema_editor: Any, work: Callable[[Any, Callable[[str], str]], None]) -> None:
    """Run `work(cursor, quote_name)` on PostgreSQL; SQLite has no pattern indexes."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        work(cursor, schema_editor.quote_name)


class Migration(migrations.Migration):
    dependencies = [("organisations", "0011_wide_search_rows")]

    operations = [migrations.RunPython(drop, recreate)]
