"""Shared fixtures: the real data files in ../shared/data, a clean cache for every test, and
each context's shared fixtures (tests/<app>/fixtures.py), found by pytest rather than imported.

Test data is built with the factories in tests/<app>/factories.py; no test imports another
test module or bench/."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.cache import caches

PROJECT_DIR = Path(__file__).resolve().parents[1]
# The real data files: the mirror folder when one is named (as the settings read it), else the
# project's sibling ../shared/data, so a clone anywhere can run the suite.
SHARED_DATA = Path(
    os.environ.get("COMMONGROUND_DATA_MIRROR") or PROJECT_DIR.parent / "shared" / "data"
)

pytest_plugins = [
    "tests.accounts.fixtures",
    "tests.organisations.fixtures",
    "tests.money.fixtures",
    "tests.partnerships.fixtures",
    "tests.social_value.fixtures",
    "tests.engagement.fixtures",
    "tests.commissioning.fixtures",
    "tests.needs.fixtures",
    "tests.profiles.fixtures",
    "tests.web.fixtures",
]


@pytest.fixture(scope="session")
def shared_data() -> Path:
    assert SHARED_DATA.is_dir(), f"the real data files are expected at {SHARED_DATA}"
    return SHARED_DATA


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    # Rate limits and cached pages count in the cache: each test starts from nothing.
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def printed_by_fresh_processes() -> Callable[[str], list[object]]:
    """Run Python code (which prints one JSON value) in two new interpreters with different
    hash seeds, and return what each printed. Sets and dicts iterate in another order under
    another seed, so a result that depends on that order differs between them."""

    def run(code: str) -> list[object]:
        printed = []
        for seed in ("1", "2"):
            env = {
                **os.environ,
                "PYTHONHASHSEED": seed,
                "PYTHONPATH": f"{PROJECT_DIR / 'src'}{os.pathsep}{PROJECT_DIR}",
                "DJANGO_SETTINGS_MODULE": "commonground.config.settings.test",
            }
            setup = "import django, json; django.setup()\n"
            done = subprocess.run(
                [sys.executable, "-c", setup + code],
                env=env,
                cwd=PROJECT_DIR,
                capture_output=True,
                text=True,
                check=True,
            )
            printed.append(json.loads(done.stdout))
        return printed

    return run
