"""Organisations for the linkage tests, loaded through the real upsert service."""

from __future__ import annotations

import pytest

from commonground.organisations.models import Organisation
from commonground.organisations.records import OrganisationRecord
from commonground.organisations.services import organisations_upsert


def load(*rows: tuple[str, list[str], str, str]) -> dict[str, Organisation]:
    """(record key, identifiers, name, postcode) rows -> organisations by their first id."""
    records = [
        OrganisationRecord(
            dataset="test_register",
            record_key=key,
            raw={"key": key, "name": name},
            identifiers=ids,
            name=name,
            postcode=postcode,
        )
        for key, ids, name, postcode in rows
    ]
    organisations_upsert(records, None)
    return {ids[0]: Organisation.objects.get(identifiers__value=ids[0]) for _, ids, _, _ in rows}


@pytest.fixture
def atlas(db: None) -> dict[str, Organisation]:
    return load(
        ("1", ["GB-CHC-1100001"], "Age UK Trafford", "M33 7FD"),
        ("2", ["GB-CHC-1100002"], "Trafford Community Transport Limited", "M32 0TH"),
        ("3", ["GB-COH-01234567"], "Stretford Food Bank CIO", "M32 9AB"),
        ("4", ["GB-CHC-1100004"], "Sale Community Trust", "M33 2AA"),
        ("5", ["GB-CHC-1100005"], "Sale Community Trust", "WA14 1AA"),
        ("6", ["GB-CHC-1100006"], "Altrincham Scouts Association", "WA14 2BB"),
    )
