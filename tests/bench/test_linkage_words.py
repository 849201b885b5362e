"""The word frequencies kept with the linkage model are those of the registers the bench reads
(bench/linkage.py builds the list of names)."""

from __future__ import annotations

from bench import linkage as bench
from commonground.organisations.linkage import word_counts, words


def test_the_word_frequencies_kept_with_the_model_are_those_of_the_registers() -> None:
    total, counted = word_counts.count(bench.register_names())
    assert words._table() == (
        total,
        {w: n for w, n in counted.items() if n >= words.MIN_LISTED},
    )
