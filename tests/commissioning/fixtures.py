"""People around a saved appraisal, shared by the commissioning and API tests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.commissioning.factories import appraisal_people


@pytest.fixture(name="appraisal_people")
def appraisal_people_fixture(db: None) -> SimpleNamespace:
    return appraisal_people()
