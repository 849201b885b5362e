"""manage.py import_register DATASET [--file PATH] [--strict]: load one register or link table."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonground.imports.engine import run_import
from commonground.imports.models import ImportStatus
from commonground.organisations.registers.registry import IMPORTERS, importer_class
from commonground.sources.catalogue import dataset as catalogue_dataset
from commonground.sources.locate import SourceFileMissing, locate


class Command(BaseCommand):
    help = "Import a register (or identifier link table) from the data-source catalogue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dataset", choices=sorted(IMPORTERS), help="a dataset code")
        parser.add_argument(
            "--file", type=Path, help="read this file instead of the catalogue's copy"
        )
        parser.add_argument(
            "--strict", action="store_true", help="load nothing if any row is rejected"
        )
        parser.add_argument(
            "--show", type=int, default=20, help="how many rejected rows to list (default 20)"
        )

    def handle(self, *args: object, **options: object) -> None:
        code = str(options["dataset"])
        cls = importer_class(code)
        path = options["file"]
        if path is None:
            # An importer reading several files names the one to start from; else the first.
            key = getattr(cls, "source_file", None) or catalogue_dataset(code).files[0].key
            try:
                path = locate(code, key)
            except SourceFileMissing as error:
                raise CommandError(str(error)) from error
        importer = cls()
        run = run_import(importer, Path(str(path)), strict=bool(options["strict"]))
        self.stdout.write(
            f"{code}: {run.status} — read {run.rows_read}, loaded {run.rows_loaded}, "
            f"updated {run.rows_updated}, unchanged {run.rows_unchanged}, "
            f"skipped {run.rows_skipped}, rejected {run.rows_rejected} (import run {run.pk})"
        )
        for warning in run.warnings:
            self.stdout.write(f"warning: {warning}")
        show = int(str(options["show"]))
        rejected = list(run.rejected_rows.all()[:show])
        for row in rejected:
            field = f", field '{row.field}'" if row.field else ""
            self.stdout.write(
                f"rejected: {row.file_name}, row {row.row_number}{field}: {row.reason}"
            )
        if run.rows_rejected > len(rejected):
            self.stdout.write(f"… and {run.rows_rejected - len(rejected)} more rejected rows")
        if run.status != ImportStatus.SUCCEEDED:
            raise CommandError(f"the import failed: {run.error}")
        embed_after = getattr(importer, "embed_after", None)
        if embed_after is not None:
            # A national load leaves its new organisations' embeddings until it has committed.
            made = embed_after(self._progress)
            if made:
                self.stdout.write(f"{code}: embedded {made:,} new organisations")

    def _progress(self, done: int, total: int) -> None:
        self.stdout.write(f"embedding the new organisations: {done:,} of {total:,}")
