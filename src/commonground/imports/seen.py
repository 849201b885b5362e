"""The record keys an import has met so far, in bounded memory.

An import refuses a row whose record key an earlier row of the same file already had, naming
that row. Holding every key in a dict grows with the file (about 13 MB a 100,000 rows: a
national postcode file of 2.7 million rows would hold some 350 MB). SeenKeys holds the most
recent keys in a dict and, past `limit`, moves them to a temporary SQLite file of its own (not
the import's database, and outside its transaction), which it deletes when closed.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path
from types import TracebackType

# About 13 MB of keys and row numbers held in memory at most.
DEFAULT_LIMIT = 100_000
# Keys on disk are also marked in a filter of this many bits (4 MB), two bits a key, so that a
# key never seen (nearly every key of a good file) is known new without reading the disk: with
# 2.7 million keys on disk about 2% of new keys are looked up there for nothing.
FILTER_BITS = 1 << 25
_MASK = FILTER_BITS - 1


class SeenKeys:
    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self.limit = limit
        self.recent: dict[str, int] = {}
        self.spilled = 0
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._db: sqlite3.Connection | None = None
        self._filter = bytearray()

    def first_row(self, key: str) -> int | None:
        """The row that first had this key, or None if no row has had it yet."""
        row = self.recent.get(key)
        if row is None and self._db is not None and self._maybe_spilled(key):
            found = self._db.execute("SELECT row FROM seen WHERE key = ?", (key,)).fetchone()
            row = found[0] if found else None
        return row

    def add(self, key: str, row: int) -> None:
        self.recent[key] = row
        if len(self.recent) >= self.limit:
            self._spill()

    def _maybe_spilled(self, key: str) -> bool:
        bits = self._filter
        h = hash(key)  # stable within the process, which is all the filter lives for
        a, b = h & _MASK, (h >> 25) & _MASK
        return bool(bits[a >> 3] & (1 << (a & 7))) and bool(bits[b >> 3] & (1 << (b & 7)))

    def _spill(self) -> None:
        if self._db is None:
            self._filter = bytearray(FILTER_BITS // 8)
            self._folder = tempfile.TemporaryDirectory(prefix="import_keys_")
            self._db = sqlite3.connect(Path(self._folder.name) / "keys.sqlite3")
            # A scratch file: nothing in it needs to survive a crash.
            self._db.execute("PRAGMA journal_mode = OFF")
            self._db.execute("PRAGMA synchronous = OFF")
            self._db.execute(
                "CREATE TABLE seen (key TEXT PRIMARY KEY, row INTEGER NOT NULL) WITHOUT ROWID"
            )
        with self._db:
            # In key order: appended to the B-tree's pages instead of scattered over them.
            self._db.executemany("INSERT INTO seen VALUES (?, ?)", sorted(self.recent.items()))
        bits = self._filter
        for key in self.recent:
            h = hash(key)
            a, b = h & _MASK, (h >> 25) & _MASK
            bits[a >> 3] |= 1 << (a & 7)
            bits[b >> 3] |= 1 << (b & 7)
        self.spilled += len(self.recent)
        self.recent.clear()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    def __enter__(self) -> SeenKeys:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
