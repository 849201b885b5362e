"""Council spend files (Local Government Transparency Code "spend over £500").

Each council publishes its own columns; a publisher's layout is declared in
`layouts/spend.json` (column titles for the ledger's fields, encodings, the CSVW metadata that
describes the file), so a new council is configuration, not code. Trafford publishes one line
per cost centre, so a transaction number may appear on several lines: every line is a payment
and is loaded (the file's total must equal the ledger's), and the repeats are reported.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from commonground.imports.engine import ImportContext, Importer, LoadCounts
from commonground.imports.errors import FileRejected, RowRejected
from commonground.imports.readers import Row, archive_members, estimate_rows, read_delimited

from .identity import spend_digest, spend_key, spend_key_prefix, spend_publisher
from .loading import FlowLoader
from .parsing import clean, parse_amount_pence, parse_flexible_date
from .records import FlowRecord, PartyRecord, party_key
from .spend_layouts import SpendLayout, csvw_column_titles, header_key, layouts

# Facts kept in a flow's attributes when the line has them: (attribute, layout column).
_ATTRIBUTES = (
    ("transaction_number", "transaction"),
    ("department", "department"),
    ("beneficiary_id", "beneficiary_id"),
    ("vat_number", "vat_number"),
)

# Looked up for a column the layout does not have: no header is NUL (the reader refuses it).
_ABSENT = "\x00"
# The layout columns parse reads.
_FIELDS = (
    "beneficiary",
    "amount",
    "date",
    "transaction",
    "purpose",
    "category",
    "department",
    "beneficiary_id",
    "vat_number",
    "irrecoverable_vat",
)

_OTHER_STANDARDS = {
    "amount awarded": "a 360Giving grants file: import it as grants",
    "ocid": "an Open Contracting (OCDS) file: import it as contracts",
}


# The column naming the council that paid, in files of the LGA's transparency template.
PAYER_COLUMN = "OrganisationLabel"


class SpendImporter(Importer[FlowRecord]):
    batch_size = 5000
    reports_outcome = True
    # A council's year is hundreds of thousands of lines: read and parse them in a second
    # process while this one writes.
    parse_in_worker = True

    def __init__(self, layout: SpendLayout | str = "trafford", metadata: Path | None = None):
        self.layout = layouts()[layout] if isinstance(layout, str) else layout
        self.dataset = self.layout.dataset  # type: ignore[misc]
        self.loader = FlowLoader(self.dataset)
        self.metadata = metadata
        self._seen: Counter[str] = Counter()
        self._transactions: Counter[str] = Counter()
        self._repeats: list[int] = []
        self._title = {name: self.layout.title(name) or _ABSENT for name in _FIELDS}
        self._attributes = [(attribute, self._title[name]) for attribute, name in _ATTRIBUTES]
        self._payers: dict[str, PartyRecord] = {}
        self._recipients: dict[str, PartyRecord] = {}

    def _member_suffix(self, path: Path) -> str | None:
        # A zip is opened at its member; the same CSV unzipped is read as it is.
        if path.suffix.lower() == ".zip":
            return self.layout.member_suffix or ".csv"
        return None

    def _members(self, path: Path) -> list[str | None]:
        """The CSV files to read: the file itself, or every one a zip holds (a year's monthly
        files, say), in the archive's order."""
        suffix = self._member_suffix(path)
        if suffix is None:
            return [None]
        try:
            with zipfile.ZipFile(path) as archive:
                return list(archive_members(archive, suffix)) or [None]
        except (zipfile.BadZipFile, EOFError, OSError):
            return [None]  # reading it says why

    def rows(self, path: Path, context: ImportContext) -> Iterator[Row]:
        layout = self.layout
        self._transactions = Counter()
        self._repeats = []
        if self.metadata is not None:
            described = csvw_column_titles(self.metadata)
            undescribed = [t for t in layout.required_columns() if t not in described]
            if undescribed:
                raise FileRejected(
                    self.metadata.name,
                    "the layout uses columns the CSVW metadata does not describe: "
                    + ", ".join(undescribed),
                )
        read = 0
        for member in self._members(path):
            # Identical lines are numbered within their own file, so a zip's files load as
            # each would on its own (the same file twice in one zip is counted once).
            self._seen = Counter()
            for row in self._member_rows(path, member, context):
                read += 1
                yield row
        if not read:
            raise FileRejected(path.name, "the file has a header but no payments")
        repeated = {k: n for k, n in self._transactions.items() if n > 1}
        if repeated:
            context.warnings.append(
                f"{path.name}: {len(repeated)} transaction numbers appear on more than one line "
                f"({sum(repeated.values())} lines); each line is loaded as its own payment "
                "(the publisher splits a transaction across cost centres)"
            )
        if self._repeats:
            context.warnings.append(
                f"{path.name}: {len(self._repeats)} lines repeat an earlier line exactly "
                f"(£{sum(self._repeats) / 100:,.2f} in all); each is loaded as a payment of its "
                "own, as published"
            )

    def _member_rows(self, path: Path, member: str | None, context: ImportContext) -> Iterator[Row]:
        layout = self.layout
        rows = read_delimited(
            path,
            delimiter=layout.delimiter,
            encodings=layout.encodings,
            required_columns=layout.required_columns(),
            member_suffix=self._member_suffix(path),
            column_aliases=layout.aliases(),
            header_key=header_key,
            on_header=lambda header: self._check_header(header, path.name, context),
            member=member,
        )
        try:
            first = next(rows)
        except StopIteration:
            return
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

    def parse(self, row: Row) -> FlowRecord:
        # Called for every line of files of hundreds of thousands: the layout's columns are
        # looked up once (in __init__), whitespace is collapsed as parsing.clean does, and each
        # party is made once.
        data = row.data
        get = data.get
        title = self._title
        name = " ".join(get(title["beneficiary"], "").split())
        if not name:
            raise RowRejected("the beneficiary name is empty", title["beneficiary"])
        amount = parse_amount_pence(get(title["amount"]), title["amount"])
        assert amount is not None
        paid = parse_flexible_date(get(title["date"]), title["date"])
        assert paid is not None
        attributes: dict[str, Any] = {}
        for attribute, column in self._attributes:
            if text := " ".join(get(column, "").split()):
                attributes[attribute] = text
        if transaction := attributes.get("transaction_number"):
            self._transactions[transaction] += 1
        if vat := " ".join(get(title["irrecoverable_vat"], "").split()):
            attributes["irrecoverable_vat_pence"] = parse_amount_pence(
                vat, title["irrecoverable_vat"]
            )
        payer_name = self.layout.publisher or clean(get(PAYER_COLUMN, ""))
        if not payer_name and not self.layout.publisher_identifiers:
            raise RowRejected(f"no council is named in {PAYER_COLUMN}", PAYER_COLUMN)
        payer = self._payer(payer_name)
        purpose = " ".join(get(title["purpose"], "").split())
        category = " ".join(get(title["category"], "").split())
        # The line's identity is its content (identity.py): identical lines are told apart by
        # their order, so each counts and the same file under any name gives the same keys.
        digest = spend_digest(paid, amount, name, purpose, category, attributes)
        occurrence = self._seen[digest] = self._seen[digest] + 1
        if occurrence > 1:
            self._repeats.append(amount)
        return FlowRecord(
            dataset=self.dataset,
            record_key=spend_key(self._publisher(payer), paid, digest, occurrence),
            channel="spend",
            payer=payer,
            recipient=self._recipient(name),
            amount_pence=amount,
            date=paid,
            purpose=purpose,
            category=category,
            place_gss=self.layout.place_gss,
            attributes=attributes,
            raw=data,  # the row's own dict: the reader makes a new one for every row
            file_name=row.file_name,
            row_number=row.number,
        )

    def _check_header(self, header: list[str], file_name: str, context: ImportContext) -> None:
        layout = self.layout
        if not (layout.publisher or layout.publisher_identifiers or PAYER_COLUMN in header):
            # Without a payer every council's lines would share one identity (identity.py).
            raise FileRejected(
                file_name,
                f"the layout '{layout.name}' names no council and the file has no "
                f"{PAYER_COLUMN} column, so who paid is not known: name the council with "
                "--publisher",
                row=1,
            )
        context.warnings.extend(
            note
            for note in layout.header_notes(header, file_name)
            if note not in context.warnings  # a zip's files share a header
        )

    def _publisher(self, payer: PartyRecord) -> str:
        return spend_publisher(payer.identifiers, payer.name)

    def _payer(self, publisher: str) -> PartyRecord:
        """The paying council, one record per name (a file has one or a few)."""
        payer = self._payers.get(publisher)
        if payer is None:
            payer = self._payers[publisher] = PartyRecord(
                name=publisher,
                key=party_key(self.dataset, publisher),
                identifiers=self.layout.publisher_identifiers,
            )
        return payer

    def _recipient(self, name: str) -> PartyRecord:
        """One record per name: a year's file pays a few thousand suppliers again and again."""
        recipient = self._recipients.get(name)
        if recipient is None:
            if len(self._recipients) >= 100_000:
                self._recipients.clear()
            redacted = name.casefold() in self.layout.redacted_names
            recipient = self._recipients[name] = PartyRecord(
                name=name,
                key=party_key(self.dataset, "redacted" if redacted else name),
                redacted=redacted,
            )
        return recipient

    def prepare(self, record: FlowRecord) -> None:
        record.checksum = record.compute_checksum()
        record.encode()

    def record_key(self, record: FlowRecord) -> str:
        return record.record_key

    def start(self, path: Path, context: ImportContext) -> None:
        self.loader = FlowLoader(self.dataset)
        layout = self.layout
        publisher = layout.publisher or "".join(layout.publisher_identifiers)
        self.loader.start(
            expected_rows=estimate_rows(path, self._member_suffix(path)),
            key_prefix=spend_key_prefix(spend_publisher(layout.publisher_identifiers, publisher))
            if publisher
            else None,
        )

    def load(self, records: list[FlowRecord], context: ImportContext) -> LoadCounts:
        return self.loader.load(records, context.run)

    def finish(self, context: ImportContext) -> None:
        self.loader.finish(context.warnings)

    def close(self, context: ImportContext) -> None:
        self.loader.close()
