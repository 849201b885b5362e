"""A flow's record key is unique in the whole ledger, not only within its dataset (ADR 0030)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("money", "0005_flow_identity_from_content")]

    operations = [
        migrations.RemoveConstraint(model_name="moneyflow", name="money_flow_unique"),
        migrations.AddConstraint(
            model_name="moneyflow",
            constraint=models.UniqueConstraint(fields=("record_key",), name="money_flow_identity"),
        ),
    ]
