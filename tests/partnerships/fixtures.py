"""Partnerships shared by the partnership and API tests (through tests/conftest.py)."""

from __future__ import annotations

import pytest

from commonground.places.models import Place
from tests.partnerships.factories import World, partnership_world


@pytest.fixture
def trafford_place(db: None) -> Place:
    return Place.objects.create(gss_code="E08000009", name="Trafford", kind="local_authority")


@pytest.fixture(name="partnership_world")
def partnership_world_fixture(trafford_place: Place) -> World:
    return partnership_world(trafford_place)
