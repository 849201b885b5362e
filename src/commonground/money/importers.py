"""Which importer reads which money file: three kinds (council spend by layout, 360Giving,
OCDS), the catalogue's dataset codes as aliases of them, and the demo's files.

- spend: a council's layout (an entry in layouts/spend.json) names its dataset code;
- 360giving: any funder's file; the dataset code defaults to the publisher's 360Giving prefix
  (the one its grant identifiers share), or the catalogue code that declares that prefix;
- ocds: a release or record package, or a folder of them read as one run; the dataset code
  defaults to the OCID prefix, or the catalogue code that declares it.

A flow's identity does not depend on the dataset code (identity.py): a file imported under two
codes is counted once.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from commonground.imports.engine import Importer, run_import
from commonground.imports.errors import FileRejected
from commonground.imports.models import ImportRun
from commonground.sources.catalogue import dataset as catalogue_dataset
from commonground.sources.locate import SourceFileMissing, locate

from .giving.importer import GrantsImporter
from .giving.readers import read_grants_file
from .identity import giving_prefix
from .ocds import ContractsImporter, package_files
from .records import FlowRecord
from .spend import SpendImporter, layouts

KINDS = ("spend", "360giving", "ocds")


@dataclass(frozen=True)
class Alias:
    """A catalogue dataset code that stands for a kind of import with its options."""

    kind: str
    layout: str = ""  # spend: the layout
    prefix: str = ""  # 360giving: the publisher's prefix; ocds: the OCID prefix


ALIASES: dict[str, Alias] = {
    "trafford_grants": Alias("360giving", prefix="360G-traffordmbc"),
    "ab_charitable_trust_grants": Alias("360giving", prefix="360G-ABCT"),
    "power_to_change_grants": Alias("360giving", prefix="360G-ptc"),
    "trafford_spend": Alias("spend", layout="trafford"),
    "contracts_finder": Alias("ocds", prefix="ocds-b5fd17"),
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


class UnknownLayout(KeyError):
    """No spend layout of that name."""

    def __str__(self) -> str:
        return (
            f"there is no spend layout {self.args[0]!r}; the layouts are: "
            + ", ".join(sorted(layouts()))
            + " (add one to money/layouts/spend.json)"
        )


def spend_importer(layout: str, publisher: str = "") -> SpendImporter:
    """A council's spend importer, with the CSVW metadata its layout names, if at hand; a
    `publisher` names the council for a layout shared by many (e.g. the LGA template)."""
    if layout not in layouts():
        raise UnknownLayout(layout)
    chosen = layouts()[layout]
    if publisher:
        chosen = replace(chosen, publisher=publisher)
    metadata = None
    if chosen.csvw_metadata:
        try:
            metadata = locate(chosen.dataset, chosen.csvw_metadata)
        except (SourceFileMissing, KeyError):
            metadata = None
    return SpendImporter(chosen, metadata=metadata)


def _alias_for(kind: str, prefix: str) -> str:
    for code, alias in ALIASES.items():
        if alias.kind == kind and alias.prefix and prefix.casefold() == alias.prefix.casefold():
            return code
    return prefix


def grants_dataset(path: Path) -> str:
    """The dataset code of a 360Giving file: its publisher's prefix (the one most of its grant
    identifiers carry), or the catalogue code declaring it; '360giving' if it has none or
    cannot be read (the import then says why)."""
    try:
        grants = read_grants_file(path).grants if path.is_file() else []
    except FileRejected:  # the import itself says why
        grants = []
    prefixes = Counter(giving_prefix(g["id"]) for g in grants if isinstance(g.get("id"), str))
    prefixes.pop("", None)
    if not prefixes:
        return "360giving"
    return _alias_for("360giving", prefixes.most_common(1)[0][0])


def contracts_dataset(path: Path) -> str:
    """The dataset code of OCDS files: the first OCID's prefix ('ocds-' and six characters), or
    the catalogue code declaring it; 'ocds' if there is none."""
    for file in package_files(path)[:1]:
        try:
            package = json.loads(file.read_bytes())
        except (OSError, ValueError):
            break
        for release in package.get("releases") or package.get("records") or []:
            ocid = str(release.get("ocid") or "") if isinstance(release, dict) else ""
            if ocid.startswith("ocds-") and len(ocid) >= 11:
                return _alias_for("ocds", ocid[:11])
    return "ocds"


def importer_for(
    kind: str, path: Path, *, layout: str = "", dataset: str = "", publisher: str = ""
) -> Importer[FlowRecord]:
    """The importer for a kind of file (or a catalogue code standing for one)."""
    alias = ALIASES.get(kind)
    if alias is not None:
        return importer_for(alias.kind, path, layout=alias.layout, dataset=kind)
    if kind == "spend":
        if not layout:
            raise UnknownLayout("")
        return spend_importer(layout, publisher)
    if kind == "360giving":
        return GrantsImporter(dataset or grants_dataset(path))
    if kind == "ocds":
        return ContractsImporter(dataset or contracts_dataset(path))
    raise ValueError(f"no money importer for {kind!r}: use one of {', '.join(KINDS)}")


def import_file(
    kind: str,
    path: Path,
    *,
    strict: bool = False,
    layout: str = "",
    dataset: str = "",
    publisher: str = "",
) -> ImportRun:
    importer = importer_for(kind, path, layout=layout, dataset=dataset, publisher=publisher)
    return run_import(importer, path, strict=strict)


def import_catalogue_file(dataset: str, key: str, *, strict: bool = False) -> ImportRun:
    return import_file(dataset, locate(dataset, key), strict=strict)
