"""manage.py import_money KIND --file PATH [--layout NAME] [--dataset CODE] [--strict]

KIND is spend (with --layout), 360giving or ocds (a file or a folder), or a catalogue dataset
code standing for one of them (trafford_spend, trafford_grants, contracts_finder, ...), which
may read the catalogue's file (--key) instead of --file. The run's status word is printed;
the command fails (non-zero) only when the run failed.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonground.imports.models import ImportRun, ImportStatus
from commonground.money.importers import (
    ALIASES,
    KINDS,
    UnknownLayout,
    import_catalogue_file,
    import_file,
)
from commonground.sources.catalogue import dataset as catalogue_dataset
from commonground.sources.locate import SourceFileMissing


class Command(BaseCommand):
    help = "Import council spend, 360Giving grants or OCDS contracts into the money ledger."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=[*KINDS, *sorted(ALIASES)])
        parser.add_argument("--file", type=Path, help="the file (ocds: or folder) to read")
        parser.add_argument("--layout", default="", help="spend: the council's layout")
        parser.add_argument(
            "--publisher",
            default="",
            help="spend: the council that paid, for a layout shared by many (lga_template)",
        )
        parser.add_argument(
            "--dataset", default="", help="the dataset code (default: the publisher's prefix)"
        )
        parser.add_argument("--key", help="a catalogue code's file to read (default: the first)")
        parser.add_argument("--strict", action="store_true", help="load nothing if a row fails")

    def handle(self, *args: object, **options: object) -> None:
        kind = str(options["kind"])
        strict = bool(options["strict"])
        try:
            if options["file"]:
                run = import_file(
                    kind,
                    Path(str(options["file"])),
                    strict=strict,
                    layout=str(options["layout"]),
                    dataset=str(options["dataset"]),
                    publisher=str(options["publisher"]),
                )
            elif kind in ALIASES:
                key = str(options["key"] or catalogue_dataset(kind).files[0].key)
                run = import_catalogue_file(kind, key, strict=strict)
            else:
                raise CommandError(f"import_money {kind} needs --file PATH")
        except (SourceFileMissing, UnknownLayout) as error:
            raise CommandError(str(error)) from error
        self._report(run)
        if run.status == ImportStatus.FAILED:
            raise CommandError(f"the import failed: {run.error}")

    def _report(self, run: ImportRun) -> None:
        self.stdout.write(
            f"{run.dataset}: {run.status} — read {run.rows_read}, loaded {run.rows_loaded}, "
            f"updated {run.rows_updated}, unchanged {run.rows_unchanged}, "
            f"rejected {run.rows_rejected} (import run {run.pk})"
        )
        for warning in run.warnings[:20]:
            self.stdout.write(f"warning: {warning}")
        if len(run.warnings) > 20:
            self.stdout.write(f"… and {len(run.warnings) - 20} more warnings on the import run")
        for row in run.rejected_rows.all()[:20]:
            field = f", field '{row.field}'" if row.field else ""
            self.stdout.write(
                f"rejected: {row.file_name}, row {row.row_number}{field}: {row.reason}"
            )
