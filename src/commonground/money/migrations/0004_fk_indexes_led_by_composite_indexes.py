"""Four single-column foreign-key indexes on money flows are dropped: each column already leads
one of the table's composite indexes (place, date; recipient organisation, date; payer
organisation, date; import run), which serves the same lookups. Fewer indexes make bulk loads
cheaper. Only the indexes go (no table rebuild on SQLite); the names are Django's own, the same
on both databases."""

import django.db.models.deletion
from django.db import migrations, models

# (field, column, Django's name for its index)
INDEXES = (
    ("import_run", "import_run_id", "money_moneyflow_import_run_id_bc288103"),
    (
        "payer_organisation",
        "payer_organisation_id",
        "money_moneyflow_payer_organisation_id_547a038a",
    ),
    ("place", "place_id", "money_moneyflow_place_id_6d359ce5"),
    (
        "recipient_organisation",
        "recipient_organisation_id",
        "money_moneyflow_recipient_organisation_id_04b67f8e",
    ),
)
TARGETS = {
    "import_run": ("imports.importrun", "+"),
    "payer_organisation": ("organisations.organisation", "money_paid"),
    "place": ("places.place", "+"),
    "recipient_organisation": ("organisations.organisation", "money_received"),
}


def _field(name: str) -> models.ForeignKey:
    to, related_name = TARGETS[name]
    return models.ForeignKey(
        blank=True,
        db_index=False,
        null=True,
        on_delete=django.db.models.deletion.SET_NULL,
        related_name=related_name,
        to=to,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial"),
        ("money", "0003_profile_index_with_dataset"),
        ("organisations", "0004_link_reviews"),
        ("places", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(model_name="moneyflow", name=name, field=_field(name))
                for name, _, _ in INDEXES
            ],
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX IF EXISTS "{index}"',
                    reverse_sql=f'CREATE INDEX "{index}" ON "money_moneyflow" ("{column}")',
                )
                for _, column, index in INDEXES
            ],
        )
    ]
