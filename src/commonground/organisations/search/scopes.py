"""A place's organisations and their vectors, kept in this process for the public data
generation (ADR 0037).

A hybrid search with words ranks every organisation in its place by meaning, so it reads the
ids of the place's organisations (about 12,600 for a metropolitan borough at 1,000,000
organisations, most of them working across England) and gathers their vectors into one matrix.
Both depend on public data alone, so they are kept, per place, under the public data generation
of the shared page cache (ADR 0012: replaced when an import finishes, a link is decided or the
search index is refreshed) and the embeddings' own version, for at most
COMMONGROUND_PAGE_CACHE_SECONDS, like the search pages themselves. With that setting at 0 (tests,
local settings, the benchmarks' uncached figures) nothing is kept and every search reads them.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import NamedTuple

from django.conf import settings
from django.db import connection

from commonground.core.page_cache import public_data_generation

from .semantic import INDEX, Vectors

# Rows (organisations' vectors) kept at most, over all places: 256 float32s each, so about
# 200 MB, some 15 metropolitan boroughs at 1,000,000 organisations; the places searched longest
# ago go first.
MAX_ROWS = 200_000


class Scope(NamedTuple):
    ids: list[int]  # every organisation in scope
    vectors: Vectors  # those with a vector, in that order, and their vectors


class ScopeCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: OrderedDict[Hashable, tuple[float, Scope]] = OrderedDict()

    def get(self, key: Sequence[Hashable], read_ids: Callable[[], list[int]]) -> Scope:
        """The scope named by `key` (its place tokens and conditions), read by `read_ids` and
        the vector index unless kept for the current generation."""
        seconds = int(getattr(settings, "COMMONGROUND_PAGE_CACHE_SECONDS", 0))
        generation = public_data_generation() if seconds > 0 else None
        if generation is None:
            return _read(read_ids)
        name = (connection.alias, connection.settings_dict.get("NAME"), generation)
        full = (*name, INDEX.version(), *key)
        with self._lock:
            kept = self._kept.get(full)
            if kept is not None and time.monotonic() - kept[0] < seconds:
                self._kept.move_to_end(full)
                return kept[1]
        scope = _read(read_ids)
        with self._lock:
            self._kept[full] = (time.monotonic(), scope)
            while sum(_rows(s) for _, s in self._kept.values()) > MAX_ROWS and self._kept:
                self._kept.popitem(last=False)
        return scope

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


def _read(read_ids: Callable[[], list[int]]) -> Scope:
    ids = read_ids()
    return Scope(ids, INDEX.vectors(ids))


def _rows(scope: Scope) -> int:
    return len(scope.vectors.matrix) + len(scope.vectors.passages)


SCOPES = ScopeCache()
