"""One index that holds everything the place profile reads of a place's year of flows, so
PostgreSQL answers its grouped reads (figures and attribution, coverage, recipients, the years
with data) from the index alone instead of reading the whole table (ADR 0049).

PostgreSQL only: SQLite has no INCLUDE columns, and a bare (place, year) index there would only
tempt its planner into a lookup of the table for every row. Declared here and not on the model,
as the search vector's index is, since Django would otherwise build it without its INCLUDE
columns on SQLite."""

from django.db import migrations

INDEX = "money_flow_place_year_covering"
COLUMNS = (
    "channel",
    "dataset",
    "payer_key",
    "date",
    "recipient_sector",
    "recipient_link_method",
    "recipient_local_authority_id",
    "recipient_attribution",
    "recipient_form_rule",
    "recipient_organisation_id",
    "recipient_key",
    "amount_pence",
)


def create_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON money_moneyflow (place_id, financial_year) "
            f"INCLUDE ({', '.join(COLUMNS)})"
        )


def drop_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("money", "0009_attribution_index")]

    operations = [migrations.RunPython(create_index, drop_index)]
