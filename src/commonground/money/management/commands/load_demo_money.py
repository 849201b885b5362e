"""The money flows part of `make demo` (called by load_demo). Re-running changes nothing.

Trafford's grants (360Giving), its 2026-27 supplier spend and the Contracts Finder notices,
each an ordinary import with its own ImportRun, linked to the organisations already loaded.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from commonground.imports.models import ImportStatus
from commonground.money.importers import DEMO_FILES, import_catalogue_file
from commonground.sources.locate import SourceFileMissing


class Command(BaseCommand):
    help = "Load the Trafford demo data for money flows."

    def handle(self, *args: Any, **options: Any) -> None:
        totals = {"loaded": 0, "updated": 0, "unchanged": 0, "rejected": 0}
        for dataset, keys in DEMO_FILES:
            for key in keys:
                try:
                    run = import_catalogue_file(dataset, key)
                except SourceFileMissing as error:
                    raise CommandError(str(error)) from error
                if run.status not in ImportStatus.loaded():
                    raise CommandError(f"{dataset}/{key}: {run.error}")
                totals["loaded"] += run.rows_loaded
                totals["updated"] += run.rows_updated
                totals["unchanged"] += run.rows_unchanged
                totals["rejected"] += run.rows_rejected
            self.stdout.write(f"money: {dataset} imported")
        self.stdout.write(
            "money flows: {loaded} new, {updated} updated, {unchanged} unchanged, "
            "{rejected} rejected".format(**totals)
        )
