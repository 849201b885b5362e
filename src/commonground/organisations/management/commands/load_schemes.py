"""manage.py load_schemes [--folder PATH]: load org-id.guide schemes and Common Ground's own."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonground.core.page_cache import public_data_changed
from commonground.imports.errors import FileRejected
from commonground.organisations.schemes import identifier_schemes_load
from commonground.sources.catalogue import dataset
from commonground.sources.locate import SourceFileMissing, locate


class Command(BaseCommand):
    help = "Load the org-id.guide identifier schemes (gb-*.json) and Common Ground's local ones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--folder",
            type=Path,
            help="a folder of org-id.guide lists (gb-*.json); default: the catalogue's copy",
        )

    def handle(self, *args: object, **options: object) -> None:
        folder = options["folder"]
        if folder is None:
            try:
                folder = locate("orgid_schemes", dataset("orgid_schemes").files[0].key).parent
            except SourceFileMissing as error:
                raise CommandError(str(error)) from error
        paths = sorted(Path(str(folder)).glob("gb-*.json"))
        if not paths:
            raise CommandError(f"no org-id.guide lists (gb-*.json) in {folder}")
        try:
            counts = identifier_schemes_load(paths)
        except FileRejected as error:
            raise CommandError(f"nothing was loaded: {error.message}") from error
        public_data_changed()  # organisation pages name the schemes
        self.stdout.write(
            f"identifier schemes from {len(paths)} lists: loaded {counts.loaded}, "
            f"updated {counts.updated}, unchanged {counts.unchanged}"
        )
