"""Trafford's atlas and a small linkage atlas (shared by all tests through tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from commonground.organisations.models import Organisation
from tests.organisations.factories import OrganisationFactory, clear_trafford, load_trafford


@pytest.fixture(scope="module")
def trafford(django_db_setup: None, django_db_blocker, shared_data: Path) -> Iterator[None]:
    """Trafford's wards, postcodes and charities, loaded once for a test module.

    Loading 11,000 postcodes and 736 charities once per module keeps the suite quick; each
    test still runs in its own rolled-back transaction on top."""
    with django_db_blocker.unblock():
        load_trafford(shared_data)
        yield
        clear_trafford()


@pytest.fixture
def atlas(db: None) -> dict[str, Organisation]:
    """Six organisations for the linkage tests, by their first identifier."""
    rows = (
        ("GB-CHC-1100001", "Age UK Trafford", "M33 7FD"),
        ("GB-CHC-1100002", "Trafford Community Transport Limited", "M32 0TH"),
        ("GB-COH-01234567", "Stretford Food Bank CIO", "M32 9AB"),
        ("GB-CHC-1100004", "Sale Community Trust", "M33 2AA"),
        ("GB-CHC-1100005", "Sale Community Trust", "WA14 1AA"),
        ("GB-CHC-1100006", "Altrincham Scouts Association", "WA14 2BB"),
    )
    return {
        org_id: OrganisationFactory(
            org_id=org_id, name=name, postcode=postcode, sector="", dataset="test_register"
        )
        for org_id, name, postcode in rows
    }
