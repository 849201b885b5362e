"""The site's addresses, made from its URL patterns, for tests that walk every page (through
tests/conftest.py): the spreadsheet guard and the write guard."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")
Paths = Callable[[str, dict[str, Any], dict[str, int]], Iterator[str]]


def _patterns(resolvers: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def _paths(route: str, ids: dict[str, Any], by_prefix: dict[str, int]) -> Iterator[str]:
    """Every address the route can make from the seeded objects: `ids` by URL keyword, and
    `by_prefix` for a bare <pk> under the path's first part; other numbers from every id."""
    if route.startswith("admin/") or route.startswith("^"):
        return
    names = _PARAMETER.findall(route)
    choices = []
    for converter, name in names:
        if name in ids:
            choices.append([ids[name]])
        elif name in ("pk", "id") and route.split("/")[0] in by_prefix:
            choices.append([by_prefix[route.split("/")[0]]])
        elif converter == "int" or name.endswith("_id") or name in ("pk", "id"):
            choices.append(sorted({v for v in ids.values() if isinstance(v, int)}))
        else:
            choices.append(["x"])
    for values in itertools.product(*choices):
        path = route
        for (converter, name), value in zip(names, values, strict=True):
            token = f"<{converter}:{name}>" if converter else f"<{name}>"
            path = path.replace(token, str(value), 1)
        yield "/" + path


@pytest.fixture(name="site_routes")
def site_routes_fixture() -> list[tuple[str, URLPattern]]:
    """Every URL pattern of the site, with its route written out from the root."""
    return list(_patterns(get_resolver().url_patterns))


@pytest.fixture(name="route_paths")
def route_paths_fixture() -> Paths:
    return _paths
