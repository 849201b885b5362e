"""Set-based loading of register records worked out ahead (ADR 0046).

A national register load (Companies House: about 200,000 organisations) cannot afford to hand
each record between processes as an OrganisationRecord and load it through the general upsert,
one organisation at a time. Instead the reading process stages each record: `stage` turns it,
with the code the general path uses (`OrganisationRecord.encoded`), into its stored JSON and
checksum, as flat values. The writing process then sorts a batch of staged records in a few
set-based reads:

- new, and alone (no organisation holds its identifiers, no published link touches them):
  each one's organisation, derived ahead in the reading process by the general path's rules
  (`staged_record`, `services.derive_alone`; for Companies House's plain rows, by DuckDB, ADR
  0055), given its place and inserted together: organisations, identifiers, source records and
  other names by the batch;
- already held with the same checksum by the organisation holding all its identifiers:
  unchanged, nothing written;
- anything else (a changed record, one that joins or merges existing organisations): rebuilt
  as an OrganisationRecord and loaded by `services.organisations_upsert`, the one place
  identity and derived facts are decided.

The bytes stored are those of the general path by construction; a test holds it. The search
index of the new organisations is built once, by the caller (`index_new`), and their
embeddings may be made after the load commits (`embed`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import connection
from django.utils import timezone

from commonground.imports.bulk import DeferredIndexes
from commonground.imports.engine import LoadCounts
from commonground.imports.models import ImportRun
from commonground.places.selectors import place_ids_for_postcodes

from . import copy_rows
from . import identifiers as orgids
from .coverage import works_in_links
from .models import Identifier, Organisation, OtherName, SourceRecord
from .place_links import place_links_write
from .records import OrganisationRecord
from .search.index import refresh_search_index
from .search.semantic import embeddings_write
from .services import (
    _ACTIVITIES,
    _COLUMNS,
    _NAME,
    _ORG_ID,
    _POSTCODE,
    DERIVED_FIELDS,
    _embedding_text,
    _executemany,
    _existing_sources,
    _owners,
    _with_place,
    _write_sources,
    derive_alone,
    linked_identifiers,
    organisations_upsert,
)

_SOURCE_COLUMNS = (
    "organisation_id",
    "raw",
    "facts",
    "checksum",
    "import_run_id",
    "row_number",
    "file_name",
    "dataset",
    "record_key",
)
_NAME_COLUMNS = ("organisation_id", "name", "source")


class Alone(NamedTuple):
    """The organisation a record makes on its own, worked out ahead but for its place."""

    values: tuple[Any, ...]  # services.DERIVED_FIELDS, the place not yet known
    other_names: list[tuple[str, str]]  # (name, source)
    text: str  # what is embedded
    works_in: list[dict[str, Any]] | None  # the facts, when they name places worked in


class StagedRecord(NamedTuple):
    """One record as flat values: cheap to hand between processes, ready to store."""

    dataset: str
    record_key: str
    row_number: int | None
    file_name: str
    raw_json: str
    facts_json: str
    checksum: str
    identifiers: tuple[str, ...]
    alone: Alone


def staged_record(
    dataset: str,
    record_key: str,
    row_number: int | None,
    file_name: str,
    stored: tuple[str, str, str],
    identifiers: tuple[str, ...],
    facts: dict[str, Any] | None = None,
) -> StagedRecord:
    """A record ready to store (`stored`: its raw JSON, facts JSON and checksum), with the
    organisation it would make alone derived by the general path's rules (services._derive),
    in the reading process: the writing process uses it only if the record is new."""
    raw_json, facts_json, checksum = stored
    record_facts = {**(json.loads(facts_json) if facts is None else facts), "_dataset": dataset}
    values, other_names = derive_alone(record_facts, identifiers)
    alone = Alone(
        values,
        other_names,
        _embedding_text(values[_NAME], values[_ACTIVITIES], [record_facts]),
        [record_facts] if works_in_links([record_facts]) else None,
    )
    return StagedRecord(
        dataset,
        record_key,
        row_number,
        file_name,
        raw_json,
        facts_json,
        checksum,
        identifiers,
        alone,
    )


def stage(record: OrganisationRecord) -> StagedRecord:
    """Work out ahead, without the database, what storing the record needs."""
    facts, raw_json, facts_json, checksum = record.encoded()
    return staged_record(
        record.dataset,
        record.record_key,
        record.row_number,
        record.file_name,
        (raw_json, facts_json, checksum),
        tuple(record.identifiers),
        facts,
    )


def unstage(staged: StagedRecord) -> OrganisationRecord:
    """The OrganisationRecord a staged record was made from, with its JSON kept as it was."""
    return OrganisationRecord.from_encoded(
        staged.dataset,
        staged.record_key,
        staged.row_number,
        staged.file_name,
        staged.raw_json,
        staged.facts_json,
        staged.checksum,
    )


# The tables a staged load inserts into, and the indexes kept while the others are deferred: the
# general upsert finds an organisation's records, identifiers and names by them.
_TABLES = (
    (Organisation, ()),
    (SourceRecord, ("organisation_id",)),
    (Identifier, ("organisation_id",)),
    (OtherName, ("organisation_id",)),
)


@dataclass
class StagedLoad:
    """What one import's batches of staged records created: the new organisations to index
    and embed once the batches are in."""

    run: ImportRun | None
    texts: dict[int, str] = field(default_factory=dict)
    unindexed: list[int] = field(default_factory=list)  # created, not yet in the search index
    held_before: dict[str, bool] = field(default_factory=dict)  # see _held_before
    indexes: list[DeferredIndexes] = field(default_factory=list)
    # The least organisations expected worth dropping and building the indexes again for.
    defer_indexes_from: int = 20_000

    def defer_indexes(self, expected: int) -> None:
        """On SQLite, drop the secondary indexes of the tables written (inside the load's
        transaction) when about `expected` new organisations are coming and the atlas holds
        no more than that: building them once afterwards costs a fraction of keeping them."""
        if not DeferredIndexes.supported() or expected < self.defer_indexes_from:
            return
        if Organisation.objects.count() > expected:
            return
        for model, keep in _TABLES:
            deferred = DeferredIndexes(model, keep_columns=keep)
            deferred.drop()
            self.indexes.append(deferred)

    def restore_indexes(self) -> None:
        for deferred in self.indexes:
            deferred.restore()

    def release(self) -> None:
        """After the load's transaction, committed or rolled back."""
        for deferred in self.indexes:
            deferred.release()
        self.indexes = []

    def load(self, batch: list[StagedRecord]) -> LoadCounts:
        counts = LoadCounts()
        new, general = self._sort(batch, counts)
        if general:
            counts.add(organisations_upsert([unstage(s) for s in general], self.run))
        if new:
            self._insert(new)
            counts.loaded += len(new)
        return counts

    def _sort(
        self, batch: list[StagedRecord], counts: LoadCounts
    ) -> tuple[list[StagedRecord], list[StagedRecord]]:
        """New-and-alone records, and those for the general upsert; unchanged ones counted."""
        values = [i for s in batch for i in s.identifiers]
        linked = linked_identifiers(values)
        owners = _owners(values)
        keys: dict[str, list[str]] = {}
        for s in batch:
            if self._held_before(s.dataset):
                keys.setdefault(s.dataset, []).append(s.record_key)
        held = {
            (dataset, key): found
            for dataset, dataset_keys in keys.items()
            for key, found in _existing_sources(dataset, dataset_keys).items()
        }
        repeated = _repeated(values)
        new: list[StagedRecord] = []
        general: list[StagedRecord] = []
        for s in batch:
            if any(i in linked or i in repeated for i in s.identifiers):
                general.append(s)
                continue
            found = held.get((s.dataset, s.record_key))
            holders = {owners.get(i) for i in s.identifiers}
            if found is None and holders == {None}:
                new.append(s)
            elif found is not None and found[2] == s.checksum and holders == {found[1]}:
                counts.unchanged += 1
            else:
                general.append(s)
        return new, general

    def _held_before(self, dataset: str) -> bool:
        """Whether the atlas held records of the dataset before this load. If not, none of a
        batch's records can be held: the import refuses a key twice in a file, so a record
        this load stored has a key no later record has (and looking, batch after batch, in a
        table the load is filling is what costs; PostgreSQL has no statistics of it yet)."""
        if dataset not in self.held_before:
            self.held_before[dataset] = SourceRecord.objects.filter(dataset=dataset).exists()
        return self.held_before[dataset]

    def _insert(self, new: list[StagedRecord]) -> None:
        """Insert one organisation for each record, as derived ahead (staged_record) with its
        postcode's place, with its identifiers, record and names."""
        places = place_ids_for_postcodes(
            {s.alone.values[_POSTCODE] for s in new if s.alone.values[_POSTCODE]}
        )
        rows = [_with_place(s.alone.values, places) for s in new]
        pks = self._insert_organisations(rows)
        run_id = self.run.pk if self.run is not None else None
        identifiers: list[tuple[int, str, str, str]] = []
        sources: list[tuple[Any, ...]] = []
        names: list[tuple[int, str, str]] = []
        works_in: dict[int, list[dict[str, Any]]] = {}
        for s, row in zip(new, rows, strict=True):
            pk = pks[row[_ORG_ID]]
            identifiers.extend((pk, v, *orgids.split_org_id(v)) for v in s.identifiers)
            stored = (s.raw_json, s.facts_json, s.checksum)
            sources.append(
                (pk, *stored, run_id, s.row_number, s.file_name[:300], s.dataset, s.record_key)
            )
            names.extend((pk, name, source) for name, source in s.alone.other_names)
            if s.alone.works_in is not None:
                works_in[pk] = s.alone.works_in
                self.unindexed.append(pk)  # indexed once its places are written
            self.texts[pk] = s.alone.text
        if copy_rows.supported():
            copy_rows.copy_rows(
                "organisations_identifier",
                ("organisation_id", "value", "scheme", "local_id"),
                identifiers,
            )
            copy_rows.copy_rows("organisations_sourcerecord", _SOURCE_COLUMNS, sources)
            copy_rows.copy_rows("organisations_othername", _NAME_COLUMNS, names)
        else:
            _write_sources(identifiers, sources, [])
            _executemany(
                f"INSERT INTO organisations_othername ({', '.join(_NAME_COLUMNS)}) "
                "VALUES (%s, %s, %s)",
                names,
            )
        place_links_write(works_in)

    def _insert_organisations(self, rows: list[tuple[Any, ...]]) -> dict[str, int]:
        """Insert the organisation rows; returns org_id -> new id. On PostgreSQL they are
        copied, with their search vectors; on SQLite they are indexed by `index_new`."""
        columns = [_COLUMNS[f] for f in DERIVED_FIELDS]
        if not copy_rows.supported():
            pks = _insert_one_by_one(columns, rows)
            self.unindexed.extend(pks.values())
            return pks
        ids = copy_rows.insert_organisations(columns, rows)
        org_id = DERIVED_FIELDS.index("org_id")
        return {row[org_id]: pk for row, pk in zip(rows, ids, strict=True)}

    def index_new(self) -> None:
        """Index the organisations created, in one pass (inside the load's transaction)."""
        refresh_search_index(sorted(self.unindexed))
        self.unindexed = []

    def embed(self, progress: Callable[[int, int], None] | None = None, batch: int = 20_000) -> int:
        """Embed the organisations created (only those whose text has no vector yet), in
        batches, telling `progress` (done, total) after each; returns how many were made."""
        ids = sorted(self.texts)
        made = 0
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            made += embeddings_write({pk: self.texts[pk] for pk in chunk}, batch=batch)
            if progress is not None:
                progress(start + len(chunk), len(ids))
        self.texts = {}
        return made


def _insert_one_by_one(columns: list[str], rows: list[tuple[Any, ...]]) -> dict[str, int]:
    """SQLite: one prepared INSERT run for every row (a statement of hundreds of rows costs more
    to prepare than it saves); the new ids are read back by org-id, above the highest before."""
    marks = ", ".join("%s" for _ in columns)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM organisations_organisation")
        highest = cursor.fetchone()[0]
        cursor.executemany(
            f"INSERT INTO organisations_organisation ({', '.join(columns)}, updated_at) "
            f"VALUES ({marks}, %s)",
            [(*row, now) for row in rows],
        )
        cursor.execute("SELECT org_id, id FROM organisations_organisation WHERE id > %s", [highest])
        return dict(cursor.fetchall())


def _repeated(values: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    repeated: set[str] = set()
    for value in values:
        (repeated if value in seen else seen).add(value)
    return repeated
