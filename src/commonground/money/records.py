"""What every money importer produces: one FlowRecord per grant, award share or payment.

Parsing is pure (no database); places and links are resolved when a batch is loaded.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

_SPACES = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[^\w\s&]")


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

    def compute_checksum(self) -> str:
        """A digest of the parsed facts. Where the record was read from (file, row, JSON path)
        and the raw record are left out: the same grant read from the CSV or the JSON is
        unchanged."""
        payer, recipient = self.payer, self.recipient
        facts = [
            self.dataset, self.record_key, self.channel,
            payer.name, payer.key, list(payer.identifiers), payer.postcode, payer.redacted,
            recipient.name, recipient.key, list(recipient.identifiers), recipient.postcode,
            recipient.redacted, self.amount_pence, self.date.isoformat(), self.currency,
            self.purpose, self.category, self.place_gss, self.ward_gss, self.place_postcode,
            self.attributes,
        ]  # fmt: skip
        encoded = json.dumps(facts, sort_keys=True, default=str).encode()
        return hashlib.blake2b(encoded, digest_size=16).hexdigest()
