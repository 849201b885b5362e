"""manage.py relink_money [DATASET ...]: link every flow's payer and recipient again (after new
registers are loaded, or the linkage model changed). Reviewers' decisions are kept."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from commonground.core.page_cache import public_data_changed
from commonground.money.models import MoneyFlow
from commonground.money.services import flows_attribute, flows_link_dataset


class Command(BaseCommand):
    help = "Link the money ledger's payers and recipients to organisations again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("datasets", nargs="*")

    def handle(self, *args: object, **options: object) -> None:
        datasets = list(options["datasets"] or []) or sorted(  # type: ignore[call-overload]
            set(MoneyFlow.objects.values_list("dataset", flat=True).distinct())
        )
        for dataset in datasets:
            with transaction.atomic():
                counts = flows_link_dataset(dataset)
            summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            self.stdout.write(f"{dataset}: {summary}")
        with transaction.atomic():
            flows_attribute()  # levels of flows whose organisation has gone, too
        public_data_changed()  # cached public pages show the new links
