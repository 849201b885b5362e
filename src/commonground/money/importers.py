"""Which importer reads which catalogue dataset of money flows, and the demo's files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from commonground.imports.engine import Importer, run_import
from commonground.imports.models import ImportRun
from commonground.sources.catalogue import dataset as catalogue_dataset
from commonground.sources.locate import locate

from .giving.importer import GrantsImporter
from .ocds import ContractsImporter
from .records import FlowRecord
from .spend import SpendImporter


def _spend() -> Importer[FlowRecord]:
    return SpendImporter("trafford", metadata=locate("trafford_spend", "metadata"))


IMPORTERS: dict[str, Callable[[], Importer[FlowRecord]]] = {
    "trafford_grants": lambda: GrantsImporter("trafford_grants"),
    "ab_charitable_trust_grants": lambda: GrantsImporter("ab_charitable_trust_grants"),
    "power_to_change_grants": lambda: GrantsImporter("power_to_change_grants"),
    "trafford_spend": _spend,
    "contracts_finder": lambda: ContractsImporter("contracts_finder"),
}

# The files `make demo` loads: Trafford's grants, its 2024-25 and 2026-27 spend (two years to
# compare), the Contracts Finder notices.
DEMO_FILES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("trafford_grants", ("json",)),
    ("trafford_spend", ("2024-25", "2026-27")),
    (
        "contracts_finder",
        tuple(f.key for f in catalogue_dataset("contracts_finder").files),
    ),
)


def import_file(dataset: str, path: Path, *, strict: bool = False) -> ImportRun:
    return run_import(IMPORTERS[dataset](), path, strict=strict)


def import_catalogue_file(dataset: str, key: str, *, strict: bool = False) -> ImportRun:
    return import_file(dataset, locate(dataset, key), strict=strict)
