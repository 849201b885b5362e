"""`manage.py import_services --file feed.json`: services from an HSDS 3 (Open Referral UK) feed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonground.audit.origin import command_origin
from commonground.core.page_cache import public_data_changed
from commonground.profiles.importer import import_services


class Command(BaseCommand):
    help = "Import services from an HSDS 3 JSON feed; a file with any invalid record loads nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", required=True, help="Path of the HSDS 3 JSON file")

    def handle(self, *args: Any, **options: Any) -> None:
        with command_origin("import_services"):
            run = import_services(options["file"])
        if run.status != "succeeded":
            raise CommandError(f"Import run {run.pk} failed: {run.error}")
        public_data_changed()
        changed = run.rows_loaded + run.rows_updated
        summary = (
            f"Import run {run.pk}: {run.rows_read} services read, {run.rows_loaded} new, "
            f"{run.rows_updated} updated, {run.rows_unchanged} unchanged."
        )
        if changed:
            self.stdout.write(self.style.SUCCESS(summary))
        else:
            self.stdout.write(summary + " Nothing new was loaded.")
