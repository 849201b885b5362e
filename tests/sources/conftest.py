from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def places_dir(shared_data: Path) -> Path:
    return shared_data / "places"
