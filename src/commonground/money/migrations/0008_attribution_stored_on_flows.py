"""Each flow stores its recipient's attribution level and the legal-form rule its name matches
(ADR 0034), computed here for the flows already in the ledger by the rules of
data/legal_forms.json: before, both were worked out by regular expressions at every query.
Later rule changes are brought in with `manage.py attribute_money`."""

from typing import Any

from django.db import migrations, models
from django.db.models import Q

from commonground.money.attribution import INFERRED, REGISTER, form_rule_code
from commonground.money.linking import LINKED_METHODS
from commonground.money.services import set_form_rules


def attribute_flows(apps: Any, schema_editor: Any) -> None:
    flow = apps.get_model("money", "MoneyFlow")
    redacted = Q(recipient_link_method="redacted")
    flow.objects.filter(redacted).update(recipient_form_rule="withheld")
    names = flow.objects.exclude(redacted).values_list("recipient_name", flat=True).distinct()
    pairs = [(name, form_rule_code(name, False)) for name in names]
    set_form_rules(schema_editor.connection, [(n, code) for n, code in pairs if code])
    linked = Q(
        recipient_link_method__in=sorted(LINKED_METHODS), recipient_organisation__isnull=False
    )
    flow.objects.filter(linked).update(recipient_attribution=REGISTER)
    flow.objects.filter(~linked & ~Q(recipient_form_rule="")).update(
        recipient_attribution=INFERRED
    )


class Migration(migrations.Migration):
    dependencies = [("money", "0007_place_profile_index_covers_the_recipient")]

    operations = [
        migrations.AddField(
            model_name="moneyflow",
            name="recipient_attribution",
            field=models.CharField(
                choices=[
                    ("register", "Register (identifier or register link)"),
                    ("inferred", "Inferred from the name (legal form)"),
                    ("unknown", "Unknown"),
                ],
                default="unknown",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="moneyflow",
            name="recipient_form_rule",
            field=models.CharField(blank=True, default="", max_length=40),
        ),
        migrations.RunPython(attribute_flows, migrations.RunPython.noop),
    ]
