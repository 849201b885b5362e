"""What every money importer produces: one FlowRecord per grant, award share or payment.

Parsing is pure (no database); places and links are resolved when a batch is loaded.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import date
from functools import lru_cache
from json.encoder import c_make_encoder, encode_basestring_ascii  # type: ignore[attr-defined]
from operator import attrgetter
from typing import Any

_SPACES = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[^\w\s&]")


@lru_cache(maxsize=65_536)  # a file names the same few thousand parties again and again
def normalise_name(name: str) -> str:
    """A party's name for its key: case, punctuation and spacing do not make a new party."""
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", name.casefold())).strip()


def party_key(source: str, name: str, identifier: str = "") -> str:
    """Stable across re-imports for the same party in the same source."""
    return f"{source}:{identifier}" if identifier else f"{source}:{normalise_name(name)}"


@dataclass
class PartyRecord:
    name: str
    key: str
    identifiers: tuple[str, ...] = ()
    postcode: str = ""
    redacted: bool = False  # the publisher withheld the name (e.g. payments to individuals)
    # GSS codes of the local authorities the source places the party in (party_places.py).
    # Found from the stored flows when the dataset is linked, so not part of the checksum.
    places: tuple[str, ...] = ()


@dataclass
class FlowRecord:
    dataset: str
    record_key: str
    channel: str
    payer: PartyRecord
    recipient: PartyRecord
    amount_pence: int
    date: date
    currency: str = "GBP"
    purpose: str = ""
    category: str = ""
    place_gss: str = ""  # the local authority the flow is attributed to, if the data says
    ward_gss: str = ""
    place_postcode: str = ""  # else the place is where this postcode is (e.g. the buyer's)
    attributes: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    file_name: str = ""
    row_number: int | None = None
    json_path: str = ""
    checksum: str = ""
    # The raw record and the attributes as JSON text, when an importer encoded them beside
    # reading (`raw` is then left empty: the record crosses to the writing process as text).
    raw_json: str = ""
    attributes_json: str = ""

    def encode(self) -> None:
        self.raw_json = encode_json(self.raw)
        self.attributes_json = encode_json(self.attributes)
        self.raw = {}

    def move_to(self, dataset: str) -> None:
        """Make this the record of a flow already held under another dataset code: the dataset
        and the parties' keys (which name their source) are that dataset's, and the checksum
        is computed again, so the same facts compare unchanged."""
        old = f"{self.dataset}:"

        def moved(party: PartyRecord) -> PartyRecord:
            if not party.key.startswith(old):
                return party
            return replace(party, key=f"{dataset}:{party.key[len(old) :]}")

        self.payer, self.recipient = moved(self.payer), moved(self.recipient)
        self.dataset = dataset
        self.checksum = self.compute_checksum()

    def raw_record(self) -> dict[str, Any]:
        return dict(json.loads(self.raw_json)) if self.raw_json else self.raw

    def __reduce__(self) -> tuple[Any, ...]:
        # Hundreds of thousands cross from the reading process: as a tuple of field values
        # they pickle and unpickle in about half the time the default way takes.
        return _flow_record, (_field_values(self),)

    def compute_checksum(self) -> str:
        """A digest of the parsed facts. Where the record was read from (file, row, JSON path),
        the raw record and the problems found in reading it (attributes' "warnings") are left
        out: the same grant read from the CSV or the JSON, or from a file with dates written
        another way, is unchanged."""
        payer, recipient = self.payer, self.recipient
        facts = [
            self.dataset, self.record_key, self.channel,
            payer.name, payer.key, list(payer.identifiers), payer.postcode, payer.redacted,
            recipient.name, recipient.key, list(recipient.identifiers), recipient.postcode,
            recipient.redacted, self.amount_pence, self.date.isoformat(), self.currency,
            self.purpose, self.category, self.place_gss, self.ward_gss, self.place_postcode,
            {k: v for k, v in self.attributes.items() if k != "warnings"},
        ]  # fmt: skip
        encoded = _checksum_json(facts).encode()
        return hashlib.blake2b(encoded, digest_size=16).hexdigest()


_FIELD_NAMES = tuple(f.name for f in fields(FlowRecord))
_field_values = attrgetter(*_FIELD_NAMES)


def _flow_record(values: tuple[Any, ...]) -> FlowRecord:
    record = object.__new__(FlowRecord)
    record.__dict__.update(zip(_FIELD_NAMES, values, strict=True))
    return record


def _encoder(**options: Any) -> Callable[[Any], str]:
    """A JSON encoder's one-shot C function where there is one (json.dumps calls it through two
    Python layers, a cost at millions of calls), else its encode method."""
    encoder = json.JSONEncoder(**options)
    if c_make_encoder is None:  # pragma: no cover - CPython has the C accelerator
        return encoder.encode
    make = c_make_encoder(
        None,  # no check for circular references: the values are parsed records
        encoder.default,
        encode_basestring_ascii,
        None,
        encoder.key_separator,
        encoder.item_separator,
        encoder.sort_keys,
        encoder.skipkeys,
        encoder.allow_nan,
    )
    return lambda value: "".join(make(value, 0))


# The same output as json.dumps(facts, sort_keys=True, default=str), which checksums stored
# by earlier imports were made with.
_checksum_json = _encoder(sort_keys=True, default=str)
# Stored JSON as compact text: no spaces after the separators.
encode_json = _encoder(separators=(",", ":"))
