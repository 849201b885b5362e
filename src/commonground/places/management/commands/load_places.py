"""Load the geography through the data-source catalogue: districts, GB-LAE codes, boundaries,
postcodes. Each step is one ImportRun; re-running changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonground.imports.engine import Importer, run_import
from commonground.imports.models import ImportRun, ImportStatus
from commonground.places.importers.boundaries import (
    LocalAuthorityBoundaryImporter,
    WardBoundariesImporter,
)
from commonground.places.importers.gb_lae import GbLaeCodesImporter
from commonground.places.importers.local_authorities import LocalAuthoritiesImporter
from commonground.places.importers.postcodes import (
    NationalPostcodesImporter,
    TraffordPostcodesImporter,
)
from commonground.sources.locate import SourceFileMissing, locate


def steps(national_postcodes: Path | None) -> list[tuple[str, Importer[Any], Path]]:
    """Districts come first: wards hang under them and boundaries are added to them."""
    found: list[tuple[str, Importer[Any], Path]] = [
        (
            "local authority districts",
            LocalAuthoritiesImporter(),
            locate("local_authorities_iod2025", "districts"),
        ),
        (
            "GB-LAE codes",
            GbLaeCodesImporter(gss_mapping=locate("gb_lae_codes", "gss_mapping")),
            locate("gb_lae_codes", "register"),
        ),
        (
            "Trafford boundary",
            LocalAuthorityBoundaryImporter(),
            locate("trafford_wards", "local_authority"),
        ),
        ("Trafford wards", WardBoundariesImporter(), locate("trafford_wards", "wards")),
        (
            "Trafford postcodes",
            TraffordPostcodesImporter(),
            locate("trafford_postcodes", "postcodes"),
        ),
    ]
    if national_postcodes is not None:
        found.append(("national postcodes", NationalPostcodesImporter(), national_postcodes))
    return found


class Command(BaseCommand):
    help = (
        "Load local authority districts, GB-LAE codes, Trafford's wards and boundary, "
        "and postcodes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--national-postcodes",
            type=Path,
            metavar="PATH",
            help="also load a national ONSPD or NSPL file (CSV, or the zip as published)",
        )
        parser.add_argument(
            "--strict", action="store_true", help="load nothing from a file that has a bad row"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plan = steps(options["national_postcodes"])
        except SourceFileMissing as error:
            raise CommandError(str(error)) from error
        failed: list[ImportRun] = []
        for label, importer, path in plan:
            run = run_import(importer, path, strict=options["strict"])
            self.stdout.write(f"{label}: {summary(run)}")
            if run.status != ImportStatus.SUCCEEDED:
                failed.append(run)
        if failed:
            raise CommandError("; ".join(f"{run.dataset} #{run.pk}: {run.error}" for run in failed))


def summary(run: ImportRun) -> str:
    if run.status != ImportStatus.SUCCEEDED:
        return f"failed – {run.error}"
    return (
        f"read {run.rows_read}, loaded {run.rows_loaded}, updated {run.rows_updated}, "
        f"unchanged {run.rows_unchanged}, rejected {run.rows_rejected}"
    )
