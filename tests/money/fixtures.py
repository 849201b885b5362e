"""Trafford's money, loaded once for a test module (shared through tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.money.factories import clear_money_demo, load_money_demo


@pytest.fixture(scope="module")
def grants_demo(django_db_setup: None, django_db_blocker, shared_data: Path) -> Iterator[None]:
    """Trafford's places, charities and grants, and one Contracts Finder notice; no spend."""
    with django_db_blocker.unblock():
        load_money_demo(shared_data, spend=False, all_notices=False)
        try:
            yield
        finally:
            clear_money_demo()


@pytest.fixture(scope="module")
def money_demo(django_db_setup: None, django_db_blocker, shared_data: Path) -> Iterator[None]:
    """Trafford's places, charities, grants, 2026-27 spend (38,055 lines) and contract notices."""
    with django_db_blocker.unblock():
        load_money_demo(shared_data)
        try:
            yield
        finally:
            clear_money_demo()
