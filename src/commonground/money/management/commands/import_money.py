"""manage.py import_money DATASET [--file PATH] [--key KEY] [--strict]: load money flows."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonground.imports.models import ImportStatus
from commonground.money.importers import IMPORTERS, import_catalogue_file, import_file
from commonground.sources.catalogue import dataset as catalogue_dataset
from commonground.sources.locate import SourceFileMissing


class Command(BaseCommand):
    help = "Import grants, contracts or council spend into the money ledger."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dataset", choices=sorted(IMPORTERS))
        parser.add_argument("--file", type=Path, help="read this file instead of the catalogue's")
        parser.add_argument("--key", help="the catalogue file to read (default: the first)")
        parser.add_argument("--strict", action="store_true", help="load nothing if a row fails")

    def handle(self, *args: object, **options: object) -> None:
        code = str(options["dataset"])
        strict = bool(options["strict"])
        try:
            if options["file"]:
                run = import_file(code, Path(str(options["file"])), strict=strict)
            else:
                key = str(options["key"] or catalogue_dataset(code).files[0].key)
                run = import_catalogue_file(code, key, strict=strict)
        except SourceFileMissing as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{code}: {run.status} — read {run.rows_read}, loaded {run.rows_loaded}, "
            f"updated {run.rows_updated}, unchanged {run.rows_unchanged}, "
            f"rejected {run.rows_rejected} (import run {run.pk})"
        )
        for warning in run.warnings[:20]:
            self.stdout.write(f"warning: {warning}")
        for row in run.rejected_rows.all()[:20]:
            field = f", field '{row.field}'" if row.field else ""
            self.stdout.write(
                f"rejected: {row.file_name}, row {row.row_number}{field}: {row.reason}"
            )
        if run.status != ImportStatus.SUCCEEDED:
            raise CommandError(f"the import failed: {run.error}")
