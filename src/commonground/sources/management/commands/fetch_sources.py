"""Get the catalogue's files: from COMMONGROUND_DATA_MIRROR when set, else from the publishers."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonground.sources.catalogue import DATASETS, dataset
from commonground.sources.fetch import FetchError, NotInMirror, fetch_dataset
from commonground.sources.locate import mirror_root


class Command(BaseCommand):
    help = (
        "Download the data-source catalogue's files with progress, resume and checksums "
        "(or read them from the mirror folder when COMMONGROUND_DATA_MIRROR is set)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "datasets", nargs="*", metavar="DATASET", help="dataset codes (default: all)"
        )
        parser.add_argument(
            "--force", action="store_true", help="download again even when the file is already here"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            chosen = [dataset(code) for code in options["datasets"]] or list(DATASETS)
        except KeyError as error:
            known = ", ".join(d.code for d in DATASETS)
            raise CommandError(f"{error.args[0]}. Known datasets: {known}") from None
        root = mirror_root()
        if root is not None:
            self.stdout.write(f"Reading from the mirror at {root} (no downloads).")
        # tqdm redraws its line in place, so it writes to the raw stream, not Django's wrapper.
        progress = getattr(self.stderr, "_out", sys.stderr)
        failures: list[FetchError] = []
        for entry in chosen:
            results, errors = fetch_dataset(entry, progress=progress, force=options["force"])
            for result in results:
                self.stdout.write(
                    f"{result.dataset}/{result.file_key}: {result.how}, {result.size_bytes} bytes, "
                    f"sha256 {result.sha256}"
                )
            for problem in errors:
                if isinstance(problem, NotInMirror):
                    self.stderr.write(self.style.WARNING(f"skipped {problem}"))
                else:
                    self.stderr.write(self.style.ERROR(str(problem)))
                    failures.append(problem)
        if failures:
            raise CommandError(f"{len(failures)} file(s) could not be fetched (see above)")
