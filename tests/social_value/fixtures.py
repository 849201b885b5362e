"""The social value world shared by the social value and API tests (through tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.social_value.factories import World, social_value_world


@pytest.fixture(name="social_value_world")
def social_value_world_fixture(db: None) -> World:
    return social_value_world()
