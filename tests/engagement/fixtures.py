"""Conversations shared by the engagement and API tests (through tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.engagement.factories import World, engagement_world


@pytest.fixture(name="engagement_world")
def engagement_world_fixture(db: None) -> World:
    return engagement_world()
