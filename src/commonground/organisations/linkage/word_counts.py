"""Counting the words of organisations' names into the frequency table words.py reads (run by
`python -m bench.linkage words` when the registers change)."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from . import words
from .names import name_words


def count(names: Iterable[str]) -> tuple[int, Counter[str]]:
    """(how many distinct names, names using each word) for `names`."""
    distinct = {name.strip() for name in names if name and name.strip()}
    counter: Counter[str] = Counter()
    for name in distinct:
        counter.update(set(name_words(name)))
    return len(distinct), counter


def write(names: Iterable[str], path: Path = words.FILE) -> int:
    """Count the words of `names` into `path`; returns how many words were listed."""
    total, counter = count(names)
    listed = sorted(
        ((w, n) for w, n in counter.items() if n >= words.MIN_LISTED), key=lambda i: (-i[1], i[0])
    )
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["word", "names"])
        writer.writerow(["", total])
        writer.writerows(listed)
    words.clear_cache()
    return len(listed)
