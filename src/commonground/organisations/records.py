"""What a register importer produces for one row: an OrganisationRecord.

Importers never write organisations directly; services.organisations_upsert does, so that
identity (which records are one organisation) and derived facts are decided in one place.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class SectorClaim:
    """Evidence that the organisation belongs to a sector: which register field said what."""

    sector: str
    field: str
    value: str
    rule: str


@dataclass
class OrganisationRecord:
    dataset: str
    record_key: str
    raw: dict[str, Any]
    identifiers: list[str]  # full org-ids, the record's own first
    name: str
    priority: int = 50  # lower wins when registers disagree (see registers.base)
    register: str = ""  # human name of the register, for evidence
    other_names: list[str] = field(default_factory=list)
    legal_form: str = ""
    sector_claims: list[SectorClaim] = field(default_factory=list)
    status: str = "unknown"
    date_registered: date | None = None
    date_removed: date | None = None
    address: str = ""
    postcode: str = ""
    # The register's own coordinates, used only where the postcode is not in the Postcode table.
    latitude: float | None = None
    longitude: float | None = None
    activities: str = ""
    website: str = ""
    latest_income_pence: int | None = None
    latest_income_date: date | None = None
    # Register categories, e.g. "What: Education/training", "Who: Older people" (kept as facts).
    classifications: list[str] = field(default_factory=list)
    # Where the register says the organisation works, e.g. "Local Authority: Trafford".
    areas_of_operation: list[str] = field(default_factory=list)
    row_number: int | None = None
    file_name: str = ""

    def facts(self) -> dict[str, Any]:
        """The parsed facts as JSON (kept on the SourceRecord), without the raw row."""
        # Built by hand: dataclasses.asdict deep-copies and dominates import time.
        data = {name: getattr(self, name) for name in _FACT_FIELDS}
        data["other_names"] = list(self.other_names)
        data["classifications"] = list(self.classifications)
        data["areas_of_operation"] = list(self.areas_of_operation)
        data["sector_claims"] = [
            {"sector": c.sector, "field": c.field, "value": c.value, "rule": c.rule}
            for c in self.sector_claims
        ]
        for key in ("date_registered", "date_removed", "latest_income_date"):
            if data[key] is not None:
                data[key] = data[key].isoformat()
        return data

    def checksum(self, facts: dict[str, Any] | None = None) -> str:
        payload = json.dumps([self.raw, facts or self.facts()], sort_keys=True, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()

    def encoded(self) -> tuple[dict[str, Any], str, str, str]:
        """(facts, raw as JSON, facts as JSON, checksum): what storing the record needs.

        The raw row and the facts are serialised once, for storing and for the checksum (the
        same digest as checksum(), which serialises the pair). Computed afresh unless
        keep_encoded() was called, as an import's worker process does before handing the
        record over.
        """
        kept = self.__dict__.get("_encoded")
        if kept is not None:
            return kept
        facts = self.facts()
        raw_json, facts_json = to_json(self.raw), to_json(facts)
        return facts, raw_json, facts_json, stored_checksum(raw_json, facts_json)

    @classmethod
    def from_encoded(
        cls,
        dataset: str,
        record_key: str,
        row_number: int | None,
        file_name: str,
        raw_json: str,
        facts_json: str,
        checksum: str,
    ) -> OrganisationRecord:
        """The record whose encoded() gave this JSON and checksum, with them kept as they are."""
        facts = json.loads(facts_json)
        values = {**facts, "raw": json.loads(raw_json)}
        values["sector_claims"] = [SectorClaim(**claim) for claim in facts["sector_claims"]]
        for key in ("date_registered", "date_removed", "latest_income_date"):
            if values[key] is not None:
                values[key] = date.fromisoformat(values[key])
        record = cls(
            dataset=dataset,
            record_key=record_key,
            row_number=row_number,
            file_name=file_name,
            **{name: values[name] for name in _FIELD_NAMES if name in values},
        )
        record.__dict__["_encoded"] = (facts, raw_json, facts_json, checksum)
        return record

    def keep_encoded(self) -> None:
        self.__dict__["_encoded"] = None
        self.__dict__["_encoded"] = self.encoded()

    def __reduce_ex__(self, protocol):  # type: ignore[no-untyped-def]
        kept = self.__dict__.get("_encoded")
        if kept is None:
            return super().__reduce_ex__(protocol)
        # Handed between processes as flat values and the JSON already made: unpickling a
        # tuple of strings is several times cheaper than rebuilding the nested dicts.
        _, raw_json, facts_json, checksum = kept
        values = [getattr(self, name) for name in _FIELD_NAMES]
        values[_RAW] = None
        values[_CLAIMS] = [(c.sector, c.field, c.value, c.rule) for c in self.sector_claims]
        # Anything else a worker worked out ahead (e.g. by services.prepare_for_load) goes too.
        extras = {k: v for k, v in self.__dict__.items() if k[0] == "_" and k != "_encoded"}
        return _rebuild, (tuple(values), raw_json, facts_json, checksum, extras)


def _rebuild(
    values: tuple[Any, ...],
    raw_json: str,
    facts_json: str,
    checksum: str,
    extras: dict[str, Any],
) -> OrganisationRecord:
    fields = list(values)
    fields[_RAW] = json.loads(raw_json)
    fields[_CLAIMS] = [SectorClaim(*claim) for claim in fields[_CLAIMS]]
    record = OrganisationRecord(*fields)
    # facts() is plain JSON data, so its round trip through JSON gives the same dict back.
    record.__dict__["_encoded"] = (json.loads(facts_json), raw_json, facts_json, checksum)
    record.__dict__.update(extras)
    return record


def stored_checksum(raw_json: str, facts_json: str) -> str:
    """The checksum of a stored record: the SHA-256 of its raw row and facts as one JSON list
    (what checksum() gives, from the JSON already made)."""
    return hashlib.sha256(f"[{raw_json}, {facts_json}]".encode()).hexdigest()


def to_json(value: Any) -> str:
    """The one JSON form of stored raw rows and facts (sorted keys: stable checksums)."""
    return _ENCODE(value)


# What json.dumps(value, sort_keys=True, default=str) does, without making the encoder afresh
# for every value (a national load encodes half a million).
_ENCODE = json.JSONEncoder(sort_keys=True, default=str).encode


_FACT_FIELDS = [
    f.name
    for f in dataclasses.fields(OrganisationRecord)
    if f.name not in ("raw", "row_number", "file_name", "record_key", "dataset")
]
_FIELD_NAMES = [f.name for f in dataclasses.fields(OrganisationRecord)]
_RAW = _FIELD_NAMES.index("raw")
_CLAIMS = _FIELD_NAMES.index("sector_claims")
