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

from typing import Any

from commonground.imports.bulk import DeferredIndexes
from commonground.imports.engine import LoadCounts
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

    def start(self, expected_rows: int | None) -> None:
        """Called inside the import's transaction before the first batch; expected_rows is
        about how many records the file holds, if known."""
        flows = MoneyFlow.objects.all()
        self.new_dataset = not flows.filter(dataset=self.dataset).exists()
        self.touched = set()
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
        if self.expected_payers is None:
            self.expected_payers = _payer_links(records, self.dataset)
        return flows_upsert(
            records,
            run,
            # A new dataset's parties are all linked at the end: no need to note which.
            None if self.new_dataset else self.touched,
            new_dataset=self.new_dataset,
            expected_payers=self.expected_payers,
        )

    def finish(self) -> None:
        flows_link_dataset(self.dataset, None if self.new_dataset else self.touched)
        self.touched = set()
        self.expected_payers = None
        if self.indexes is not None:
            self.indexes.restore()

    def close(self) -> None:
        """After the import's transaction, committed or rolled back."""
        if self.indexes is not None:
            self.indexes.release()
            self.indexes = None


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
