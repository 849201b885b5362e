"""Needs shared by the needs, API and browser tests (through tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.needs.factories import NeedsWorld, needs_world


@pytest.fixture(name="needs_world")
def needs_world_fixture(db: None) -> NeedsWorld:
    return needs_world()
