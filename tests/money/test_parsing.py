"""Amounts and dates read exactly as publishers write them, however often they repeat, and the
checksums that tell a re-import what changed stay those earlier imports stored."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal

import pytest

from commonground.imports.errors import RowRejected
from commonground.money.parsing import parse_amount_pence, parse_flexible_date
from commonground.money.records import FlowRecord, PartyRecord, encode_json

PLAIN_AMOUNTS = ["0", "7", "-7", "12.5", "-0.01", "3082.50", "-195.75", "1234567890.99", "0.10"]


@pytest.mark.parametrize("text", PLAIN_AMOUNTS)
def test_a_plain_amount_is_read_to_the_penny(text: str) -> None:
    assert parse_amount_pence(text, "Amount") == int(Decimal(text) * 100)


@pytest.mark.parametrize(
    ("text", "pence"),
    [
        ("£1,234.56", 123_456),
        ("(250.00)", -25_000),
        ("-£10.01", -1001),
        (" 12.30 ", 1230),
        ("12.340", 1234),
        ("1234.5", 123_450),
    ],
)
def test_amounts_in_other_forms_are_read_too(text: str, pence: int) -> None:
    assert parse_amount_pence(text, "Amount") == pence


@pytest.mark.parametrize("text", ["12.345", "lots", "1.2.3", "1,23", ""])
def test_an_amount_that_is_not_pounds_and_pence_is_refused_naming_the_field(text: str) -> None:
    with pytest.raises(RowRejected) as error:
        parse_amount_pence(text, "Amount")
    assert error.value.field == "Amount"


def test_a_date_read_again_is_the_same_date_and_a_bad_one_is_refused_every_time() -> None:
    for _ in range(3):
        assert parse_flexible_date("2025-03-31", "PaymentDate") == date(2025, 3, 31)
        assert parse_flexible_date("31/03/2025", "PaymentDate") == date(2025, 3, 31)
        with pytest.raises(RowRejected) as error:
            parse_flexible_date("31st March", "PaymentDate")
        assert error.value.field == "PaymentDate" and "YYYY-MM-DD" in error.value.reason


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("31/02/2025", "February 2025 has no day 31"),
        ("2023-02-29", "February 2023 has no day 29"),
        ("04/13/2025", "there is no month 13 (dates like this are read day first"),
    ],
)
def test_an_impossible_date_is_refused_saying_why_not_how_to_write_it(text: str, why: str) -> None:
    with pytest.raises(RowRejected) as error:
        parse_flexible_date(text, "PaymentDate")
    assert error.value.reason.startswith(f"{text!r} is not a real date: {why}")


@pytest.mark.parametrize("text", ["01/04/2025 00:00", "01/04/2025 13:45:10", "1 Apr 2025 00:00"])
def test_a_day_first_date_with_a_time_of_day_is_that_day(text: str) -> None:
    assert parse_flexible_date(text, "PaymentDate") == date(2025, 4, 1)


def _record() -> FlowRecord:
    return FlowRecord(
        dataset="trafford_spend",
        record_key="file:5100482005#1",
        channel="spend",
        payer=PartyRecord("Trafford Council", "trafford_spend:trafford council", ("GB-LAE-TRF",)),
        recipient=PartyRecord("VLC (Stairlifts) Limited", "trafford_spend:vlc stairlifts limited"),
        amount_pence=308_250,
        date=date(2025, 3, 31),
        purpose="Lift repairs",
        attributes={"transaction_number": "5100482005", "irrecoverable_vat_pence": 0},
        raw={"BeneficiaryName": "VLC (Stairlifts) Limited", "Amount": "3082.50", "Note": "£ é"},
    )


def test_a_flows_checksum_is_the_one_earlier_imports_stored() -> None:
    record = _record()
    p, r = record.payer, record.recipient
    facts = [
        record.dataset, record.record_key, record.channel,
        p.name, p.key, list(p.identifiers), p.postcode, p.redacted,
        r.name, r.key, list(r.identifiers), r.postcode, r.redacted,
        record.amount_pence, record.date.isoformat(), record.currency, record.purpose,
        record.category, record.place_gss, record.ward_gss, record.place_postcode,
        record.attributes,
    ]  # fmt: skip
    stored = hashlib.blake2b(
        json.dumps(facts, sort_keys=True, default=str).encode(), digest_size=16
    ).hexdigest()

    assert record.compute_checksum() == stored


def test_the_raw_record_encoded_beside_reading_reads_back_as_published() -> None:
    record = _record()
    raw, attributes = dict(record.raw), dict(record.attributes)

    record.encode()

    assert record.raw == {}
    assert record.raw_record() == raw
    assert json.loads(record.attributes_json) == attributes
    assert encode_json(raw) == json.dumps(raw, separators=(",", ":"))
