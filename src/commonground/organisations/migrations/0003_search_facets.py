"""SQLite: rebuild the full-text index with a `facets` column and without positions (ADR 0005).

The place of each organisation goes into the index as tokens (`zlae08000009` for its local
authority and its ward's, `zwde05000001` for its ward), so a search within a place is one
full-text match. `detail=column` drops word positions, which search never uses (no phrase
queries, no bm25), making the index smaller and matches faster. An fts5vocab table over it lists
the indexed words, so a typed prefix can be expanded to the words it stands for.

The table is refilled from the organisations already stored. PostgreSQL is unchanged.
The SQL is written out here, not imported, so this migration keeps doing what it did when the
index code changes.
"""

from django.db import migrations

_TEXT = "tokenize = 'unicode61 remove_diacritics 2'"
_FACETS = (
    "coalesce('zla' || lower(la.gss_code) || ' ', '') || "
    "coalesce(CASE WHEN ward_la.gss_code IS NOT la.gss_code THEN "
    "'zla' || lower(ward_la.gss_code) || ' ' END, '') || "
    "coalesce('zwd' || lower(ward.gss_code), '')"
)
_JOINS = (
    "LEFT JOIN places_place la ON la.id = o.local_authority_id "
    "LEFT JOIN places_place ward ON ward.id = o.ward_id "
    "LEFT JOIN places_place ward_la ON ward_la.id = ward.parent_id"
)

SQLITE_FORWARD = [
    "DROP TABLE organisations_search",
    "CREATE VIRTUAL TABLE organisations_search USING fts5("
    f"name, other_names, activities, facets, {_TEXT}, detail = column)",
    "CREATE VIRTUAL TABLE organisations_search_words USING fts5vocab(organisations_search, row)",
    "INSERT INTO organisations_search (rowid, name, other_names, activities, facets) "
    f"SELECT o.id, o.search_name, o.search_other, o.activities, {_FACETS} "
    f"FROM organisations_organisation o {_JOINS}",
]
SQLITE_BACKWARD = [
    "DROP TABLE organisations_search_words",
    "DROP TABLE organisations_search",
    f"CREATE VIRTUAL TABLE organisations_search USING fts5(name, other_names, activities, {_TEXT})",
    "INSERT INTO organisations_search (rowid, name, other_names, activities) "
    "SELECT id, search_name, search_other, activities FROM organisations_organisation",
]


def _run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("organisations", "0002_search_index"), ("places", "0001_initial")]

    operations = [migrations.RunPython(_run(SQLITE_FORWARD), _run(SQLITE_BACKWARD))]
