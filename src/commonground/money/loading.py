"""Loading a large import's flows (a council's year of spend is hundreds of thousands of lines).

FlowLoader writes batches through `flows_upsert` and links the parties once at the end through
`flows_link_dataset`, as every importer does, so the links are the same; it adds what pays at
scale:

- new flows are written as linking is expected to leave them (recipients unresolved, the
  commonest outcome; payers, a file's one or few councils, as linking the first batch's payers
  says), so linking at the end rewrites only the flows whose outcome differs instead of all;
- a dataset with no flows yet has none to compare with, so batches skip looking them up;
- a bulk load into a ledger smaller than the load itself builds the table's secondary indexes
  once at the end rather than row by row (SQLite; ADR 0013). The party-key indexes stay, since
  linking writes by party key before the others are built again. It all happens inside the
  import's transaction: a failure leaves the previous rows and indexes.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from commonground.imports.bulk import DeferredIndexes
from commonground.imports.engine import ImportContext, Importer, LoadCounts
from commonground.imports.models import ImportRun

from .linking import link
from .models import MoneyFlow
from .records import FlowRecord, PartyRecord
from .services import PartyLink, flows_link_dataset, flows_upsert, link_values

# Kept while the rest are deferred: flows_link_dataset writes each party's link by its key.
PARTY_KEY_COLUMNS = ("payer_key", "recipient_key")


class FlowLoader:
    # The least rows worth dropping and building the indexes again for.
    defer_indexes_from_rows = 20_000

    def __init__(self, dataset: str) -> None:
        self.dataset = dataset
        self.touched: set[str] = set()
        self.new_dataset = False
        self.indexes: DeferredIndexes | None = None
        self.expected_payers: dict[str, tuple[Any, ...]] | None = None
        self.elsewhere: Counter[str] = Counter()
        self.keys: set[str] = set()  # every record key of the file
        self.period: tuple[date, date] | None = None  # its first and last date

    def start(self, expected_rows: int | None, key_prefix: str | None = None) -> None:
        """Called inside the import's transaction before the first batch; expected_rows is
        about how many records the file holds, if known; key_prefix begins every key the
        import makes, if they share one (a council's spend lines). With no flows in the dataset
        and none with the prefix in any other, there is nothing to compare with."""
        flows = MoneyFlow.objects.all()
        same_keys = flows.filter(record_key__startswith=key_prefix) if key_prefix else flows
        self.new_dataset = (
            not flows.filter(dataset=self.dataset).exists() and not same_keys.exists()
        )
        self.touched = set()
        self.elsewhere = Counter()
        self.keys = set()
        self.period = None
        self.expected_payers = None
        if (
            expected_rows is not None
            and expected_rows >= self.defer_indexes_from_rows
            and DeferredIndexes.supported()
            and expected_rows >= flows.count()
        ):
            self.indexes = DeferredIndexes(MoneyFlow, keep_columns=PARTY_KEY_COLUMNS)
            self.indexes.drop()

    def load(self, records: list[FlowRecord], run: ImportRun) -> LoadCounts:
        self.keys.update(r.record_key for r in records)
        dates = [r.date for r in records]
        if dates:
            low, high = min(dates), max(dates)
            self.period = (
                (min(self.period[0], low), max(self.period[1], high))
                if self.period
                else (low, high)
            )
        if self.expected_payers is None:
            self.expected_payers = _payer_links(records, self.dataset)
        return flows_upsert(
            records,
            run,
            # A new dataset's parties are all linked at the end: no need to note which.
            None if self.new_dataset else self.touched,
            new_dataset=self.new_dataset,
            expected_payers=self.expected_payers,
            elsewhere=self.elsewhere,
        )

    def finish(self, warnings: list[str]) -> None:
        flows_link_dataset(self.dataset, None if self.new_dataset else self.touched)
        warnings.extend(link_elsewhere(self.elsewhere, self.touched))
        if not self.new_dataset and self.period is not None:
            warnings.extend(_not_in_file(self.dataset, self.period, self.keys))
        self.touched = set()
        self.keys = set()
        self.period = None
        self.expected_payers = None
        if self.indexes is not None:
            self.indexes.restore()

    def close(self) -> None:
        """After the import's transaction, committed or rolled back."""
        if self.indexes is not None:
            self.indexes.release()
            self.indexes = None


class FlowImporter(Importer[FlowRecord]):
    """What the 360Giving and OCDS importers share: batches written through `flows_upsert`,
    noting which parties changed and which records were already held under another dataset
    code, and those parties linked once, at the end."""

    batch_size = 1000
    reports_outcome = True

    def __init__(self, dataset: str) -> None:
        self.dataset = dataset  # type: ignore[misc]
        self.touched: set[str] = set()
        self.elsewhere: Counter[str] = Counter()

    def record_key(self, record: FlowRecord) -> str:
        return record.record_key

    def load(self, records: list[FlowRecord], context: ImportContext) -> LoadCounts:
        return flows_upsert(records, context.run, self.touched, elsewhere=self.elsewhere)

    def finish(self, context: ImportContext) -> None:
        flows_link_dataset(self.dataset, self.touched)
        context.warnings.extend(link_elsewhere(self.elsewhere, self.touched))
        self.touched = set()
        self.elsewhere = Counter()


def link_elsewhere(elsewhere: Counter[str], touched: set[str]) -> list[str]:
    """Link the changed parties of flows that were found under other dataset codes, and say
    where those records already were."""
    notes = []
    for dataset, count in sorted(elsewhere.items()):
        flows_link_dataset(dataset, {key for key in touched if key.startswith(f"{dataset}:")})
        notes.append(
            f"{count} records were already in the ledger under the dataset '{dataset}' and "
            "stay there: the same grant, award or payment is never counted twice"
        )
    return notes


def _not_in_file(dataset: str, period: tuple[date, date], keys: set[str]) -> list[str]:
    """Flows of the dataset dated within the file's period that the file does not hold: lines a
    corrected edition changed or dropped. They are kept (the file may be one of several for
    the period) and said."""
    missing = [
        pence
        for key, pence in MoneyFlow.objects.filter(dataset=dataset, date__range=period)
        .values_list("record_key", "amount_pence")
        .iterator(chunk_size=10_000)
        if key not in keys
    ]
    if not missing:
        return []
    return [
        f"{len(missing)} payments (£{sum(missing) / 100:,.2f}) already in '{dataset}' dated "
        f"{period[0]:%d %b %Y}–{period[1]:%d %b %Y} are not in this file: if it is a corrected "
        "edition, they are the lines it changed or dropped; they are kept, and counted"
    ]


def _payer_links(records: list[FlowRecord], dataset: str) -> dict[str, tuple[Any, ...]]:
    """The links of these records' payers (each once, with all its identifiers)."""
    payers: dict[str, PartyRecord] = {}
    for record in records:
        payer = record.payer
        if (seen := payers.get(payer.key)) is None:
            payers[payer.key] = PartyRecord(payer.name, payer.key, tuple(payer.identifiers))
        elif extra := [i for i in payer.identifiers if i not in seen.identifiers]:
            payers[payer.key] = PartyRecord(seen.name, payer.key, (*seen.identifiers, *extra))
    outcomes = link(list(payers.values()), source=dataset)
    return link_values("payer", (PartyLink(o.key, o.organisation_id, o.method) for o in outcomes))
