"""A serving process freezes what start-up made, so the garbage collector never walks it again
(ADR 0052)."""

from __future__ import annotations

import gc
import importlib
import sys

import pytest

from commonground.core.startup import freeze_startup_objects


@pytest.fixture(name="unfrozen")
def unfrozen_fixture():
    gc.unfreeze()
    yield
    gc.unfreeze()  # the rest of the suite runs as it did


def test_every_view_is_loaded_and_what_is_alive_is_frozen(unfrozen) -> None:
    sys.modules.pop("commonground.needs.views", None)
    frozen = freeze_startup_objects()
    assert "commonground.needs.views" in sys.modules  # loaded before the first request
    assert frozen > 10_000 and gc.get_freeze_count() == frozen
    made_after = [object()]
    assert gc.is_tracked(made_after) and gc.get_freeze_count() == frozen


def test_the_wsgi_application_freezes_start_up_objects_once_it_is_set_up(unfrozen) -> None:
    module = importlib.reload(importlib.import_module("commonground.config.wsgi"))
    assert callable(module.application)
    assert gc.get_freeze_count() > 10_000
