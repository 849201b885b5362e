"""Organisations working across a region or a nation, copied for searches within a place (ADR
0054). PostgreSQL: the table gets a search_vector column with a GIN index, and is filled from the
organisations already stored. SQLite: the table stays empty. The SQL is written out here, not
imported, so this migration keeps doing what it did when the index code changes.
"""

import django.db.models.deletion
from django.db import migrations, models

_COLUMNS = (
    "id, sector, status, legal_form, latest_income_pence, search_name, local_authority_id, "
    "ward_id, latitude, longitude, search_vector"
)
POSTGRES_FORWARD = [
    "ALTER TABLE organisations_widesearchrow ADD COLUMN search_vector tsvector",
    "CREATE INDEX organisations_widesearchrow_vector ON organisations_widesearchrow "
    "USING gin (search_vector)",
    f"INSERT INTO organisations_widesearchrow ({_COLUMNS}) SELECT {_COLUMNS} "
    "FROM organisations_organisation o WHERE EXISTS (SELECT 1 FROM organisations_placelink pl "
    "WHERE pl.organisation_id = o.id AND pl.relation = 'works_in' AND upper(left(pl.gss_code, 3)) "
    "IN ('E12', 'E92', 'W92', 'S92', 'N92', 'K02', 'K03', 'K04'))",
    "ANALYZE organisations_widesearchrow",
]
POSTGRES_BACKWARD = ["DROP INDEX organisations_widesearchrow_vector"]


def _postgres(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0010_place_links_read_from_the_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="WideSearchRow",
            fields=[
                (
                    "organisation",
                    models.OneToOneField(
                        db_column="id",
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="organisations.organisation",
                    ),
                ),
                ("sector", models.CharField(max_length=20)),
                ("status", models.CharField(max_length=10)),
                ("legal_form", models.CharField(blank=True, max_length=200)),
                ("latest_income_pence", models.BigIntegerField(null=True)),
                ("search_name", models.TextField(blank=True)),
                ("local_authority_id", models.IntegerField(null=True)),
                ("ward_id", models.IntegerField(null=True)),
                ("latitude", models.FloatField(null=True)),
                ("longitude", models.FloatField(null=True)),
            ],
        ),
        migrations.RunPython(_postgres(POSTGRES_FORWARD), _postgres(POSTGRES_BACKWARD)),
    ]
