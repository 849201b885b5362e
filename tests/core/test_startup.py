"""A serving process freezes what start-up made, so the garbage collector never walks it again
(ADR 0052)."""

from __future__ import annotations

import gc
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

import commonground


@pytest.fixture(name="unfrozen")
def unfrozen_fixture():
    gc.unfreeze()
    yield
    gc.unfreeze()  # the rest of the suite runs as it did


def test_every_view_is_loaded_and_what_is_alive_is_frozen() -> None:
    """In a fresh process, as a server starts (this test process has loaded its views long ago)."""
    script = (
        "import django, gc, sys; django.setup(); "
        "from commonground.core.startup import freeze_startup_objects; "
        "before = 'commonground.needs.views' in sys.modules; frozen = freeze_startup_objects(); "
        "print(before, 'commonground.needs.views' in sys.modules, frozen, gc.get_freeze_count(), "
        "gc.is_tracked([object()]))"
    )
    source = str(Path(commonground.__file__).parents[1])
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "commonground.config.settings.test",
        "PYTHONPATH": os.pathsep.join(filter(None, [source, os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    before, after, frozen, count, tracked = done.stdout.split()
    assert (before, after) == ("False", "True")  # views loaded before the first request
    assert int(frozen) > 10_000 and int(count) == int(frozen)
    assert tracked == "True"  # what is made afterwards is collected as before


def test_the_wsgi_application_freezes_start_up_objects_once_it_is_set_up(unfrozen) -> None:
    module = importlib.reload(importlib.import_module("commonground.config.wsgi"))
    assert callable(module.application)
    assert gc.get_freeze_count() > 10_000
