"""Published identifier links: two org-ids that name the same organisation.

Each link is kept as an IdentifierLink (idempotently), then `services.identifier_links_apply`
makes the atlas agree with it: organisations already loaded that the link joins are merged, and
an organisation holding one side gains the other identifier. Registers loaded later consult the
links themselves (in `organisations_upsert`), so the atlas is the same whichever comes first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from commonground.imports.engine import ImportContext, Importer, LoadCounts
from commonground.imports.errors import RowRejected
from commonground.imports.readers import Row, read_delimited

from ..identifiers import company_number, split_org_id
from ..models import IdentifierLink
from ..services import identifier_links_apply
from .base import text, whole_file_encoding


@dataclass(frozen=True)
class LinkRecord:
    org_id_a: str
    org_id_b: str
    name: str


def normalise_org_id(value: str, field: str, schemes: tuple[str, ...]) -> str:
    """Check an org-id is in one of the expected schemes and write it the way registers do."""
    value = text(value).upper()
    if not value:
        raise RowRejected("a value is required here but the field is empty", field)
    try:
        scheme, local = split_org_id(value)
    except ValueError as error:
        raise RowRejected(str(error), field) from None
    if scheme not in schemes:
        raise RowRejected(
            f"{value!r} is in scheme {scheme}; expected {' or '.join(schemes)}", field
        )
    if scheme == "GB-COH":
        local = company_number(local)
    elif scheme in ("GB-CHC", "GB-NIC") and local.isdigit():
        local = str(int(local))  # charity numbers are written without leading zeros
    return f"{scheme}-{local}"


class LinkImporter(Importer[LinkRecord]):
    """A CSV of org-id pairs; subclasses name the columns and the schemes each side may use."""

    column_a: ClassVar[str]
    column_b: ClassVar[str]
    schemes_a: ClassVar[tuple[str, ...]]
    schemes_b: ClassVar[tuple[str, ...]]
    name_column: ClassVar[str] = "name"
    fails_when_nothing_loaded = True

    def rows(self, path: Path, context: ImportContext) -> Iterator[Row]:
        return read_delimited(
            path,
            encodings=whole_file_encoding(path),
            required_columns=(self.column_a, self.column_b),
            warnings=context.warnings,
        )

    def parse(self, row: Row) -> LinkRecord:
        a = normalise_org_id(row.data[self.column_a], self.column_a, self.schemes_a)
        b = normalise_org_id(row.data[self.column_b], self.column_b, self.schemes_b)
        if a == b:
            raise RowRejected(f"links {a} to itself", self.column_b)
        return LinkRecord(a, b, text(row.data.get(self.name_column))[:500])

    def record_key(self, record: LinkRecord) -> str:
        # The same pair written either way round is the same link.
        return "|".join(sorted((record.org_id_a, record.org_id_b)))

    def load(self, records: list[LinkRecord], context: ImportContext) -> LoadCounts:
        return identifier_links_load(records, self.dataset)


def identifier_links_load(records: list[LinkRecord], dataset: str) -> LoadCounts:
    """Store links (new ones created, changed names updated), then apply them to the atlas."""
    counts = LoadCounts()
    if not records:
        return counts
    values = sorted({v for r in records for v in (r.org_id_a, r.org_id_b)})
    existing: dict[frozenset[str], IdentifierLink] = {}
    for start in range(0, len(values), 900):
        chunk = values[start : start + 900]
        for found in IdentifierLink.objects.filter(org_id_a__in=chunk):
            existing[frozenset((found.org_id_a, found.org_id_b))] = found
    new: list[IdentifierLink] = []
    changed: list[IdentifierLink] = []
    for record in records:
        link = existing.get(frozenset((record.org_id_a, record.org_id_b)))
        if link is None:
            new.append(
                IdentifierLink(
                    org_id_a=record.org_id_a,
                    org_id_b=record.org_id_b,
                    dataset=dataset,
                    name=record.name,
                )
            )
        elif (link.name, link.dataset) != (record.name, dataset):
            link.name, link.dataset = record.name, dataset
            changed.append(link)
        else:
            counts.unchanged += 1
    IdentifierLink.objects.bulk_create(new, batch_size=1000)
    IdentifierLink.objects.bulk_update(changed, ["name", "dataset"], batch_size=1000)
    counts.loaded, counts.updated = len(new), len(changed)
    # Applying every link, not only new ones, also repairs an atlas loaded before a link existed.
    identifier_links_apply((r.org_id_a, r.org_id_b) for r in records)
    return counts


class CharityCompanyLinksImporter(LinkImporter):
    dataset = "links_charity_company"
    column_a = "org_id_a"
    column_b = "org_id_b"
    schemes_a = ("GB-CHC", "GB-SC", "GB-NIC")
    schemes_b = ("GB-COH",)


class MutualCompanyLinksImporter(LinkImporter):
    dataset = "links_mutual_company"
    column_a = "mutual_id"
    column_b = "company_id"
    schemes_a = ("GB-MPR",)
    schemes_b = ("GB-COH",)
