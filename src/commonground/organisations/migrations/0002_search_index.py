"""The full-text index, one per database (ADR 0005).

SQLite: an FTS5 table keyed by organisation id. PostgreSQL: a tsvector column with a GIN index.
Both are filled by organisations.search.index.refresh_search_index.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE organisations_search USING fts5("
    "name, other_names, activities, tokenize = 'unicode61 remove_diacritics 2')",
]
SQLITE_BACKWARD = ["DROP TABLE organisations_search"]
POSTGRES_FORWARD = [
    "ALTER TABLE organisations_organisation ADD COLUMN search_vector tsvector",
    "CREATE INDEX organisations_search_vector ON organisations_organisation "
    "USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX organisations_search_vector",
    "ALTER TABLE organisations_organisation DROP COLUMN search_vector",
]


def _run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
