"""The flows explorer's two orders (newest or oldest, largest or smallest) read from an index
and stopped after a page, not every flow sorted for the first 50 (ADR 0064)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('money', '0010_place_year_covering_index'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='moneyflow',
            index=models.Index(fields=['date', 'id'], name='money_flow_date_order'),
        ),
        migrations.AddIndex(
            model_name='moneyflow',
            index=models.Index(fields=['amount_pence', 'id'], name='money_flow_amount_order'),
        ),
    ]
