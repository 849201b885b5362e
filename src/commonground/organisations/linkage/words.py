"""How many organisations' names use each word: the term frequencies of the name comparison.

`word_frequencies.csv` counts, for each word (in `names.name_words` form), the names that use
it among the organisations of the real registers in the shared data (Companies House names of
charitable companies, Co-operatives UK, the Charity Commission's Trafford extract, the Northern
Ireland charity register sample: about 12,700 names); words used by fewer than
`MIN_LISTED` names are left out, and count as rare. Fixed with the model, like its m and u
probabilities (ADR 0008, 0014), so a party scores the same in every batch and on every backend;
`python -m bench.linkage words` counts them again (word_counts.py).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

FILE = Path(__file__).with_name("word_frequencies.csv")
MIN_LISTED = 3
# A word is common when at least one name in COMMON_ONE_IN uses it ("community", "club",
# "trust", "park"); a name is told apart by its other words.
COMMON_ONE_IN = 500


@cache
def _table() -> tuple[int, dict[str, int]]:
    counts: dict[str, int] = {}
    total = 0
    with open(FILE, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["word"] == "":  # the first row: how many names were counted
                total = int(row["names"])
            else:
                counts[row["word"]] = int(row["names"])
    return total, counts


def names_with(word: str) -> int:
    """How many of the counted names use `word` (0 if fewer than MIN_LISTED)."""
    return _table()[1].get(word, 0)


def is_common(word: str) -> bool:
    total, counts = _table()
    return counts.get(word, 0) * COMMON_ONE_IN >= total


def clear_cache() -> None:
    """Read the table afresh (after word_counts.write has counted it again)."""
    _table.cache_clear()
