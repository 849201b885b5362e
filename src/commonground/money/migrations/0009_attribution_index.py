"""The index the profile's attribution scan reads (ADR 0034). Its own migration: on PostgreSQL
an index cannot be built in the transaction that has just updated the table's rows (migration
0008), while deferred foreign-key checks are pending."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("money", "0008_attribution_stored_on_flows")]

    operations = [
        migrations.AddIndex(
            model_name="moneyflow",
            index=models.Index(
                fields=[
                    "place",
                    "financial_year",
                    "channel",
                    "recipient_attribution",
                    "recipient_form_rule",
                    "recipient_sector",
                    "date",
                    "amount_pence",
                ],
                name="money_flow_attribution",
            ),
        ),
    ]
