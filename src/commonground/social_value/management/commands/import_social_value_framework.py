"""Load a council's own social value framework from a CSV (UTF-8) or XLSX file."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonground.audit.origin import command_origin

from ...importer import FrameworkDetails, framework_import


class Command(BaseCommand):
    help = (
        "Import a social value framework (one row a measure: theme_code, theme_name, "
        "outcome_code, outcome_name, measure_code, measure_name, unit; optionally "
        "measure_description, proxy_value_gbp, proxy_source, proxy_source_url, proxy_version)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--slug", required=True, help="e.g. trafford-social-value")
        parser.add_argument("--version", dest="framework_version", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--licence", required=True, help="the licence the framework is under")
        parser.add_argument("--publisher", default="")
        parser.add_argument("--source-url", default="")
        parser.add_argument("--licence-url", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        details = FrameworkDetails(
            slug=options["slug"],
            version=options["framework_version"],
            name=options["name"],
            licence=options["licence"],
            publisher=options["publisher"],
            source_url=options["source_url"],
            licence_url=options["licence_url"],
        )
        with command_origin("import_social_value_framework"):
            run = framework_import(options["path"], details)
        if run.status != "succeeded":
            raise CommandError(run.error)
        self.stdout.write(
            f"Loaded {details.name} ({details.version}): {run.rows_loaded} new, "
            f"{run.rows_updated} updated, {run.rows_unchanged} unchanged measures."
        )
