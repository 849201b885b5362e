"""manage.py attribute_money: bring every flow's stored attribution level and legal-form rule in
step with `money/data/legal_forms.json` and the flow's link (ADR 0034). Run it after the rules
change; imports and linking keep the flows they write in step themselves."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from commonground.core.page_cache import public_data_changed
from commonground.money.services import flows_attribute


class Command(BaseCommand):
    help = "Attribute every money flow's recipient again by the legal-form rules and its link."

    def handle(self, *args: object, **options: object) -> None:
        with transaction.atomic():
            changed = flows_attribute()
        self.stdout.write(
            f"Flows whose rule changed: {changed['recipient_form_rule']}; "
            f"whose attribution level changed: {changed['recipient_attribution']}."
        )
        if any(changed.values()):
            public_data_changed()  # cached public pages show the new attribution
