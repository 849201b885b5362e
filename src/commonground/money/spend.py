"""Council spend files (Local Government Transparency Code "spend over £500").

Each council publishes its own columns; a publisher's layout is declared in
`layouts/spend.json` (column titles for the ledger's fields, encodings, the CSVW metadata that
describes the file), so a new council is configuration, not code. Trafford publishes one line
per cost centre, so a transaction number may appear on several lines: every line is a payment
and is loaded (the file's total must equal the ledger's), and the repeats are reported.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from commonground.imports.engine import ImportContext, Importer, LoadCounts
from commonground.imports.errors import FileRejected, RowRejected
from commonground.imports.readers import Row, read_delimited

from .parsing import clean, parse_amount_pence, parse_flexible_date
from .records import FlowRecord, PartyRecord, party_key
from .services import flows_link_dataset, flows_upsert

LAYOUTS_FILE = Path(__file__).parent / "layouts" / "spend.json"
REQUIRED_FIELDS = ("beneficiary", "amount", "date")


@dataclass(frozen=True)
class SpendLayout:
    name: str
    dataset: str
    publisher: str
    columns: dict[str, str]
    publisher_identifiers: tuple[str, ...] = ()
    place_gss: str = ""
    member_suffix: str | None = None
    encodings: tuple[str, ...] = ("utf-8", "cp1252")
    delimiter: str = ","
    csvw_metadata: str | None = None
    optional: tuple[str, ...] = ()
    redacted_names: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_config(cls, name: str, config: dict[str, Any]) -> SpendLayout:
        missing = [f for f in REQUIRED_FIELDS if f not in config.get("columns", {})]
        if missing:
            raise ValueError(f"spend layout {name!r} has no column for: {', '.join(missing)}")
        return cls(
            name=name,
            dataset=config["dataset"],
            publisher=config.get("publisher", ""),
            columns=dict(config["columns"]),
            publisher_identifiers=tuple(config.get("publisher_identifiers", ())),
            place_gss=config.get("place_gss", ""),
            member_suffix=config.get("member_suffix"),
            encodings=tuple(config.get("encodings", ("utf-8", "cp1252"))),
            delimiter=config.get("delimiter", ","),
            csvw_metadata=config.get("csvw_metadata"),
            optional=tuple(config.get("optional", ())),
            redacted_names=frozenset(n.casefold() for n in config.get("redacted_names", ())),
        )

    def required_columns(self) -> tuple[str, ...]:
        return tuple(title for name, title in self.columns.items() if name not in self.optional)


@cache
def layouts() -> dict[str, SpendLayout]:
    config = json.loads(LAYOUTS_FILE.read_text(encoding="utf-8"))
    return {
        name: SpendLayout.from_config(name, value)
        for name, value in config.items()
        if not name.startswith("_")
    }


def csvw_column_titles(path: Path) -> list[str]:
    """Column titles from CSVW metadata. Trafford's file has trailing commas (not strict JSON):
    they are tolerated, since the columns are what matter."""
    text = path.read_text(encoding="utf-8-sig")
    text = re.sub(r",(\s*[}\]])", r"\1", text)
    try:
        metadata = json.loads(text)
    except json.JSONDecodeError as error:
        raise FileRejected(
            path.name, f"the CSVW metadata is not readable JSON: {error.msg}", row=error.lineno
        ) from None
    schema = metadata.get("tableSchema") or {}
    titles = []
    for column in schema.get("columns", []):
        title = column.get("titles") or column.get("name")
        if isinstance(title, list):
            title = title[0] if title else ""
        if title:
            titles.append(str(title))
    return titles


_OTHER_STANDARDS = {
    "amount awarded": "a 360Giving grants file: import it as grants",
    "ocid": "an Open Contracting (OCDS) file: import it as contracts",
}


class SpendImporter(Importer[FlowRecord]):
    batch_size = 5000
    # A council's year is hundreds of thousands of lines: read and parse them in a second
    # process while this one writes.
    parse_in_worker = True

    def __init__(self, layout: SpendLayout | str = "trafford", metadata: Path | None = None):
        self.layout = layouts()[layout] if isinstance(layout, str) else layout
        self.dataset = self.layout.dataset  # type: ignore[misc]
        self.touched: set[str] = set()
        self.metadata = metadata
        self._file_stem = ""
        self._seen: Counter[str] = Counter()

    def rows(self, path: Path, context: ImportContext) -> Iterator[Row]:
        layout = self.layout
        self._file_stem = re.sub(r"\.(zip|csv)$", "", path.name, flags=re.IGNORECASE)
        self._seen = Counter()
        if self.metadata is not None:
            described = csvw_column_titles(self.metadata)
            undescribed = [t for t in layout.required_columns() if t not in described]
            if undescribed:
                raise FileRejected(
                    self.metadata.name,
                    "the layout uses columns the CSVW metadata does not describe: "
                    + ", ".join(undescribed),
                )
        rows = read_delimited(
            path,
            delimiter=layout.delimiter,
            encodings=layout.encodings,
            required_columns=layout.required_columns(),
            # A zip is opened at its member; the same CSV unzipped is read as it is.
            member_suffix=(layout.member_suffix or ".csv")
            if path.suffix.lower() == ".zip"
            else None,
        )
        try:
            first = next(rows)
        except StopIteration:
            raise FileRejected(path.name, "the file has a header but no payments") from None
        except FileRejected as error:
            header = error.reason.casefold()
            for marker, what in _OTHER_STANDARDS.items():
                if marker in header:
                    raise FileRejected(
                        error.file_name, f"this looks like {what}, not a council spend file"
                    ) from None
            raise
        yield first
        yield from rows
        repeated = {k: n for k, n in self._seen.items() if n > 1}
        if repeated:
            context.warnings.append(
                f"{path.name}: {len(repeated)} transaction numbers appear on more than one line "
                f"({sum(repeated.values())} lines); each line is loaded as its own payment "
                "(the publisher splits a transaction across cost centres)"
            )

    def parse(self, row: Row) -> FlowRecord:
        layout = self.layout
        columns = layout.columns
        data = row.data

        def value(name: str) -> str:
            title = columns.get(name)
            return clean(data.get(title, "")) if title else ""

        name = value("beneficiary")
        if not name:
            raise RowRejected("the beneficiary name is empty", columns["beneficiary"])
        amount = parse_amount_pence(data.get(columns["amount"]), columns["amount"])
        assert amount is not None
        paid = parse_flexible_date(data.get(columns["date"]), columns["date"])
        assert paid is not None
        transaction = value("transaction")
        base = transaction or f"row{row.number}"
        self._seen[base] += 1
        # Lines sharing a transaction number are told apart by their order in the file.
        record_key = f"{self._file_stem}:{base}#{self._seen[base]}"
        redacted = name.casefold() in layout.redacted_names
        publisher = layout.publisher or clean(data.get("OrganisationLabel", ""))
        attributes: dict[str, Any] = {
            "transaction_number": transaction,
            "department": value("department"),
            "beneficiary_id": value("beneficiary_id"),
            "vat_number": value("vat_number"),
        }
        if columns.get("irrecoverable_vat") and value("irrecoverable_vat"):
            attributes["irrecoverable_vat_pence"] = parse_amount_pence(
                value("irrecoverable_vat"), columns["irrecoverable_vat"]
            )
        return FlowRecord(
            dataset=self.dataset,
            record_key=record_key[:200],
            channel="spend",
            payer=PartyRecord(
                name=publisher,
                key=party_key(self.dataset, publisher),
                identifiers=layout.publisher_identifiers,
            ),
            recipient=PartyRecord(
                name=name,
                key=party_key(self.dataset, "redacted" if redacted else name),
                redacted=redacted,
            ),
            amount_pence=amount,
            date=paid,
            purpose=value("purpose"),
            category=value("category"),
            place_gss=layout.place_gss,
            attributes={k: v for k, v in attributes.items() if v not in ("", None)},
            raw=dict(data),
            file_name=row.file_name,
            row_number=row.number,
        )

    def prepare(self, record: FlowRecord) -> None:
        record.checksum = record.compute_checksum()

    def record_key(self, record: FlowRecord) -> str:
        return record.record_key

    def load(self, records: list[FlowRecord], context: ImportContext) -> LoadCounts:
        return flows_upsert(records, context.run, self.touched)

    def finish(self, context: ImportContext) -> None:
        flows_link_dataset(self.dataset, self.touched)
        self.touched = set()
